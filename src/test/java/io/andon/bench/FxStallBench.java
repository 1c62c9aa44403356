package io.andon.bench;

import io.andon.board.DashboardRepository;
import io.andon.board.PageSpec;
import io.andon.logs.LogClient;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.ui.Theme;
import io.andon.ui.dashboard.DashboardPage;
import io.andon.ui.dashboard.DashboardViewModel;
import io.andon.ui.logs.LogsPage;
import io.andon.ui.logs.LogsViewModel;
import javafx.animation.AnimationTimer;
import javafx.scene.control.TableView;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * P3: the FX thread's longest stall, as the longest gap between two pulses (an AnimationTimer asks for a
 * pulse every frame, so a gap is time the FX thread was busy: our handlers, CSS, layout and waiting for the
 * renderer). Measured on the System page refreshing every second on the real Prometheus, and on the logs
 * page while it pages through real Elasticsearch documents; each against the same page at rest, so the
 * ratio shows what refreshing adds to the cost of drawing a frame on this machine (Xvfb, no GPU).
 */
@Tag("bench")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
class FxStallBench {
    private static final int SECONDS = 20;
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = io.andon.ui.FxShots.darkRoot(stage, 1920, 1080);
    }

    /** Pulse gaps in ms over {@code seconds}, while {@code during} runs (on this thread). */
    private List<Double> gaps(FxRobot robot, int seconds, ThrowingRunnable during) throws Exception {
        List<Double> gaps = Collections.synchronizedList(new ArrayList<>());
        long[] last = {0};
        AnimationTimer t = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (last[0] != 0) gaps.add((now - last[0]) / 1e6);
                last[0] = now;
            }
        };
        robot.interact(t::start);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) during.run();
        robot.interact(t::stop);
        return new ArrayList<>(gaps);
    }

    interface ThrowingRunnable { void run() throws Exception; }

    private static String row(String what, List<Double> g) {
        List<Double> s = new ArrayList<>(g);
        Collections.sort(s);
        double p99 = s.get((int) Math.min(s.size() - 1, Math.round(s.size() * 0.99)));
        double max = s.getLast();
        return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.2f× | %s |%n", what, s.size(), s.get(s.size() / 2), p99, max, max / 16.0,
                Verdict.atMost(max, 16, Verdict.full()));
    }

    @Test
    void fxThreadStalls(Stack stack, FxRobot robot) throws Exception {
        stack.mes();
        stack.exporter("--db-interval", "1s", "--business-interval", "1s");
        var prom = stack.prometheus();
        var es = stack.elasticsearch();
        PageSpec system = new DashboardRepository(Optional.empty()).load().stream().filter(p -> p.id().equals("system")).findFirst().orElseThrow();
        PageSpec fast = new PageSpec(system.id(), system.title(), "1s", system.datasource(), system.columns(), system.tiles());
        PrometheusClient client = new PrometheusClient("Prometheus", Endpoint.of(prom.baseUri().toString()));
        DashboardViewModel vm = new DashboardViewModel(fast, client, Duration.ZERO);
        DashboardPage page = new DashboardPage(vm, Theme.DARK, t -> {});
        StringBuilder md = new StringBuilder("## P3 FX thread stalls (`FxStallBench`)\n\n")
                .append("Longest gap between two JavaFX pulses (ms) at 1920×1080 under Xvfb (Prism's software pipeline: es2 does not start there), ")
                .append(SECONDS).append(" s per row. Goal: ≤ 16 ms. \"At rest\" is the same page with nothing changing: the cost of a frame on this machine.\n\n")
                .append("| page, activity | pulses | median | p99 | max | max vs 16 ms | verdict (max ≤ 16 ms) |\n|---|---|---|---|---|---|---|\n");
        try {
            robot.interact(() -> {
                root.getChildren().setAll(page.view());
                page.onShow();
            });
            vm.firstData().get(30, java.util.concurrent.TimeUnit.SECONDS);
            Thread.sleep(3000); // sparklines seeded, JIT warm
            md.append(row("System (" + fast.tiles().size() + " tiles), refreshing every 1 s", gaps(robot, SECONDS, () -> Thread.sleep(100))));
            robot.interact(page::onHide);
            Thread.sleep(1500);
            md.append(row("System, at rest (refresh paused)", gaps(robot, SECONDS, () -> Thread.sleep(100))));
        } finally {
            page.dispose();
        }

        // logs: 30 000 documents, the table paged 200 rows at a time as the person scrolls down
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_index_template/mes-logs")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofFile(Path.of(System.getProperty("andon.project.dir", "."), "src/server/elasticsearch/mes-logs-template.json"))).build(),
                HttpResponse.BodyHandlers.discarding());
        Instant end = Instant.now(), start = end.minus(Duration.ofHours(1));
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            bulk.append("{\"index\":{\"_index\":\"mes-logs-fxbench\"}}\n{\"@timestamp\":\"").append(start.plusMillis(i * 120L))
                    .append("\",\"level\":\"").append(i % 9 == 0 ? "ERROR" : "INFO").append("\",\"service\":\"mes-app\",\"logger\":\"io.andon.mes.Api\",\"message\":\"request ")
                    .append(i).append(" done in ").append(i % 300).append(" ms\",\"request_id\":\"req-").append(i).append("\"}\n");
        }
        var r = http.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_bulk?refresh=true")).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(bulk.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || r.body().startsWith("{\"errors\":true")) throw new AssertionError("bulk failed: " + r.body().substring(0, 300));
        try (LogClient logs = new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString())))) {
            LogsViewModel lvm = new LogsViewModel(logs);
            LogsPage lp = new LogsPage(lvm);
            robot.interact(() -> root.getChildren().setAll(lp.view()));
            lvm.search(new LogQuery("mes-logs-fxbench", start, end.plusSeconds(1), "", Map.of(), Map.of(), false));
            lvm.firstData().get(30, java.util.concurrent.TimeUnit.SECONDS);
            Thread.sleep(1000);
            TableView<?> table = robot.lookup("#logs-table").query();
            md.append(row("Logs, at rest (200 rows shown)", gaps(robot, 5, () -> Thread.sleep(100))));
            int[] before = {lvm.hits().size()};
            md.append(row("Logs, scrolling to the end and paging 200 rows at a time", gaps(robot, SECONDS, () -> {
                robot.interact(() -> table.scrollTo(table.getItems().size() - 1));
                long until = System.nanoTime() + 2_000_000_000L;
                while (lvm.hits().size() == before[0] && System.nanoTime() < until) Thread.sleep(20);
                before[0] = lvm.hits().size();
            })));
            md.append("\nRows loaded while paging: ").append(lvm.hits().size()).append(" of ").append(lvm.totalProperty().get()).append(".\n");
            lvm.close();
        }
        BenchReport.write("p3-fx", md.toString());
    }
}
