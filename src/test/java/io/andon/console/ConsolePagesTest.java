package io.andon.console;

import io.andon.board.TileState;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.ui.I18n;
import io.andon.ui.Page;
import io.andon.ui.Theme;
import io.andon.ui.dashboard.DashboardPage;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole console on the real stack (exporter, simulated MES, Prometheus with the shipped rules,
 * Alertmanager): every page gets data and is photographed at 1920×1080 in both languages; a simulator
 * scenario turns the business page's "equipment down" tile CRIT.
 */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
class ConsolePagesTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = io.andon.ui.FxShots.darkRoot(stage, 1920, 1080);
    }

    private static void post(HttpClient http, URI mes, String scenario) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(mes + "/admin/scenario")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + scenario + "\"}")).build(), HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void everyPageShowsLiveDataAndAScenarioTurnsATileCrit(Stack stack, FxRobot robot) throws Exception {
        var mes = stack.mes("--seed");
        stack.exporter("--db-interval", "1s", "--business-interval", "1s");
        var am = stack.alertmanager();
        var prom = stack.prometheus();
        var es = stack.elasticsearch();
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_index_template/mes-logs")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofFile(Path.of(System.getProperty("andon.project.dir", "."), "src/server/elasticsearch/mes-logs-template.json"))).build(),
                HttpResponse.BodyHandlers.discarding());
        stack.shipper();
        // some errors in the simulator's log: a short database outage while requests arrive
        post(http, mes.baseUri(), "db-outage");
        for (int i = 0; i < 5; i++) http.send(HttpRequest.newBuilder(URI.create(mes.baseUri() + "/api/equipment/" + (i + 1))).build(), HttpResponse.BodyHandlers.discarding());
        post(http, mes.baseUri(), "normal");
        long logsDeadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < logsDeadline) {
            var r = http.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/mes-logs-*/_count?q=level:ERROR")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && !r.body().contains("\"count\":0")) break;
            Thread.sleep(500);
        }
        var exporter = stack.exporter("--db-interval", "1s", "--business-interval", "1s");
        // the demo runs the plant's terminals against the MES: without requests the latency and rate tiles have nothing to show
        var load = new io.andon.server.mes.load.LoadGenerator(mes.baseUri(), 20, 10, 100_000, Duration.ofMinutes(10));
        load.startInBackground();
        ConsoleContext ctx = new ConsoleContext(prom.baseUri(), List.of(am.baseUri()), Optional.of(es.baseUri()), Optional.of(exporter.baseUri()),
                Optional.of(mes.baseUri()), Optional.empty(), Duration.ZERO, List.of());
        Shell[] shell = new Shell[1];
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            shell[0] = AndonApp.build(ctx, Theme.DARK);
            root.getChildren().setAll(shell[0]);
        });
        // P3: the longest gap between two FX pulses while pages refresh (a stall shows as a long gap)
        long[] lastPulse = {0}, maxGap = {0};
        javafx.animation.AnimationTimer pulse = new javafx.animation.AnimationTimer() {
            @Override
            public void handle(long now) {
                if (lastPulse[0] != 0) maxGap[0] = Math.max(maxGap[0], now - lastPulse[0]);
                lastPulse[0] = now;
            }
        };
        Path docs = Path.of(System.getProperty("andon.project.dir", "."), "target/screenshots");
        Files.createDirectories(docs);
        try {
            robot.interact(pulse::start);
            for (String lang : List.of("en", "zh-CN")) {
                robot.interact(() -> I18n.setLocale(Locale.forLanguageTag(lang)));
                for (Page p : List.copyOf(shell[0].pages().values())) {
                    robot.interact(() -> shell[0].show(p.id()));
                    p.firstData().get(30, java.util.concurrent.TimeUnit.SECONDS);
                    Thread.sleep(1500); // a second refresh: sparklines and rates have two points
                    WaitForAsyncUtils.waitForFxEvents();
                    if (p instanceof DashboardPage d) {
                        long withData = d.viewModel().spec().tiles().stream()
                                .filter(t -> d.tileView(t.id()).state().status() != TileState.Status.UNKNOWN).count();
                        assertThat(withData).as(p.id() + ": every tile refreshed").isEqualTo(d.viewModel().spec().tiles().size());
                        assertThat(d.viewModel().spec().tiles().stream().map(t -> d.tileView(t.id()).state().status()))
                                .as(p.id() + ": no tile in ERROR (bad query)").doesNotContain(TileState.Status.ERROR);
                        assertLive(prom.baseUri(), lang, d);
                    }
                    if (p instanceof io.andon.ui.logs.LogsPage) {
                        javafx.scene.control.TableView<?> t = robot.lookup("#logs-table").query();
                        assertThat(t.getItems()).as("shipped MES logs listed").isNotEmpty();
                    }
                    robot.interact(() -> {
                        try {
                            Snapshot.write(root, docs.resolve(p.id() + "-" + lang + ".png"));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
            robot.interact(pulse::stop);
            double withShots = maxGap[0] / 1e6;
            // the same, sitting on the System page through three refreshes without screenshots or page switches
            robot.interact(() -> shell[0].show("system"));
            Thread.sleep(1000);
            maxGap[0] = 0;
            lastPulse[0] = 0;
            robot.interact(pulse::start);
            Thread.sleep(16_000);
            robot.interact(pulse::stop);
            var sys = ((DashboardPage) shell[0].pages().get("system")).viewModel().lastSnapshotProperty().get();
            System.out.printf("console: longest FX pulse gap during refreshes %.1f ms (%.1f ms including page switches and PNG writes); "
                    + "system page refresh %d ms vs slowest query %d ms%n", maxGap[0] / 1e6, withShots, sys.refreshTime().toMillis(), sys.slowestQuery().toMillis());
            robot.interact(() -> shell[0].show("health"));
            Thread.sleep(1500);
            if (shell[0].pages().get("health") instanceof io.andon.ui.health.HealthPage) {
                javafx.scene.control.TableView<?> targets = robot.lookup("#health-targets").query();
                assertThat(targets.getItems()).as("scrape targets listed").isNotEmpty();
                assertThat(robot.lookup("#health-sources").queryAs(javafx.scene.layout.HBox.class).getChildren()).hasSize(4);
            }
            robot.interact(() -> I18n.setLocale(Locale.ENGLISH));
            DashboardPage business = (DashboardPage) shell[0].pages().get("business");
            robot.interact(() -> shell[0].show("business"));
            assertThat(business.tileView("equipment-down").state().status()).isIn(TileState.Status.OK, TileState.Status.WARN);
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(mes.baseUri() + "/admin/scenario"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"equipment-failure\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while (business.tileView("equipment-down").state().status() != TileState.Status.CRIT && System.nanoTime() < deadline) Thread.sleep(250);
            assertThat(business.tileView("equipment-down").state().status()).as("equipment-failure scenario turns the tile CRIT").isEqualTo(TileState.Status.CRIT);
            assertThat(business.tileView("equipment-down").state().value()).isGreaterThan(5);
            robot.interact(() -> {
                try {
                    Snapshot.write(root, docs.resolve("business-equipment-failure.png"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(mes.baseUri() + "/admin/scenario"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"normal\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            load.stop();
            robot.interact(() -> shell[0].dispose());
        }
    }

    private static final java.util.Set<TileState.Status> LIVE = java.util.EnumSet.of(TileState.Status.OK, TileState.Status.WARN, TileState.Status.CRIT);

    /**
     * Every tile the stack feeds shows a live value (OK, WARN or CRIT) within 60 s of the page showing: NO_DATA and
     * STALE are failures. The only tiles let off are those reading a series a young Prometheus cannot have recorded
     * yet ({@link RecordingReadiness}); each is named in the output.
     */
    private static void assertLive(URI prometheus, String lang, DashboardPage d) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        java.util.List<String> failures, excused;
        while (true) {
            java.util.Set<String> notYet = RecordingReadiness.notYetRecorded(prometheus);
            failures = new java.util.ArrayList<>();
            excused = new java.util.ArrayList<>();
            for (var t : d.viewModel().spec().tiles()) {
                TileState st = d.tileView(t.id()).state();
                if (LIVE.contains(st.status())) continue;
                (RecordingReadiness.fed(t.query(), notYet) ? failures : excused).add(t.id() + " " + st.status() + " (" + st.message() + ")");
            }
            if (failures.isEmpty() || System.nanoTime() > deadline) break;
            Thread.sleep(1000);
        }
        if (!excused.isEmpty()) System.out.printf("%s/%s: reading series a young Prometheus has not recorded yet: %s%n", d.id(), lang, excused);
        assertThat(failures).as(d.id() + " (" + lang + "): tiles the stack feeds that show no live value within 60 s").isEmpty();
    }
}
