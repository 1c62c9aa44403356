package io.andon.ui.health;

import io.andon.board.SourceProbe;
import io.andon.net.SourceException;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.Target;
import io.andon.ui.I18n;
import io.andon.ui.Page;
import io.andon.ui.dashboard.DashboardPage;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Health: each source's reachability and latency (probed directly, so it works when Prometheus itself is
 * down), Prometheus' scrape targets with the age of their last scrape, and the health dashboard's tiles.
 */
public final class HealthPage implements Page {
    private final DashboardPage dashboard;
    private final SourceProbe probe;
    private final PrometheusClient prometheus;
    private final BorderPane root = new BorderPane();
    private final HBox sources = new HBox(10);
    private final TableView<Target> targets = new TableView<>();
    private final Label targetsError = new Label();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("health-probe").factory());
    private ScheduledFuture<?> job;

    public HealthPage(DashboardPage dashboard, SourceProbe probe, PrometheusClient prometheus) {
        this.dashboard = dashboard;
        this.probe = probe;
        this.prometheus = prometheus;
        root.setId("page-health");
        sources.setId("health-sources");
        targets.setId("health-targets");
        targets.setPrefHeight(210);
        targets.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        targets.getColumns().setAll(List.of(
                col("health.job", t -> t.job()), col("health.instance", t -> t.instance()),
                col("health.state", t -> ("up".equals(t.health()) ? "✔ " : "✖ ") + t.health()),
                col("health.lastScrape", t -> t.lastScrape() == null ? "—" : Duration.between(t.lastScrape(), Instant.now()).toSeconds() + " s"),
                col("health.duration", t -> t.lastScrapeDuration().toMillis() + " ms"),
                col("health.error", Target::lastError)));
        targetsError.setStyle("-fx-text-fill: #ff6b6b;");
        // an empty error line takes no height (on the wall the table is hidden and the tiles need every row)
        targetsError.managedProperty().bind(targetsError.textProperty().isNotEmpty());
        sources.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        VBox top = new VBox(8, targetsError, targets);
        top.setPadding(new Insets(10, 10, 0, 10));
        root.setTop(top);
    }

    private static TableColumn<Target, String> col(String key, java.util.function.Function<Target, String> f) {
        TableColumn<Target, String> c = new TableColumn<>();
        c.textProperty().bind(I18n.bind(key));
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(f.apply(p.getValue())));
        return c;
    }

    private void poll() {
        List<SourceProbe.Result> results = probe.probe();
        List<Target> ts;
        String err = "";
        try {
            ts = prometheus.targets();
        } catch (SourceException e) {
            ts = null;
            err = io.andon.ui.Problems.text(e);
        }
        List<Target> t = ts;
        String e = err;
        Platform.runLater(() -> {
            // update the chips in place: new nodes would each need CSS and layout every 5 s (wall CPU, P4)
            if (sources.getChildren().size() != results.size()) sources.getChildren().setAll(results.stream().map(HealthPage::chip).toList());
            else for (int i = 0; i < results.size(); i++) update((Label) sources.getChildren().get(i), results.get(i));
            if (t != null) targets.getItems().setAll(t);
            targetsError.setText(e.isEmpty() ? "" : "⚠ " + I18n.text("health.targetsStale") + " — " + e);
        });
    }

    private static Node chip(SourceProbe.Result r) {
        Label l = new Label();
        l.getStyleClass().add("chip");
        l.setStyle("-fx-font-size: 16px; -fx-padding: 6 12 6 12;");
        l.setMaxWidth(600);
        update(l, r);
        return l;
    }

    private static void update(Label l, SourceProbe.Result r) {
        String text = (r.ok() ? "✔ " : "✖ ") + r.name() + "  " + r.latency().toMillis() + " ms  " + r.detail();
        if (!text.equals(l.getText())) l.setText(text);
        String now = r.ok() ? "chip-ok" : "chip-crit", old = r.ok() ? "chip-crit" : "chip-ok";
        if (!l.getStyleClass().contains(now)) {
            l.getStyleClass().remove(old);
            l.getStyleClass().add(now);
        }
    }

    public DashboardPage dashboard() { return dashboard; }

    @Override public String id() { return dashboard.id(); }

    @Override public String title() { return dashboard.title(); }

    @Override public Node view() {
        if (root.getCenter() == null) {
            root.setCenter(dashboard.view()); // the tiles are built when first shown
            dashboard.statusRow().getChildren().addFirst(sources); // the chips share the row of the page's refresh status
        }
        return root;
    }

    @Override
    public void startEarly() { dashboard.startEarly(); }

    @Override
    public void onShow() {
        dashboard.onShow();
        if (job == null) job = timer.scheduleWithFixedDelay(this::poll, 0, 5, TimeUnit.SECONDS);
    }

    @Override
    public void onHide() {
        dashboard.onHide();
        if (job != null) job.cancel(false);
        job = null;
    }

    @Override public void leaving() { dashboard.leaving(); }

    @Override public CompletableFuture<Void> firstData() { return dashboard.firstData(); }

    @Override public CompletableFuture<Void> refreshBeforeShow() { return dashboard.refreshBeforeShow(); }

    @Override
    public void dispose() {
        timer.shutdownNow();
        dashboard.dispose();
    }
}
