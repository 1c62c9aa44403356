package io.andon.ui.detail;

import io.andon.board.AlertHistory;
import io.andon.board.TileSpec;
import io.andon.prometheus.Series;
import io.andon.ui.I18n;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Drill-down of one tile: its figure over 1 h … 30 d with the WARN/CRIT lines drawn, the alerts that fired in
 * the same window, and the way on to the logs of that window and service.
 */
public final class DetailPage {
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.systemDefault());
    private final DetailViewModel vm;
    private final BorderPane root = new BorderPane();
    private final Label title = new Label();
    private final Label status = new Label();
    private final NumberAxis x = new NumberAxis();
    private final NumberAxis y = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(x, y);
    private final ListView<String> alerts = new ListView<>();
    private final Button logs = new Button();
    private TileSpec tile;
    private Duration window = Duration.ofHours(1);

    /** @param openLogs (from, to, service) — opens the logs page pre-filtered; null when there is no logs page */
    public DetailPage(DetailViewModel vm, Runnable back, LogsLink openLogs) {
        this(vm, back, openLogs, null);
    }

    /** @param openTrace opens the trace of an exemplar dot; null when no trace source is configured (dots drawn, not clickable) */
    public DetailPage(DetailViewModel vm, Runnable back, LogsLink openLogs, io.andon.ui.traces.TraceLink openTrace) {
        this.vm = vm;
        this.openTrace = openTrace;
        root.getStylesheets().add(DetailPage.class.getResource("/io/andon/ui/traces/traces.css").toExternalForm());
        root.setId("page-detail");
        root.getStyleClass().add("page");
        Button backButton = new Button("← " + I18n.text("detail.back"));
        backButton.setOnAction(e -> back.run());
        title.getStyleClass().add("page-title");
        ToggleGroup g = new ToggleGroup();
        this.rangeGroup = g;
        for (String r : new String[]{"15m", "1h", "6h", "24h", "7d", "30d"}) {
            ToggleButton b = new ToggleButton(r);
            b.setToggleGroup(g);
            b.setId("range-" + r);
            b.setSelected(r.equals("1h"));
            b.setOnAction(e -> {
                window = io.andon.util.Durations.parse(r);
                reload();
            });
            ranges.getChildren().add(b);
        }
        logs.textProperty().bind(I18n.bind("detail.openLogs"));
        logs.setDisable(openLogs == null);
        logs.setOnAction(e -> {
            if (openLogs != null && tile != null) openLogs.open(Instant.now().minus(window), Instant.now(), tile.service());
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox top = new HBox(12, backButton, title, spacer, status, ranges, logs);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(0, 0, 8, 0));
        root.setTop(top);
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(true);
        x.setForceZeroInRange(false);
        y.setForceZeroInRange(false);
        x.setTickLabelFormatter(new javafx.util.StringConverter<>() {
            @Override public String toString(Number n) { return HM.format(Instant.ofEpochSecond(n.longValue())); }
            @Override public Number fromString(String s) { return 0; }
        });
        Label alertsTitle = new Label();
        alertsTitle.textProperty().bind(I18n.bind("detail.alertsInWindow"));
        alertsTitle.getStyleClass().add("section-title");
        alerts.setPrefHeight(220);
        VBox center = new VBox(8, chart, alertsTitle, alerts);
        VBox.setVgrow(chart, Priority.ALWAYS);
        root.setCenter(center);
    }

    private final io.andon.ui.traces.TraceLink openTrace;
    private final java.util.List<Node> exemplarDots = new java.util.ArrayList<>();

    /** The exemplar dots of the chart as drawn (tests, screenshots). */
    public java.util.List<Node> exemplarDots() { return java.util.List.copyOf(exemplarDots); }

    public LineChart<Number, Number> chart() { return chart; }

    /** The logs page's pivot-in. */
    @FunctionalInterface
    public interface LogsLink {
        void open(Instant from, Instant to, String service);
    }

    public Node view() { return root; }

    private final ToggleGroup rangeGroup;
    private final HBox ranges = new HBox(4);

    /**
     * The drill-down with the shortest preset window that still reaches back to {@code since} (a span's time, from
     * the trace view's "database page at this time").
     */
    public void show(TileSpec t, Instant since) {
        Duration back = Duration.between(since, Instant.now());
        String pick = "30d";
        for (String r : new String[]{"15m", "1h", "6h", "24h", "7d", "30d"}) {
            if (io.andon.util.Durations.parse(r).compareTo(back) >= 0) {
                pick = r;
                break;
            }
        }
        window = io.andon.util.Durations.parse(pick);
        for (var n : ranges.getChildren()) if (n instanceof ToggleButton b) b.setSelected(b.getText().equals(pick));
        this.tile = t;
        title.setText(I18n.pick(t.title().en(), t.title().zhCN()));
        reload();
    }

    public void show(TileSpec t) {
        this.tile = t;
        title.setText(I18n.pick(t.title().en(), t.title().zhCN()));
        reload();
    }

    private void reload() {
        shown = null;
        status.setText("…");
        vm.load(tile, window, this::apply);
    }

    private Duration shown;

    /** The window of the chart as last drawn (null before the first answer). */
    public Duration shownWindow() { return shown; }

    private void apply(DetailViewModel.Data d) {
        shown = Duration.between(d.from(), d.to());
        chart.getData().clear();
        if (d.error() != null) {
            status.setText("✖ " + d.error());
            return;
        }
        double scale = d.tile().scaleOrOne();
        y.setLabel(d.tile().unitSymbol().isEmpty() ? null : d.tile().unitSymbol());
        for (Series s : d.series()) {
            XYChart.Series<Number, Number> line = new XYChart.Series<>();
            line.setName(s.labels().isEmpty() ? I18n.pick(d.tile().title().en(), d.tile().title().zhCN()) : s.labels().toString());
            for (Series.Point p : s.points()) {
                if (!Double.isNaN(p.value()) && !Double.isInfinite(p.value())) line.getData().add(new XYChart.Data<>(p.time().getEpochSecond(), p.value() * scale));
            }
            chart.getData().add(line);
        }
        var th = d.tile().thresholds();
        if (th != null) {
            threshold(d, th.warn(), "WARN");
            threshold(d, th.crit(), "CRIT");
        }
        idealBurn(d);
        // last: adding a series after it would make the chart reset its symbols' style classes (seriesChanged)
        exemplars(d, scale);
        x.setAutoRanging(false);
        x.setLowerBound(d.from().getEpochSecond());
        x.setUpperBound(d.to().getEpochSecond());
        x.setTickUnit(Math.max(60, (d.to().getEpochSecond() - d.from().getEpochSecond()) / 6.0));
        alerts.setItems(FXCollections.observableArrayList(d.alerts().stream().map(DetailPage::describe).toList()));
        List<String> notes = new java.util.ArrayList<>(d.warnings());
        if (d.exemplarError() != null) notes.add(d.exemplarError());
        String said = notes.isEmpty() ? "" : "⚠ " + String.join("; ", notes);
        status.setText(d.series().isEmpty() ? I18n.text("state.nodata") + (said.isEmpty() ? "" : "  " + said) : said);
    }

    /**
     * Every exemplar as a dot at (its time, its value in the tile's unit); a click opens its trace. A series of its
     * own whose line is hidden: the dots are the chart's symbols, so they follow the axes like the line does.
     */
    private void exemplars(DetailViewModel.Data d, double scale) {
        exemplarDots.clear();
        if (d.exemplars().isEmpty()) return;
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(I18n.text("detail.exemplars") + " (" + d.exemplars().size() + ")");
        d.exemplars().stream().sorted(java.util.Comparator.comparing(io.andon.prometheus.Exemplar::time)).forEach(e -> {
            if (!Double.isFinite(e.value())) return;
            var point = new XYChart.Data<Number, Number>(e.time().toEpochMilli() / 1000.0, e.value() * scale);
            javafx.scene.layout.Region dot = new javafx.scene.layout.Region();
            dot.getStyleClass().add("exemplar-dot");
            dot.setUserData(e.traceId());
            String tip = e.traceId() + "  " + new java.text.DecimalFormat("#,##0.#").format(e.value() * scale) + " " + d.tile().unitSymbol()
                    + "  " + HM.format(e.time());
            javafx.scene.control.Tooltip.install(dot, new javafx.scene.control.Tooltip(tip));
            if (openTrace != null) dot.setOnMouseClicked(ev -> openTrace.open(e.traceId()));
            point.setNode(dot);
            s.getData().add(point);
            exemplarDots.add(dot);
        });
        chart.getData().add(s);
        exemplarDots.forEach(n -> n.getStyleClass().add("exemplar-dot")); // the chart replaced the symbols' classes
        // the dots only: no line joins unrelated requests
        if (s.getNode() != null) s.getNode().setStyle("-fx-stroke: transparent;");
    }

    /**
     * The ideal budget line of an error-budget tile: 100 % at the start of the SLO window, 0 % now (spent evenly, burn
     * rate 1), drawn over the part of the chart's range that lies in the window.
     */
    private void idealBurn(DetailViewModel.Data d) {
        var w = d.tile().idealBurnWindow();
        if (w.isEmpty()) return;
        double full = d.tile().scaleOrOne(); // a budget of 1.0 in the tile's unit (100 %)
        long end = d.to().getEpochSecond(), start = end - w.get().toSeconds();
        long from = Math.max(d.from().getEpochSecond(), start);
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(I18n.text("detail.idealBurn", d.tile().idealBurn()));
        s.getData().add(new XYChart.Data<>(from, full * (end - from) / (double) (end - start)));
        s.getData().add(new XYChart.Data<>(end, 0.0));
        chart.getData().add(s);
        idealLine = s;
    }

    private XYChart.Series<Number, Number> idealLine;

    /** The ideal-burn series of the chart shown, or null (tests). */
    public XYChart.Series<Number, Number> idealBurnLine() { return idealLine; }

    private void threshold(DetailViewModel.Data d, Double v, String name) {
        if (v == null) return;
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        String unit = d.tile().unitSymbol();
        s.setName(name + " " + new java.text.DecimalFormat("#,##0.###").format(v) + (unit.isEmpty() ? "" : " " + unit));
        s.getData().add(new XYChart.Data<>(d.from().getEpochSecond(), v));
        s.getData().add(new XYChart.Data<>(d.to().getEpochSecond(), v));
        chart.getData().add(s);
    }

    private static String describe(AlertHistory.Row r) {
        StringBuilder sb = new StringBuilder(r.alertname()).append("  ").append(r.labels().getOrDefault("severity", "")).append("  ");
        for (AlertHistory.Interval i : r.intervals()) sb.append(HM.format(i.start())).append("→").append(HM.format(i.end())).append("  ");
        return sb.toString().trim();
    }
}
