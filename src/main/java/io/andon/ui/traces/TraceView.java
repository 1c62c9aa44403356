package io.andon.ui.traces;

import io.andon.traces.Span;
import io.andon.traces.TraceTree;
import io.andon.ui.I18n;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

import java.net.URI;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The waterfall of one trace: a virtualized list (only the rows on screen are nodes, so a 10 000-span trace costs
 * what 40 rows cost) of span rows with service-coloured timing bars on a shared time axis, indentation by depth,
 * the critical path, errors, clock skew and orphans marked; subtrees collapse; a search inside the trace steps
 * through its hits; the selected span's details (tags sorted, events with their attributes) and the pivots to
 * the logs and the database page.
 */
public final class TraceView extends BorderPane {
    /** Width of the name column; the bars take the rest. */
    static final double NAME_WIDTH = 420;
    static final double ROW_HEIGHT = 26;
    private static final double INDENT = 14;
    private static final int MAX_INDENT_DEPTH = 18;
    static final List<Color> PALETTE = List.of(Color.web("#3d8bfd"), Color.web("#20c997"), Color.web("#a970ff"), Color.web("#fd7e14"),
            Color.web("#17a2b8"), Color.web("#e83e8c"), Color.web("#6f9e2b"), Color.web("#c9a227"));

    /** Opens the logs page on a trace (spanId null) or a span, in the window given. */
    @FunctionalInterface
    public interface LogsLink { void open(String traceId, String spanId, Instant from, Instant to); }

    /** Opens a page (the database page) around a time window. */
    @FunctionalInterface
    public interface WindowLink { void open(Instant from, Instant to); }

    private final ObjectProperty<TraceTree> tree = new SimpleObjectProperty<>();
    private final ObservableList<Integer> visible = FXCollections.observableArrayList();
    private final ListView<Integer> list = new ListView<>(visible);
    private final Label title = new Label();
    private final Label problems = new Label();
    private final TextField find = new TextField();
    private final Label hitCount = new Label();
    private final Button copyId = new Button(), openUi = new Button(), logsTrace = new Button(), logsSpan = new Button(), database = new Button(),
            databaseLog = new Button();
    private final TextArea details = new TextArea();
    private final Axis axis = new Axis();
    private final Pane grid = new Pane();
    private final Map<String, Color> colours = new HashMap<>();
    private final BitSet collapsed = new BitSet();
    private int[] subtreeEnd = new int[0];
    private int[] parentRow = new int[0];
    private List<Integer> hits = List.of();
    private BitSet hitSet = new BitSet();
    private int hitIndex = -1;
    private final Function<String, Optional<URI>> uiLink;

    /**
     * @param uiLink   the trace in the backend's own UI (TraceSource::uiLink)
     * @param browser  opens a URL (HostServices); null when the console cannot
     * @param logs     the logs page's pivot; null when there is no logs page
     * @param databaseLink the database page around a time; null when there is none
     */
    public TraceView(Function<String, Optional<URI>> uiLink, Consumer<URI> browser, LogsLink logs, WindowLink databaseLink) {
        this(uiLink, browser, logs, databaseLink, null);
    }

    /** @param dbLog the PostgreSQL server log (logs page, service mes-database) around a time; null when there is none */
    public TraceView(Function<String, Optional<URI>> uiLink, Consumer<URI> browser, LogsLink logs, WindowLink databaseLink, WindowLink dbLog) {
        this.uiLink = uiLink == null ? id -> Optional.empty() : uiLink;
        setId("trace-view");
        getStyleClass().add("trace-view");
        getStylesheets().add(TraceView.class.getResource("traces.css").toExternalForm());
        title.getStyleClass().add("page-title");
        title.setId("trace-title");
        find.setId("trace-find");
        find.promptTextProperty().bind(I18n.bind("trace.find"));
        find.setPrefColumnCount(18);
        find.textProperty().addListener((o, a, t) -> search(t));
        find.setOnAction(e -> step(1));
        Button prev = new Button("▲"), next = new Button("▼");
        prev.setId("trace-find-prev");
        next.setId("trace-find-next");
        prev.setOnAction(e -> step(-1));
        next.setOnAction(e -> step(1));
        hitCount.setId("trace-find-count");
        hitCount.getStyleClass().add("muted");
        copyId.setId("trace-copy-id");
        copyId.textProperty().bind(I18n.bind("trace.copyId"));
        copyId.setOnAction(e -> {
            TraceTree t = tree.get();
            if (t == null) return;
            ClipboardContent c = new ClipboardContent();
            c.putString(t.trace().traceId());
            Clipboard.getSystemClipboard().setContent(c);
        });
        openUi.setId("trace-open-ui");
        openUi.setDisable(true);
        openUi.setOnAction(e -> {
            TraceTree t = tree.get();
            if (t != null && browser != null) this.uiLink.apply(t.trace().traceId()).ifPresent(browser);
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label legend = new Label();
        legend.textProperty().bind(I18n.bind("trace.legend"));
        legend.getStyleClass().add("muted");
        HBox bar = new HBox(8, title, spacer, legend, find, prev, next, hitCount, copyId, openUi);
        bar.setAlignment(Pos.CENTER_LEFT);
        problems.setId("trace-problems");
        problems.getStyleClass().add("trace-problems");
        problems.setWrapText(true);
        problems.setMaxWidth(Double.MAX_VALUE);
        problems.managedProperty().bind(problems.visibleProperty());
        problems.setVisible(false);
        VBox top = new VBox(6, bar, problems);
        top.setPadding(new Insets(0, 0, 6, 0));
        setTop(top);

        list.setId("trace-rows");
        list.getStyleClass().add("trace-rows");
        // rows of known height: the list places them without measuring, so scrolling 10 000 rows stays cheap
        list.setFixedCellSize(ROW_HEIGHT);
        list.setCellFactory(l -> new RowCell());
        list.getSelectionModel().selectedItemProperty().addListener((o, a, i) -> showDetails(i));
        grid.setMouseTransparent(true);
        grid.getStyleClass().add("trace-grid");
        StackPane rows = new StackPane(list, grid);
        VBox waterfall = new VBox(axis, rows);
        VBox.setVgrow(rows, Priority.ALWAYS);

        details.setId("trace-details");
        details.setEditable(false);
        details.setWrapText(true);
        details.getStyleClass().add("trace-details");
        logsTrace.setId("trace-logs");
        logsSpan.setId("span-logs");
        database.setId("span-database");
        databaseLog.setId("span-database-log");
        databaseLog.textProperty().bind(I18n.bind("trace.databaseLog"));
        databaseLog.setDisable(true);
        databaseLog.setOnAction(e -> selectedSpan().ifPresent(s -> {
            // the server logs a statement when it ends (duration) or while it waits (lock wait): a few seconds either side
            if (dbLog != null) dbLog.open(s.start().minus(Duration.ofSeconds(5)), s.end().plus(Duration.ofSeconds(5)));
        }));
        logsTrace.textProperty().bind(I18n.bind("trace.logsOfTrace"));
        logsSpan.textProperty().bind(I18n.bind("trace.logsOfSpan"));
        database.textProperty().bind(I18n.bind("trace.database"));
        logsTrace.setDisable(logs == null);
        logsSpan.setDisable(true);
        database.setDisable(true);
        logsTrace.setOnAction(e -> {
            TraceTree t = tree.get();
            if (t == null || logs == null) return;
            logs.open(t.trace().traceId(), null, micros(t.startMicros()).minus(Duration.ofMinutes(1)), micros(t.endMicros()).plus(Duration.ofMinutes(1)));
        });
        logsSpan.setOnAction(e -> selectedSpan().ifPresent(s -> {
            if (logs != null) logs.open(s.traceId(), s.spanId(), s.start().minus(Duration.ofMinutes(1)), s.end().plus(Duration.ofMinutes(1)));
        }));
        database.setOnAction(e -> selectedSpan().ifPresent(s -> {
            // the database page's charts need a few scrape intervals either side to show the span's moment
            if (databaseLink != null) databaseLink.open(s.start().minus(Duration.ofMinutes(15)), s.end().plus(Duration.ofMinutes(15)));
        }));
        list.getSelectionModel().selectedItemProperty().addListener((o, a, i) -> {
            Span s = selectedSpan().orElse(null);
            logsSpan.setDisable(s == null || logs == null);
            database.setDisable(s == null || databaseLink == null || !s.isDatabase());
            databaseLog.setDisable(s == null || dbLog == null || !s.isDatabase());
        });
        // wraps: four pivots do not fit the side pane's width in one line, and cut labels say nothing
        javafx.scene.layout.FlowPane pivots = new javafx.scene.layout.FlowPane(6, 6, logsTrace, logsSpan, database, databaseLog);
        Label detailsTitle = new Label();
        detailsTitle.textProperty().bind(I18n.bind("trace.details"));
        detailsTitle.getStyleClass().add("section-title");
        VBox side = new VBox(6, detailsTitle, pivots, details);
        VBox.setVgrow(details, Priority.ALWAYS);
        side.setMinWidth(360);
        SplitPane split = new SplitPane(waterfall, side);
        split.setDividerPositions(0.7);
        setCenter(split);

        tree.addListener((o, a, t) -> rebuild(t));
        I18n.follow(this, this::relabel);
        openUi.setText(I18n.text("trace.openIn", sourceName));
        // the axis and the grid lines follow the width of the bars column
        list.widthProperty().addListener((o, a, w) -> layoutGrid());
        axis.widthProperty().addListener((o, a, w) -> layoutGrid());
    }

    public ObjectProperty<TraceTree> treeProperty() { return tree; }

    public ListView<Integer> rows() { return list; }

    /** The rows shown (indices into the tree's rows), collapsed subtrees left out. */
    public List<Integer> visibleRows() { return visible; }

    public List<Integer> hits() { return hits; }

    public void toggle(int row) {
        if (collapsed.get(row)) collapsed.clear(row);
        else collapsed.set(row);
        refreshVisible();
    }

    public boolean isCollapsed(int row) { return collapsed.get(row); }

    private void rebuild(TraceTree t) {
        collapsed.clear();
        colours.clear();
        hits = List.of();
        hitSet = new BitSet();
        hitIndex = -1;
        details.clear();
        if (t == null) {
            visible.clear();
            title.setText("");
            problems.setVisible(false);
            openUi.setDisable(true);
            return;
        }
        List<TraceTree.Row> rows = t.rows();
        int n = rows.size();
        subtreeEnd = new int[n];
        parentRow = new int[n];
        // depth-first order: a row's subtree is the rows after it that are deeper; one pass with a stack
        ArrayDeque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            int d = rows.get(i).depth();
            while (!open.isEmpty() && rows.get(open.peek()).depth() >= d) subtreeEnd[open.pop()] = i;
            parentRow[i] = open.isEmpty() ? -1 : open.peek();
            open.push(i);
            colours.computeIfAbsent(String.valueOf(rows.get(i).span().service()), s -> PALETTE.get(colours.size() % PALETTE.size()));
        }
        while (!open.isEmpty()) subtreeEnd[open.pop()] = n;
        relabel();
        openUi.setDisable(uiLink.apply(t.trace().traceId()).isEmpty());
        axis.setTotal(t.durationMicros());
        refreshVisible();
        if (!visible.isEmpty()) list.getSelectionModel().select(0);
        if (!find.getText().isBlank()) search(find.getText());
        layoutGrid();
    }

    /** The texts that depend on the UI language: again on a language switch. */
    private void relabel() {
        TraceTree t = tree.get();
        openUi.setText(I18n.text("trace.openIn", sourceName));
        if (t == null) return;
        List<TraceTree.Row> rows = t.rows();
        TraceTree.Row root = rows.isEmpty() ? null : rows.getFirst();
        long errors = rows.stream().filter(r -> r.span().error()).count();
        title.setText(root == null ? t.trace().traceId()
                : I18n.text("trace.title", root.span().service(), root.span().name(), formatMicros(t.durationMicros()), group(rows.size()), group(errors)));
        List<String> p = t.problems();
        problems.setText(p.isEmpty() && !t.trace().truncated() ? ""
                : "⚠ " + String.join(" · ", p) + (t.trace().truncated() ? " · " + I18n.text("trace.truncated") : ""));
        problems.setVisible(!p.isEmpty() || t.trace().truncated());
        showDetails(list.getSelectionModel().getSelectedItem());
        list.refresh();
    }

    private String sourceName = "Zipkin";

    /** The name the "open in …" button says. */
    public void setSourceName(String name) {
        this.sourceName = name;
        openUi.setText(I18n.text("trace.openIn", name));
    }

    private void refreshVisible() {
        TraceTree t = tree.get();
        if (t == null) return;
        int n = t.rows().size();
        List<Integer> v = new ArrayList<>(n);
        for (int i = 0; i < n; ) {
            v.add(i);
            i = collapsed.get(i) ? subtreeEnd[i] : i + 1;
        }
        Integer sel = list.getSelectionModel().getSelectedItem();
        visible.setAll(v);
        if (sel != null && v.contains(sel)) list.getSelectionModel().select(sel);
    }

    private void search(String text) {
        TraceTree t = tree.get();
        hits = t == null ? List.of() : t.find(text);
        hitSet = new BitSet();
        hits.forEach(hitSet::set);
        hitIndex = -1;
        hitCount.setText(text == null || text.isBlank() ? "" : I18n.text("trace.hits", group(hits.size())));
        list.refresh();
        if (!hits.isEmpty()) step(1);
    }

    /** Next (+1) or previous (−1) hit: its collapsed ancestors open, it is selected and scrolled to. */
    private void step(int dir) {
        if (hits.isEmpty()) return;
        hitIndex = Math.floorMod(hitIndex + dir, hits.size());
        int row = hits.get(hitIndex);
        boolean opened = false;
        for (int p = parentRow[row]; p >= 0; p = parentRow[p]) {
            if (collapsed.get(p)) {
                collapsed.clear(p);
                opened = true;
            }
        }
        if (opened) refreshVisible();
        hitCount.setText(I18n.text("trace.hitOf", hitIndex + 1, group(hits.size())));
        list.getSelectionModel().select(Integer.valueOf(row));
        int at = visible.indexOf(row);
        if (at >= 0) list.scrollTo(Math.max(0, at - 3));
    }

    private Optional<Span> selectedSpan() {
        Integer i = list.getSelectionModel().getSelectedItem();
        TraceTree t = tree.get();
        if (i == null || t == null || i >= t.rows().size()) return Optional.empty();
        return Optional.of(t.rows().get(i).span());
    }

    private void showDetails(Integer i) {
        TraceTree t = tree.get();
        if (i == null || t == null || i >= t.rows().size()) {
            details.clear();
            return;
        }
        TraceTree.Row r = t.rows().get(i);
        details.setText(describe(r, t.startMicros()));
        details.positionCaret(0);
    }

    /** The details pane's text: what a person asks of a span, tags sorted, events with their attributes. */
    static String describe(TraceTree.Row r, long traceStart) {
        Span s = r.span();
        StringBuilder sb = new StringBuilder();
        sb.append(s.name()).append('\n');
        sb.append(I18n.text("trace.service")).append(": ").append(s.service()).append('\n');
        sb.append(I18n.text("trace.kind")).append(": ").append(s.kind()).append('\n');
        sb.append(I18n.text("trace.startOffset")).append(": +").append(formatMicros(s.startMicros() - traceStart)).append('\n');
        sb.append(I18n.text("trace.duration")).append(": ").append(formatMicros(s.durationMicros())).append('\n');
        sb.append("span id: ").append(s.spanId()).append(s.parentId() == null ? "" : "   parent: " + s.parentId()).append('\n');
        if (s.error()) sb.append("✖ ").append(I18n.text("trace.error")).append('\n');
        if (r.critical()) sb.append("▬ ").append(I18n.text("trace.critical")).append('\n');
        if (r.skewed()) sb.append("⚠ ").append(I18n.text("trace.skewed")).append('\n');
        if (r.orphan()) sb.append("⊘ ").append(I18n.text("trace.orphan")).append('\n');
        sb.append('\n').append(I18n.text("trace.tags")).append(" (").append(s.tags().size()).append(")\n");
        new TreeMap<>(s.tags()).forEach((k, v) -> sb.append("  ").append(k).append(" = ").append(v).append('\n'));
        if (!s.events().isEmpty()) {
            sb.append('\n').append(I18n.text("trace.events")).append(" (").append(s.events().size()).append(")\n");
            for (Span.Event e : s.events()) {
                sb.append("  +").append(formatMicros(e.timeMicros() - traceStart)).append("  ").append(e.name()).append('\n');
                new TreeMap<>(e.attributes()).forEach((k, v) -> {
                    // a stack trace reads as lines, indented under its key
                    if (v.contains("\n")) sb.append("      ").append(k).append(":\n        ").append(v.replace("\n", "\n        ")).append('\n');
                    else sb.append("      ").append(k).append(" = ").append(v).append('\n');
                });
            }
        }
        return sb.toString();
    }

    private static Instant micros(long us) {
        return Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1000);
    }

    /** "850 µs", "12.3 ms", "1.25 s": a duration with its unit, digits grouped. */
    public static String formatMicros(long us) {
        DecimalFormat f = new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        if (Math.abs(us) < 1000) return f.format(us) + " µs";
        if (Math.abs(us) < 1_000_000) return f.format(us / 1000.0) + " ms";
        return f.format(us / 1_000_000.0) + " s";
    }

    static String group(long n) {
        return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(n);
    }

    Color colour(String service) {
        return PALETTE.get(colourIndex(service));
    }

    static final List<String> SERVICE_CLASSES = List.of("svc-0", "svc-1", "svc-2", "svc-3", "svc-4", "svc-5", "svc-6", "svc-7");

    /** The palette slot of a service: in the order the services first appear in the trace. */
    int colourIndex(String service) {
        Color c = colours.get(String.valueOf(service));
        int i = c == null ? 0 : PALETTE.indexOf(c);
        return Math.max(0, i);
    }

    /** Vertical lines at the axis' ticks over the rows (one mouse-transparent pane, not a line per row). */
    private void layoutGrid() {
        double barsWidth = Math.max(1, axis.getWidth() - NAME_WIDTH - Axis.RIGHT);
        List<Region> lines = new ArrayList<>();
        for (double f : axis.tickFractions()) {
            Region l = new Region();
            l.getStyleClass().add("trace-grid-line");
            l.setManaged(false);
            l.resizeRelocate(NAME_WIDTH + f * barsWidth, 0, 1, 10_000);
            lines.add(l);
        }
        grid.getChildren().setAll(lines);
    }

    /** The time axis above the bars: tick labels in ms (or µs/s for very short/long traces), nice steps. */
    static final class Axis extends Region {
        /** Room the list's vertical scroll bar takes, so the axis lines up with the bars. */
        static final double RIGHT = 16;
        private long total = 1;
        private final List<Label> labels = new ArrayList<>();
        private double[] fractions = new double[0];

        Axis() {
            getStyleClass().add("trace-axis");
            setMinHeight(24);
            setPrefHeight(24);
            setId("trace-axis");
        }

        void setTotal(long micros) {
            total = Math.max(1, micros);
            double step = niceStep(total / 5.0);
            List<Double> fr = new ArrayList<>();
            List<Label> ls = new ArrayList<>();
            for (double v = 0; v <= total + 1e-9; v += step) {
                fr.add(v / total);
                Label l = new Label(tick(Math.round(v), total));
                l.getStyleClass().add("trace-axis-label");
                ls.add(l);
            }
            fractions = fr.stream().mapToDouble(Double::doubleValue).toArray();
            labels.clear();
            labels.addAll(ls);
            getChildren().setAll(labels);
            requestLayout();
        }

        double[] tickFractions() { return fractions; }

        List<String> tickTexts() { return labels.stream().map(Label::getText).toList(); }

        /** One unit on the whole axis, chosen by the trace's length: "0 ms, 50 ms, 100 ms", never "0 µs, 50 ms". */
        static String tick(long us, long total) {
            DecimalFormat f = new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
            if (total < 2_000) return f.format(us) + " µs";
            if (total < 20_000_000) return f.format(us / 1000.0) + " ms";
            return f.format(us / 1_000_000.0) + " s";
        }

        static double niceStep(double raw) {
            double mag = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
            double r = raw / mag;
            double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;
            return nice * mag;
        }

        @Override
        protected void layoutChildren() {
            double w = Math.max(1, getWidth() - NAME_WIDTH - RIGHT);
            for (int i = 0; i < labels.size(); i++) {
                Label l = labels.get(i);
                double pw = l.prefWidth(-1);
                double x = NAME_WIDTH + fractions[i] * w;
                // the last label ends at the axis' end instead of running past it
                l.resizeRelocate(Math.min(x + 3, NAME_WIDTH + w - pw), 2, pw, getHeight() - 4);
            }
        }
    }

    /** One waterfall row, reused as the list scrolls: toggle, service colour, name, bar, duration, markers. */
    private final class RowCell extends ListCell<Integer> {
        private final Label toggle = new Label();
        private final Region swatch = new Region();
        private final Label name = new Label();
        private final Region barNode = new Region();
        private final Region criticalMark = new Region();
        private final Label duration = new Label();
        private final Label marks = new Label();
        private final Pane pane = new Pane(toggle, swatch, name, barNode, criticalMark, duration, marks) {
            @Override
            protected void layoutChildren() { place(getWidth(), getHeight()); }
        };

        RowCell() {
            getStyleClass().add("trace-row");
            toggle.getStyleClass().add("trace-toggle");
            swatch.getStyleClass().add("trace-swatch");
            name.getStyleClass().add("trace-name");
            barNode.getStyleClass().add("trace-bar");
            criticalMark.getStyleClass().add("trace-critical");
            duration.getStyleClass().add("trace-duration");
            marks.getStyleClass().add("trace-marks");
            for (var n : List.of(toggle, swatch, name, barNode, criticalMark, duration, marks)) n.setManaged(false);
            toggle.setOnMouseClicked(e -> {
                if (getItem() != null) toggle(getItem());
                e.consume();
            });
            setPrefHeight(ROW_HEIGHT);
            setPadding(Insets.EMPTY);
        }

        private TraceTree.Row row() {
            TraceTree t = tree.get();
            Integer i = getItem();
            return t == null || i == null || i >= t.rows().size() ? null : t.rows().get(i);
        }

        private String svcClass;

        @Override
        protected void updateItem(Integer i, boolean empty) {
            super.updateItem(i, empty);
            TraceTree.Row r = empty ? null : row();
            if (r == null) {
                mark(this, "trace-hit", false);
                mark(this, "trace-row-error", false);
                setGraphic(null);
                setText(null);
                return;
            }
            Span s = r.span();
            toggle.setText(r.childCount() == 0 ? "" : collapsed.get(i) ? "▸" : "▾");
            String tid = r.childCount() == 0 ? null : "trace-toggle-" + i;
            if (!java.util.Objects.equals(tid, toggle.getId())) toggle.setId(tid);
            // style classes change only when they differ: every change re-applies CSS to the node, and a reused cell
            // mostly shows a span of the same service as before (scrolling a 10 000-span trace)
            String svc = SERVICE_CLASSES.get(colourIndex(s.service()));
            if (!svc.equals(svcClass)) {
                if (svcClass != null) {
                    swatch.getStyleClass().remove(svcClass);
                    barNode.getStyleClass().remove(svcClass);
                }
                swatch.getStyleClass().add(svc);
                barNode.getStyleClass().add(svc);
                svcClass = svc;
            }
            name.setText(s.service() + "  " + s.name());
            mark(barNode, "trace-bar-error", s.error());
            mark(barNode, "trace-bar-skewed", r.skewed());
            criticalMark.setVisible(r.critical());
            duration.setText(formatMicros(s.durationMicros()));
            StringBuilder m = new StringBuilder();
            if (s.error()) m.append(" ✖");
            if (r.skewed()) m.append(" ⚠ ").append(I18n.text("trace.skew"));
            if (r.orphan()) m.append(" ⊘ ").append(I18n.text("trace.orphanShort"));
            marks.setText(m.toString());
            mark(this, "trace-row-error", s.error());
            mark(this, "trace-hit", hitSet.get(i));
            setText(null);
            if (getGraphic() != pane) setGraphic(pane);
            pane.requestLayout();
        }

        private void place(double w, double h) {
            TraceTree.Row r = row();
            TraceTree t = tree.get();
            if (r == null || t == null) return;
            double indent = 4 + Math.min(r.depth(), MAX_INDENT_DEPTH) * INDENT;
            toggle.resizeRelocate(indent, 0, 14, h);
            swatch.resizeRelocate(indent + 16, h / 2 - 5, 10, 10);
            double nx = indent + 30;
            name.resizeRelocate(nx, 0, Math.max(10, NAME_WIDTH - nx - 8), h);
            double barsW = Math.max(1, w - NAME_WIDTH - Axis.RIGHT + (getListView() == null ? 0 : 0));
            long total = Math.max(1, t.durationMicros());
            Span s = r.span();
            double x = NAME_WIDTH + (double) (s.startMicros() - t.startMicros()) / total * barsW;
            double bw = Math.max(2, (double) s.durationMicros() / total * barsW);
            barNode.resizeRelocate(x, 5, bw, h - 12);
            criticalMark.resizeRelocate(x, h - 6, bw, 3);
            double dw = duration.prefWidth(-1), mw = marks.prefWidth(-1);
            // the duration goes right of the bar, or left of it when the bar reaches the end
            double after = x + bw + 6;
            boolean inside = false;
            if (after + dw + mw > NAME_WIDTH + barsW + Axis.RIGHT) {
                if (x - dw - mw - 8 >= NAME_WIDTH) {
                    // left of the bar
                    duration.resizeRelocate(x - dw - mw - 8, 0, dw, h);
                    marks.resizeRelocate(x - mw - 4, 0, mw, h);
                } else {
                    // the bar fills the row: the text goes inside its right end
                    inside = true;
                    duration.resizeRelocate(x + bw - dw - mw - 8, 0, dw, h);
                    marks.resizeRelocate(x + bw - mw - 4, 0, mw, h);
                }
            } else {
                duration.resizeRelocate(after, 0, dw, h);
                marks.resizeRelocate(after + dw, 0, mw, h);
            }
            // only on a change: removing and adding it back on every layout re-applied CSS to the label each pass
            mark(duration, "trace-duration-inside", inside);
        }
    }


    /** Adds or removes a style class only when that changes something (a change re-applies CSS). */
    private static void mark(javafx.scene.Node n, String cls, boolean on) {
        boolean has = n.getStyleClass().contains(cls);
        if (on && !has) n.getStyleClass().add(cls);
        else if (!on && has) n.getStyleClass().removeAll(cls);
    }

    /** For tests: the waterfall row node of a tree row currently on screen, if any. */
    Optional<ListCell<?>> cellOf(int row) {
        for (var n : list.lookupAll(".trace-row")) {
            if (n instanceof RowCell c && c.getItem() != null && c.getItem() == row && c.isVisible() && !c.isEmpty()) return Optional.of(c);
        }
        return Optional.empty();
    }
}
