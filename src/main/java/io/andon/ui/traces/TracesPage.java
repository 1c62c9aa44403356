package io.andon.ui.traces;

import io.andon.traces.TraceQuery;
import io.andon.traces.TraceSummary;
import io.andon.ui.FxTicker;
import io.andon.ui.I18n;
import io.andon.ui.Page;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.ScatterChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Trace search: service, operation, duration bounds, one tag, a time range; the answer as a latency scatter plot
 * (errors red, a click opens the trace) and a list. The waterfall of an opened trace replaces the results until
 * "back". A search that fails leaves the last results on screen marked STALE with their age and the reason.
 */
public final class TracesPage implements Page {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    static final List<String> RANGES = List.of("15m", "1h", "6h", "24h");
    private final TracesViewModel vm;
    private final BorderPane root = new BorderPane();
    private final ComboBox<String> service = new ComboBox<>();
    private final ComboBox<String> operation = new ComboBox<>();
    private final TextField minMs = new TextField(), maxMs = new TextField();
    private final ComboBox<String> tagKey = new ComboBox<>(FXCollections.observableArrayList("http.status_code", "db.statement", "db.operation", "error", "http.route"));
    private final TextField tagValue = new TextField();
    private final ComboBox<String> range = new ComboBox<>(FXCollections.observableArrayList(RANGES));
    private final TextField limit = new TextField("100");
    private final TextField traceId = new TextField();
    private final Label stale = new Label();
    private final Label traceError = new Label();
    private final Label warning = new Label();
    private final Label summary = new Label();
    private final NumberAxis x = new NumberAxis();
    private final NumberAxis y = new NumberAxis();
    private final ScatterChart<Number, Number> chart = new ScatterChart<>(x, y);
    private final TableView<TraceSummary> table = new TableView<>();
    private final TraceView traceView;
    private final BorderPane results = new BorderPane();
    private final BorderPane tracePane = new BorderPane();
    private FxTicker.Handle ageTicker;

    /**
     * @param browser  opens a URL ("open in Zipkin"); null when the console cannot
     * @param logs     pivot to the logs page; null without one
     * @param database pivot to the database page; null without one
     */
    public TracesPage(TracesViewModel vm, Consumer<URI> browser, TraceView.LogsLink logs, TraceView.WindowLink database) {
        this(vm, browser, logs, database, null);
    }

    /** @param databaseLog pivot to the PostgreSQL server log (logs page, mes-database); null without one */
    public TracesPage(TracesViewModel vm, Consumer<URI> browser, TraceView.LogsLink logs, TraceView.WindowLink database, TraceView.WindowLink databaseLog) {
        this.vm = vm;
        Function<String, java.util.Optional<URI>> link = id -> vm.source().uiLink(id);
        this.traceView = new TraceView(link, browser, logs, database, databaseLog);
        traceView.setSourceName(vm.source().name());
        root.setId("page-traces");
        root.getStyleClass().addAll("page", "traces-page");
        root.getStylesheets().add(TracesPage.class.getResource("traces.css").toExternalForm());

        service.setId("traces-service");
        service.setItems(vm.services());
        service.setEditable(true);
        service.promptTextProperty().bind(I18n.bind("traces.anyService"));
        service.setPrefWidth(190);
        service.valueProperty().addListener((o, a, s) -> {
            operation.setValue(null);
            vm.loadOperations(s);
        });
        operation.setId("traces-operation");
        operation.setItems(vm.operations());
        operation.setEditable(true);
        operation.promptTextProperty().bind(I18n.bind("traces.anyOperation"));
        operation.setPrefWidth(230);
        minMs.setId("traces-min");
        maxMs.setId("traces-max");
        minMs.setPrefColumnCount(5);
        maxMs.setPrefColumnCount(5);
        minMs.setPromptText("ms");
        maxMs.setPromptText("ms");
        tagKey.setId("traces-tag-key");
        tagKey.setEditable(true);
        tagKey.setPrefWidth(170);
        tagKey.promptTextProperty().bind(I18n.bind("traces.tag"));
        tagValue.setId("traces-tag-value");
        tagValue.setPrefColumnCount(14);
        tagValue.promptTextProperty().bind(I18n.bind("traces.tagValue"));
        range.setId("traces-range");
        range.setValue("1h");
        limit.setId("traces-limit");
        limit.setPrefColumnCount(4);
        Button search = new Button();
        search.setId("traces-search");
        search.getStyleClass().add("primary");
        search.textProperty().bind(I18n.bind("traces.search"));
        search.setOnAction(e -> run());
        for (TextField f : List.of(minMs, maxMs, tagValue, limit)) f.setOnAction(e -> run());
        range.setOnAction(e -> run());
        traceId.setId("traces-id");
        traceId.setPrefColumnCount(22);
        traceId.promptTextProperty().bind(I18n.bind("traces.traceId"));
        Button open = new Button();
        open.setId("traces-open-id");
        open.textProperty().bind(I18n.bind("traces.open"));
        open.setOnAction(e -> openTrace(traceId.getText().strip()));
        traceId.setOnAction(e -> openTrace(traceId.getText().strip()));
        HBox bar = new HBox(8, service, operation, label("traces.min"), minMs, label("traces.max"), maxMs, tagKey, new Label("="), tagValue,
                range, label("traces.limit"), limit, search);
        bar.setAlignment(Pos.CENTER_LEFT);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        summary.setId("traces-summary");
        summary.getStyleClass().add("muted");
        HBox bar2 = new HBox(8, summary, spacer, traceId, open);
        bar2.setAlignment(Pos.CENTER_LEFT);
        stale.setId("traces-stale");
        stale.getStyleClass().add("traces-stale");
        traceError.setId("traces-trace-error");
        traceError.getStyleClass().add("traces-error");
        traceError.textProperty().bind(vm.traceErrorProperty());
        warning.setId("traces-warning");
        warning.getStyleClass().add("trace-problems");
        warning.textProperty().bind(vm.warningProperty());
        for (Label l : List.of(stale, traceError, warning)) {
            l.setMaxWidth(Double.MAX_VALUE);
            l.setWrapText(true);
            l.managedProperty().bind(l.visibleProperty());
        }
        traceError.visibleProperty().bind(vm.traceErrorProperty().isNotEmpty());
        warning.visibleProperty().bind(vm.warningProperty().isNotEmpty());
        stale.setVisible(false);
        VBox top = new VBox(6, bar, bar2, stale, traceError, warning);
        top.setPadding(new Insets(0, 0, 6, 0));
        root.setTop(top);

        chart.setId("traces-scatter");
        chart.getStyleClass().add("traces-chart");
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        x.setForceZeroInRange(false);
        x.setAutoRanging(false);
        x.setTickLabelFormatter(new javafx.util.StringConverter<>() {
            @Override public String toString(Number n) { return HMS.format(Instant.ofEpochMilli(n.longValue())); }
            @Override public Number fromString(String s) { return 0; }
        });
        y.labelProperty().bind(I18n.bind("traces.durationAxis"));
        x.labelProperty().bind(I18n.bind("traces.timeAxis"));
        y.setForceZeroInRange(true);
        y.setTickLabelFormatter(new javafx.util.StringConverter<>() {
            @Override public String toString(Number n) { return new java.text.DecimalFormat("#,##0.#").format(n.doubleValue()); }
            @Override public Number fromString(String s) { return 0; }
        });
        buildTable();
        SplitPane split = new SplitPane(chart, table);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        results.setCenter(split);
        Button back = new Button();
        back.setId("trace-back");
        back.textProperty().bind(I18n.bind("traces.back"));
        back.setOnAction(e -> showResults());
        HBox traceBar = new HBox(8, back);
        traceBar.setPadding(new Insets(0, 0, 6, 0));
        tracePane.setTop(traceBar);
        tracePane.setCenter(traceView);
        root.setCenter(results);

        vm.results().addListener((ListChangeListener<TraceSummary>) c -> showResults(vm.results()));
        I18n.follow(root, () -> {
            showResults(vm.results());
            showStale();
        });
        vm.errorProperty().addListener((o, a, e) -> showStale());
        vm.resultsAtProperty().addListener((o, a, t) -> showStale());
        traceView.treeProperty().bind(vm.treeProperty());
        vm.treeProperty().addListener((o, a, t) -> {
            if (t != null) root.setCenter(tracePane);
        });
    }

    private static Label label(String key) {
        Label l = new Label();
        l.textProperty().bind(I18n.bind(key));
        return l;
    }

    /** Runs the search the fields describe; a field that cannot be read says so instead of searching. */
    public void run() {
        TraceQuery q;
        try {
            q = query();
        } catch (IllegalArgumentException e) {
            vm.traceErrorProperty().set(e.getMessage());
            return;
        }
        vm.traceErrorProperty().set("");
        vm.search(q);
    }

    TraceQuery query() {
        Instant now = Instant.now();
        Duration len = io.andon.util.Durations.parse(range.getValue() == null ? "1h" : range.getValue());
        int lim;
        try {
            lim = Integer.parseInt(limit.getText().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(I18n.text("traces.badNumber", I18n.text("traces.limit"), limit.getText()));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        String k = tagKey.getEditor().getText() == null || tagKey.getEditor().getText().isBlank() ? tagKey.getValue() : tagKey.getEditor().getText();
        if (k != null && !k.isBlank()) tags.put(k.strip(), tagValue.getText().strip());
        return new TraceQuery(text(service), text(operation), ms(minMs, "traces.min"), ms(maxMs, "traces.max"), tags, now.minus(len), now,
                Math.min(TraceQuery.MAX_LIMIT, Math.max(1, lim)));
    }

    private static String text(ComboBox<String> c) {
        String t = c.isEditable() && c.getEditor().getText() != null && !c.getEditor().getText().isBlank() ? c.getEditor().getText() : c.getValue();
        return t == null || t.isBlank() ? null : t.strip();
    }

    private static Duration ms(TextField f, String key) {
        String t = f.getText().strip().replace(",", "");
        if (t.isEmpty()) return null;
        try {
            double v = Double.parseDouble(t);
            if (v < 0) throw new NumberFormatException();
            return Duration.ofNanos(Math.round(v * 1_000_000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(I18n.text("traces.badNumber", I18n.text(key), f.getText()));
        }
    }

    /** The pivot in: a trace id from an exemplar dot, a log line or the id field. */
    public void openTrace(String id) {
        if (id == null || id.isBlank()) return;
        traceId.setText(id);
        vm.open(id);
    }

    public void showResults() {
        root.setCenter(results);
    }

    public TraceView traceView() { return traceView; }

    public ScatterChart<Number, Number> chart() { return chart; }

    public TableView<TraceSummary> table() { return table; }

    private void buildTable() {
        table.setId("traces-table");
        table.setFixedCellSize(30);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setItems(vm.results());
        // with the source down before any answer, the empty list says why instead of "no traces"
        Label empty = new Label();
        empty.setId("traces-placeholder");
        empty.textProperty().bind(I18n.bind(
                () -> vm.errorProperty().get().isEmpty() ? I18n.text("traces.none") : "✖ " + vm.errorProperty().get(),
                vm.errorProperty()));
        table.setPlaceholder(empty);
        TableColumn<TraceSummary, String> start = col("traces.start", t -> TS.format(t.start()), 180);
        TableColumn<TraceSummary, String> svc = col("traces.rootService", TraceSummary::rootService, 150);
        TableColumn<TraceSummary, String> op = col("traces.operation", TraceSummary::rootName, 280);
        TableColumn<TraceSummary, Long> dur = new TableColumn<>();
        dur.textProperty().bind(I18n.bind("traces.duration"));
        dur.setPrefWidth(120);
        dur.setCellValueFactory(p -> new ReadOnlyObjectWrapper<>(p.getValue().durationMicros()));
        dur.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Long v, boolean e) {
                super.updateItem(v, e);
                setText(e || v == null ? null : TraceView.formatMicros(v));
                setAlignment(Pos.CENTER_RIGHT);
            }
        });
        TableColumn<TraceSummary, String> spans = col("traces.spans", t -> TraceView.group(t.spanCount()), 80);
        TableColumn<TraceSummary, String> errors = col("traces.errors", t -> t.errorCount() == 0 ? "" : "✖ " + TraceView.group(t.errorCount()), 80);
        table.getColumns().setAll(List.of(start, svc, op, dur, spans, errors));
        table.setRowFactory(tv -> {
            TableRow<TraceSummary> r = new TableRow<>() {
                @Override
                protected void updateItem(TraceSummary t, boolean empty) {
                    super.updateItem(t, empty);
                    getStyleClass().remove("level-error");
                    if (!empty && t != null && t.hasError()) getStyleClass().add("level-error");
                }
            };
            // one click opens the trace
            r.setOnMouseClicked(e -> {
                if (!r.isEmpty() && r.getItem() != null) openTrace(r.getItem().traceId());
            });
            return r;
        });
    }

    private static TableColumn<TraceSummary, String> col(String key, Function<TraceSummary, String> f, double w) {
        TableColumn<TraceSummary, String> c = new TableColumn<>();
        c.textProperty().bind(I18n.bind(key));
        c.setPrefWidth(w);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(f.apply(p.getValue())));
        return c;
    }

    /** The scatter plot: one dot per trace at (start, duration in ms); errors red; a click opens the trace. */
    private void showResults(List<? extends TraceSummary> list) {
        XYChart.Series<Number, Number> ok = new XYChart.Series<>(), bad = new XYChart.Series<>();
        double maxMs = 0;
        for (TraceSummary t : list) {
            double msv = t.durationMicros() / 1000.0;
            maxMs = Math.max(maxMs, msv);
            XYChart.Data<Number, Number> d = new XYChart.Data<>(t.start().toEpochMilli(), msv);
            Region dot = new Region();
            dot.setUserData(t.traceId());
            dot.setOnMouseClicked(e -> openTrace(t.traceId()));
            d.setNode(dot);
            (t.hasError() ? bad : ok).getData().add(d);
        }
        chart.getData().setAll(List.of(ok, bad));
        // the chart sets its own style classes on a symbol when it is added: ours go on afterwards
        for (var d : ok.getData()) d.getNode().getStyleClass().add("trace-dot");
        for (var d : bad.getData()) d.getNode().getStyleClass().addAll("trace-dot", "trace-dot-error");
        TraceQuery q = vm.lastQuery();
        if (q != null) {
            double step = timeTick(q.to().toEpochMilli() - q.from().toEpochMilli());
            // ticks fall on whole steps (01:15, 01:20 …): the axis starts at the step before the window
            x.setLowerBound(Math.floor(q.from().toEpochMilli() / step) * step);
            x.setUpperBound(q.to().toEpochMilli());
            x.setTickUnit(step);
        }
        long errs = list.stream().filter(TraceSummary::hasError).count();
        summary.setText(I18n.text("traces.summary", TraceView.group(list.size()), TraceView.group(errs),
                q == null ? "" : TS.format(q.from()), q == null ? "" : TS.format(q.to())));
    }

    /** A round tick step (1 s … 6 h) giving about eight ticks over the window, so labels read 01:15, 01:20, … */
    static double timeTick(long windowMs) {
        long[] steps = {1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000};
        for (long s : steps) if (windowMs / s <= 10) return s;
        return steps[steps.length - 1];
    }

    /** The dots on the plot (for tests and the screenshots). */
    public List<Node> dots() {
        return chart.getData().stream().flatMap(s -> s.getData().stream()).map(XYChart.Data::getNode).toList();
    }

    private void showStale() {
        String err = vm.errorProperty().get();
        Instant at = vm.resultsAtProperty().get();
        if (err.isEmpty()) {
            stale.setVisible(false);
            if (ageTicker != null) ageTicker.cancel();
            ageTicker = null;
            return;
        }
        stale.setText(at == null ? "✖ " + err
                : I18n.text("traces.stale", HMS.format(at), age(Duration.between(at, Instant.now())), err));
        stale.setVisible(true);
        // the age grows while the source stays down
        if (ageTicker == null && at != null) ageTicker = FxTicker.every(Duration.ofSeconds(5), this::showStale);
    }

    /** "35 s", "4 min", "2 h 5 min": how old the shown results are. */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) return s + " s";
        if (s < 7200) return (s / 60) + " min";
        return (s / 3600) + " h " + (s / 60 % 60) + " min";
    }

    public String staleText() { return stale.isVisible() ? stale.getText() : ""; }

    @Override public String id() { return "traces"; }

    @Override public String title() { return I18n.text("page.traces"); }

    @Override public Node view() { return root; }

    @Override public void onShow() {
        if (vm.services().isEmpty()) vm.loadServices();
        if (vm.results().isEmpty() && vm.resultsAtProperty().get() == null && !vm.loadingProperty().get()) run();
    }

    @Override public void onHide() {
        if (ageTicker != null) ageTicker.cancel();
        ageTicker = null;
    }

    @Override public CompletableFuture<Void> firstData() {
        if (vm.resultsAtProperty().get() == null && !vm.loadingProperty().get()) {
            vm.loadServices();
            run();
        }
        return vm.firstData();
    }

    @Override public void dispose() {
        onHide();
        vm.close();
    }
}
