package io.andon.ui.logs;

import io.andon.logs.LogClient;
import io.andon.logs.LogHit;
import io.andon.logs.LogQuery;
import io.andon.ui.I18n;
import io.andon.ui.Page;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Kibana Discover for the control room: query bar, histogram stacked by level (click a bar to zoom), field
 * statistics (click to filter in, − to filter out), an infinite table, the detail of a hit with its
 * surroundings and its request/correlation trail, live tail and streamed export.
 */
public final class LogsPage implements Page {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    private final LogsViewModel vm;
    private final BorderPane root = new BorderPane();
    private final ComboBox<String> range = new ComboBox<>(FXCollections.observableArrayList("15m", "1h", "6h", "24h", "7d", "30d"));
    private final TextField text = new TextField();
    private final ToggleButton audit = new ToggleButton();
    private final TextField fromField = new TextField(), toField = new TextField();
    private final ComboBox<String> filterField = new ComboBox<>(FXCollections.observableArrayList(LogQuery.FILTER_FIELDS));
    private final TextField filterValue = new TextField();
    // the database log (service mes-database): duration range in ms and "slowest first"
    private final TextField minDuration = new TextField(), maxDuration = new TextField();
    private final ToggleButton slowest = new ToggleButton();
    private final FlowPane filters = new FlowPane(6, 4);
    private final StackedBarChart<String, Number> chart = new StackedBarChart<>(new CategoryAxis(), new NumberAxis());
    private final VBox stats = new VBox(6);
    private final TableView<LogHit> table = new TableView<>();
    private final TextArea detail = new TextArea();
    private final Label summary = new Label();
    private final Label error = new Label();
    private final Label warning = new Label();
    private LogQuery current;

    public LogsPage(LogsViewModel vm) {
        this.vm = vm;
        this.current = vm.queryProperty().get();
        root.setId("page-logs");
        root.getStyleClass().add("page");
        range.setValue("1h");
        text.setId("logs-text");
        text.setPromptText("error AND equipment   \"exact phrase\"   -excluded   prefix*");
        text.setOnAction(e -> run());
        HBox.setHgrow(text, Priority.ALWAYS);
        Button search = new Button();
        search.setId("logs-search");
        search.textProperty().bind(I18n.bind("logs.search"));
        search.getStyleClass().add("primary");
        search.setOnAction(e -> run());
        range.setOnAction(e -> run());
        audit.textProperty().bind(I18n.bind("logs.audit"));
        audit.setOnAction(e -> run());
        ToggleButton tail = new ToggleButton();
        tail.textProperty().bind(I18n.bind("logs.tail"));
        tail.selectedProperty().bindBidirectional(vm.tailProperty());
        Button csv = new Button("CSV"), ndjson = new Button("NDJSON"), cancel = new Button("✖");
        csv.setOnAction(e -> vm.export(exportFile("csv"), LogClient.Format.CSV));
        ndjson.setOnAction(e -> vm.export(exportFile("ndjson"), LogClient.Format.NDJSON));
        cancel.setOnAction(e -> vm.cancelExport());
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(vm.exportProgressProperty());
        progress.visibleProperty().bind(vm.exportProgressProperty().greaterThanOrEqualTo(0));
        cancel.visibleProperty().bind(progress.visibleProperty());
        Label exportStatus = new Label();
        exportStatus.textProperty().bind(vm.exportStatusProperty());
        HBox bar = new HBox(8, range, text, search, audit, tail, new Label("⤓"), csv, ndjson, progress, cancel, exportStatus);
        bar.setAlignment(Pos.CENTER_LEFT);
        // absolute range (local time, "yyyy-MM-dd HH:mm"); empty = the preset
        fromField.promptTextProperty().bind(I18n.bind("logs.from"));
        toField.promptTextProperty().bind(I18n.bind("logs.to"));
        fromField.setPrefColumnCount(13);
        toField.setPrefColumnCount(13);
        fromField.setOnAction(e -> run());
        toField.setOnAction(e -> run());
        // exact filters on keyword fields: the value is a term, never query syntax
        filterField.setValue("request_id");
        filterValue.setId("logs-filter-value");
        filterValue.promptTextProperty().bind(I18n.bind("logs.filterValue"));
        Button addFilter = new Button("+");
        addFilter.setId("logs-add-filter");
        Runnable add = () -> {
            String v = filterValue.getText().strip();
            if (v.isEmpty()) return;
            current = current.including(filterField.getValue(), v);
            filterValue.clear();
            showFilters();
            vm.search(current);
        };
        addFilter.setOnAction(e -> add.run());
        filterValue.setOnAction(e -> add.run());
        minDuration.setId("logs-min-duration");
        maxDuration.setId("logs-max-duration");
        for (TextField f : List.of(minDuration, maxDuration)) {
            f.setPrefColumnCount(5);
            f.setOnAction(e -> run());
        }
        minDuration.promptTextProperty().bind(I18n.bind("logs.minDuration"));
        maxDuration.promptTextProperty().bind(I18n.bind("logs.maxDuration"));
        slowest.setId("logs-slowest");
        slowest.textProperty().bind(I18n.bind("logs.slowest"));
        slowest.setOnAction(e -> run());
        // the words follow the language (written once, the page stayed English after a switch to Chinese)
        HBox bar2 = new HBox(8, bound("logs.from", ""), fromField, bound("logs.to", ""), toField,
                bound("logs.filter", "  "), filterField, filterValue, addFilter,
                bound("logs.durationMs", "  "), minDuration, new Label("–"), maxDuration, slowest);
        bar2.setAlignment(Pos.CENTER_LEFT);
        // grey: the source's problem; amber: partial results (failed shards), so nobody reads a short list as "nothing happened"
        banner(error, "logs-error", vm.errorProperty(), "#8a8f98");
        banner(warning, "logs-warning", vm.warningProperty(), "#f0a30a");
        summary.setId("logs-summary");
        VBox top = new VBox(6, bar, bar2, filters, error, warning, summary);
        top.setPadding(new Insets(0, 0, 6, 0));
        root.setTop(top);

        chart.setAnimated(false);
        chart.setLegendVisible(true);
        chart.setCategoryGap(1);
        chart.setPrefHeight(170);
        chart.setMinHeight(150);
        buildTable();
        detail.setEditable(false);
        detail.setWrapText(true);
        detail.setId("logs-detail");
        Button around = new Button(), followReq = new Button(), followCorr = new Button(), copy = new Button();
        openTrace.setId("logs-open-trace");
        openTrace.textProperty().bind(I18n.bind("logs.openTrace"));
        openTrace.setMnemonicParsing(false);
        openTrace.setDisable(true);
        openTrace.setOnAction(e -> selected(h -> {
            if (traceLink != null && h.traceId() != null && !h.traceId().isBlank()) traceLink.open(h.traceId());
        }));
        javafx.scene.control.MenuItem traceItem = new javafx.scene.control.MenuItem();
        traceItem.textProperty().bind(I18n.bind("logs.openTrace"));
        traceItem.disableProperty().bind(openTrace.disableProperty());
        traceItem.setOnAction(e -> openTrace.fire());
        table.setContextMenu(new javafx.scene.control.ContextMenu(traceItem));
        around.textProperty().bind(I18n.bind("logs.surrounding"));
        followReq.textProperty().bind(I18n.bind("logs.followRequest"));
        followCorr.textProperty().bind(I18n.bind("logs.followCorrelation"));
        copy.textProperty().bind(I18n.bind("logs.copy"));
        for (Button b : List.of(around, followReq, followCorr, copy)) b.setMnemonicParsing(false); // request_id keeps its underscore
        around.setOnAction(e -> selected(vm::surrounding));
        followReq.setOnAction(e -> selected(h -> follow("request_id", h.requestId())));
        followCorr.setOnAction(e -> selected(h -> follow("correlation_id", h.correlationId())));
        copy.setOnAction(e -> selected(h -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(h.rawJson());
            Clipboard.getSystemClipboard().setContent(c);
        }));
        // wraps rather than cutting labels short ("Follow correlation_id" is long, more so with "Open trace")
        javafx.scene.layout.FlowPane actions = new javafx.scene.layout.FlowPane(6, 6, around, followReq, followCorr, copy, openTrace);
        VBox detailBox = new VBox(6, actions, detail);
        VBox.setVgrow(detail, Priority.ALWAYS);
        SplitPane results = new SplitPane(table, detailBox);
        results.setDividerPositions(0.62);
        ScrollPaneless.statsWidth(stats);
        BorderPane center = new BorderPane(results);
        center.setTop(chart);
        center.setLeft(stats);
        BorderPane.setMargin(stats, new Insets(0, 8, 0, 0));
        root.setCenter(center);

        vm.histogramProperty().addListener((o, a, h) -> showHistogram(h));
        vm.statsProperty().addListener((o, a, s) -> showStats(s));
        vm.totalProperty().addListener((o, a, t) -> showSummary());
        I18n.follow(root, this::showSummary); // "3,799 hits from …" in the language of the moment, not of the last search
        table.setItems(vm.hits());
        table.getSelectionModel().selectedItemProperty().addListener((o, a, h) -> showDetail(h));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, h) -> updateTraceButton());
    }

    private final Button openTrace = new Button();
    private io.andon.ui.traces.TraceLink traceLink;

    /** Where a log line's trace id leads (the traces page); without one the button stays disabled. */
    public void setTraceLink(io.andon.ui.traces.TraceLink link) {
        this.traceLink = link;
        updateTraceButton();
    }

    private void updateTraceButton() {
        LogHit h = table.getSelectionModel().getSelectedItem();
        openTrace.setDisable(traceLink == null || h == null || h.traceId() == null || h.traceId().isBlank());
    }

    /**
     * Pivot in from a trace or a span: the lines carrying its trace id (and span id when given), in the window
     * around it, any service, no free text.
     */
    public void openTrace(String traceId, String spanId, Instant from, Instant to) {
        LogQuery q = new LogQuery(current.index(), from, to, "", Map.of(), Map.of(), false).including("trace_id", traceId);
        if (spanId != null && !spanId.isBlank()) q = q.including("span_id", spanId);
        current = q;
        slowest.setSelected(false);
        text.clear();
        showFilters();
        vm.search(current, to); // a trace that just ended: its lines are still being shipped
    }

    /** The query the page shows (tests). */
    public LogQuery currentQuery() { return current; }

    /**
     * Pivot in from a tile's drill-down or an alert: the window and the service. The database log opens
     * slowest first (its slow statements with their durations on top), every other service newest first.
     */
    public void open(Instant from, Instant to, String service) {
        boolean db = LogQuery.DATABASE_SERVICE.equals(service);
        current = new LogQuery("mes-logs-*", from, to, "", service == null ? Map.of() : Map.of("service", List.of(service)), Map.of(), false,
                null, null, db ? LogQuery.Order.SLOWEST : LogQuery.Order.NEWEST);
        slowest.setSelected(db);
        minDuration.clear();
        maxDuration.clear();
        showFilters();
        vm.search(current);
    }

    private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private void run() {
        Instant now = Instant.now();
        Instant from = now.minus(io.andon.util.Durations.parse(range.getValue())), to = now;
        try {
            if (!fromField.getText().isBlank()) from = java.time.ZonedDateTime.parse(fromField.getText().strip(), INPUT).toInstant();
            if (!toField.getText().isBlank()) to = java.time.ZonedDateTime.parse(toField.getText().strip(), INPUT).toInstant();
            current = new LogQuery(current.index(), from, to, text.getText(), current.include(), current.exclude(), audit.isSelected());
        } catch (java.time.format.DateTimeParseException | IllegalArgumentException e) {
            vm.errorProperty().set(I18n.text("logs.badRange", INPUT.format(now)));
            return;
        }
        try {
            current = current.withDuration(millis(minDuration), millis(maxDuration))
                    .withOrder(slowest.isSelected() ? LogQuery.Order.SLOWEST : LogQuery.Order.NEWEST);
        } catch (IllegalArgumentException e) {
            vm.errorProperty().set(I18n.text("logs.badDuration"));
            return;
        }
        showFilters();
        vm.search(current);
    }

    /** A duration bound in ms as typed ("1 500", "1,500" and "1500" alike); blank = open end. */
    static Double millis(TextField f) {
        String t = f.getText().strip().replace(",", "").replace(" ", "").replace("\u00a0", "");
        if (t.isEmpty()) return null;
        double v = Double.parseDouble(t); // NumberFormatException is an IllegalArgumentException
        if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) throw new IllegalArgumentException("duration " + t);
        return v;
    }

    private void follow(String field, String value) {
        if (value == null || value.isBlank()) return;
        Instant now = Instant.now();
        // a request's trail across services: the term, over a wide window, nothing else
        current = new LogQuery(current.index(), now.minus(Duration.ofDays(7)), now, "", Map.of(field, List.of(value)), Map.of(), false);
        text.clear();
        showFilters();
        vm.search(current);
    }

    private void selected(java.util.function.Consumer<LogHit> action) {
        LogHit h = table.getSelectionModel().getSelectedItem();
        if (h != null) action.accept(h);
    }

    private Path exportFile(String ext) {
        String name = "andon-logs-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault()).format(Instant.now()) + "." + ext;
        Path dir = Path.of(System.getProperty("user.home"), "Downloads");
        return (java.nio.file.Files.isDirectory(dir) ? dir : Path.of(System.getProperty("user.home"))).resolve(name);
    }

    private void buildTable() {
        table.setId("logs-table");
        // one-line rows of known height: the table then never measures cells to place them, which made
        // appending a page and jumping to the end stall the FX thread (P3)
        table.setFixedCellSize(30);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<LogHit, String> time = column("logs.time", h -> h.timestamp() == null ? "" : TS.format(h.timestamp()), 170);
        TableColumn<LogHit, String> level = column("logs.level", h -> h.level() == null ? "" : h.level(), 80);
        level.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty ? null : v);
                // a style class per level (themes/base.css), not an inline style: reused cells keep their CSS
                getStyleClass().removeAll("level-error", "level-warn", "level-debug");
                if (!empty && v != null) switch (v) {
                    case "ERROR" -> getStyleClass().add("level-error");
                    case "WARN" -> getStyleClass().add("level-warn");
                    case "DEBUG" -> getStyleClass().add("level-debug");
                    default -> { }
                }
            }
        });
        TableColumn<LogHit, String> service = column("logs.service", h -> h.service() == null ? "—" : h.service(), 130);
        TableColumn<LogHit, String> duration = column("logs.duration", h -> durationText(h.fields().get("duration_ms")), 100);
        duration.setStyle("-fx-alignment: CENTER-RIGHT;");
        TableColumn<LogHit, String> message = column("logs.message", h -> preview(h.message()), 600);
        // the message column gives way first: time, service and duration stay readable in a narrow table
        time.setMinWidth(165);
        service.setMinWidth(115);
        duration.setMinWidth(85);
        table.getColumns().setAll(List.of(time, level, service, duration, message));
        // infinite scroll: near the end of what is loaded, fetch the next page of the same point in time
        table.skinProperty().addListener((o, a, skin) -> {
            for (Node n : table.lookupAll(".scroll-bar")) {
                if (n instanceof ScrollBar sb && sb.getOrientation() == javafx.geometry.Orientation.VERTICAL) {
                    sb.valueProperty().addListener((ov, x, y) -> {
                        if (y.doubleValue() >= sb.getMax() * 0.9) vm.loadMore();
                        vm.tailPausedProperty().set(y.doubleValue() > sb.getMin() + 0.001); // scrolled away from the newest: pause tail
                    });
                }
            }
        });
    }

    private static TableColumn<LogHit, String> column(String key, java.util.function.Function<LogHit, String> f, double width) {
        TableColumn<LogHit, String> c = new TableColumn<>();
        c.textProperty().bind(I18n.bind(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(f.apply(p.getValue())));
        return c;
    }

    static String preview(String m) {
        if (m == null) return "";
        String one = m.replace('\n', '⏎');
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }

    /** "1,234.6 ms" in the console's language; blank for a line without a duration. */
    static String durationText(Object ms) {
        if (ms == null) return "";
        try {
            double v = Double.parseDouble(String.valueOf(ms));
            return java.text.NumberFormat.getNumberInstance(I18n.locale()) instanceof java.text.DecimalFormat d
                    ? withDecimals(d, v) + " ms" : v + " ms";
        } catch (NumberFormatException e) {
            return String.valueOf(ms);
        }
    }

    private static String withDecimals(java.text.DecimalFormat d, double v) {
        d.setGroupingUsed(true);
        d.setMinimumFractionDigits(1);
        d.setMaximumFractionDigits(1);
        return d.format(v);
    }

    private void showDetail(LogHit h) {
        if (h == null) return;
        StringBuilder sb = new StringBuilder();
        // a database line: its statement laid out, with its duration, above the fields
        Object statement = h.fields().get("statement");
        if (statement != null) {
            Object ms = h.fields().get("duration_ms");
            sb.append(I18n.text("logs.statement")).append(ms == null ? "" : "  (" + durationText(ms) + ")").append(":\n")
                    .append(io.andon.logs.SqlFormat.format(String.valueOf(statement))).append("\n\n");
        }
        h.fields().forEach((k, v) -> {
            String s = String.valueOf(v);
            if (!k.equals("stack_trace")) sb.append(k).append(": ").append(s.length() > 2000 ? s.substring(0, 2000) + "… (" + s.length() + " chars)" : s).append('\n');
        });
        if (h.stackTrace() != null) sb.append("\n").append(I18n.text("logs.stack")).append(":\n").append(h.stackTrace()).append('\n');
        String raw = h.rawJson();
        sb.append("\nJSON:\n").append(raw.length() > 20_000 ? raw.substring(0, 20_000) + "…" : raw);
        detail.setText(sb.toString());
    }

    private void showHistogram(LogClient.Histogram h) {
        chart.getData().clear();
        if (h == null) return;
        for (String level : List.of("ERROR", "WARN", "INFO", "DEBUG")) {
            XYChart.Series<String, Number> s = new XYChart.Series<>();
            s.setName(level);
            for (LogClient.Bucket b : h.buckets()) {
                XYChart.Data<String, Number> d = new XYChart.Data<>(HM.format(b.time()) + "·" + b.time().getEpochSecond() % 100000, b.byLevel().getOrDefault(level, 0L));
                s.getData().add(d);
            }
            chart.getData().add(s);
        }
        // drag across the bars to zoom to that span (a click zooms into one bucket)
        double[] pressX = {Double.NaN};
        chart.setOnMousePressed(e -> pressX[0] = e.getX());
        chart.setOnMouseReleased(e -> {
            Node plot = chart.lookup(".chart-plot-background");
            if (plot == null || Double.isNaN(pressX[0]) || h.buckets().isEmpty()) return;
            var b = plot.localToScene(plot.getBoundsInLocal());
            var sceneLeft = chart.localToScene(pressX[0], 0).getX();
            var sceneRight = chart.localToScene(e.getX(), 0).getX();
            int i0 = bucketAt(Math.min(sceneLeft, sceneRight), b, h.buckets().size());
            int i1 = bucketAt(Math.max(sceneLeft, sceneRight), b, h.buckets().size());
            current = current.withRange(h.buckets().get(i0).time(), h.buckets().get(i1).time().plus(h.interval()));
            showFilters();
            vm.search(current);
        });
        ((CategoryAxis) chart.getXAxis()).setTickLabelsVisible(false);
        showSummary();
    }

    static int bucketAt(double sceneX, javafx.geometry.Bounds plot, int buckets) {
        double f = (sceneX - plot.getMinX()) / Math.max(1, plot.getWidth());
        return (int) Math.max(0, Math.min(buckets - 1, Math.floor(f * buckets)));
    }

    private void showStats(Map<String, List<LogClient.Count>> s) {
        stats.getChildren().clear();
        s.forEach((field, counts) -> {
            if (counts.isEmpty()) return; // e.g. sqlstate while only application lines are in the range
            Label title = new Label(field);
            title.getStyleClass().add("section-title");
            stats.getChildren().add(title);
            for (LogClient.Count c : counts) {
                Hyperlink in = new Hyperlink(c.value() + "  (" + c.count() + ")");
                in.setOnAction(e -> {
                    current = current.including(field, c.value());
                    showFilters();
                    vm.search(current);
                });
                Hyperlink out = new Hyperlink("−");
                out.setOnAction(e -> {
                    current = current.excluding(field, c.value());
                    showFilters();
                    vm.search(current);
                });
                stats.getChildren().add(new HBox(2, in, out));
            }
        });
    }

    private void showFilters() {
        filters.getChildren().clear();
        current.include().forEach((f, vs) -> vs.forEach(v -> filters.getChildren().add(chip(f + " = " + v, () -> {
            var m = new java.util.LinkedHashMap<>(current.include());
            m.remove(f);
            current = current.withTerms(m, current.exclude());
        }))));
        current.exclude().forEach((f, vs) -> vs.forEach(v -> filters.getChildren().add(chip(f + " ≠ " + v, () -> {
            var m = new java.util.LinkedHashMap<>(current.exclude());
            m.remove(f);
            current = current.withTerms(current.include(), m);
        }))));
    }

    private Node chip(String label, Runnable remove) {
        Button b = new Button(label + "  ✕");
        b.setMnemonicParsing(false); // field names have underscores: "trace_id" showed as "traceid"
        b.getStyleClass().addAll("chip", "chip-info");
        b.setOnAction(e -> {
            remove.run();
            showFilters();
            vm.search(current);
        });
        return b;
    }

    private void showSummary() {
        long t = vm.totalProperty().get();
        summary.setText(t < 0 ? "" : I18n.text("logs.summary", t, current.from() == null ? "" : TS.format(current.from()), current.to() == null ? "" : TS.format(current.to())));
    }

    @Override public String id() { return "logs"; }

    private static Label bound(String key, String lead) {
        Label l = new Label();
        l.textProperty().bind(javafx.beans.binding.Bindings.concat(lead, I18n.bind(key)));
        return l;
    }

    @Override public String title() { return I18n.text("page.logs"); }

    @Override public Node view() { return root; }

    @Override public void onShow() {
        if (vm.hits().isEmpty()) run();
    }

    @Override public CompletableFuture<Void> firstData() {
        if (vm.hits().isEmpty() && !vm.loadingProperty().get()) run();
        return vm.firstData();
    }

    @Override public void dispose() { vm.close(); }

    /** Turns the live tail on, as its toggle does (setting logs.tail = on: a logs screen nobody touches). */
    public void startTail() { vm.tailProperty().set(true); }

    /** Layout helper: the statistics column keeps a readable width. */
    static final class ScrollPaneless {
        static void statsWidth(VBox v) {
            v.setMinWidth(230);
            v.setPrefWidth(250);
        }
    }

    /** A full-width line that shows only while its text is set. */
    private static void banner(Label l, String id, javafx.beans.property.StringProperty text, String colour) {
        l.setId(id);
        l.textProperty().bind(text);
        l.visibleProperty().bind(text.isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
        l.setStyle("-fx-background-color: " + colour + "; -fx-text-fill: black; -fx-font-weight: bold; -fx-padding: 6 10 6 10; -fx-font-size: 15px;");
        l.setMaxWidth(Double.MAX_VALUE);
        l.setWrapText(true);
    }
}
