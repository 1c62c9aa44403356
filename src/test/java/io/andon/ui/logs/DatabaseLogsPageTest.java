package io.andon.ui.logs;

import io.andon.board.DashboardRepository;
import io.andon.board.TileSpec;
import io.andon.logs.LogClient;
import io.andon.logs.LogHit;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.stack.Elasticsearch;
import io.andon.stack.JavaService;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.ui.I18n;
import javafx.application.Platform;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when" of the database log, on the real stack: the slow-queries scenario runs on the simulated MES,
 * its PostgreSQL lines are shipped, and the Database page's Slow statements tile's drill-down (its `service`,
 * opened as the detail view's logs button does) lists them slowest first with statement and duration, in English
 * and Chinese (target/screenshots/logs-database-en.png, -zh_CN.png).
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@Timeout(240)
class DatabaseLogsPageTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LogsViewModel vm;

    @AfterAll
    static void close() {
        if (vm != null) vm.close();
        I18n.setLocale(Locale.ENGLISH);
    }

    @Test
    void theSlowStatementsTileDrillsDownToTheDatabaseLinesWithTheirDurations(Stack stack) throws Exception {
        try {
            Platform.startup(() -> {});
        } catch (IllegalStateException alreadyRunning) {
            // another test of this JVM started the toolkit
        }
        Platform.setImplicitExit(false);
        Elasticsearch es = stack.elasticsearch();
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_index_template/mes-logs"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofFile(stack.serverDir().resolve("elasticsearch/mes-logs-template.json"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        CompletableFuture<JavaService> mesStart = CompletableFuture.supplyAsync(() -> stack.mes("--seed"));
        stack.shipper();
        JavaService mes = mesStart.join();

        Instant from = Instant.now();
        scenario(mes, "slow-queries");
        try {
            Thread.sleep(4_000);
        } finally {
            scenario(mes, "normal");
        }
        Instant to = Instant.now();

        TileSpec tile = DashboardRepository.parse(Path.of(System.getProperty("andon.project.dir", "."),
                        "src/main/resources/io/andon/dashboards/database.yaml")).tiles().stream()
                .filter(t -> t.id().equals("slow-statements")).findFirst().orElseThrow();
        assertThat(tile.service()).isEqualTo(LogQuery.DATABASE_SERVICE);

        LogClient client = new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30))));
        // the lines are searchable within the shipper's bound (the refresh interval is 5 s)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        LogQuery slow = new LogQuery(LogQuery.DEFAULT_INDEX, from, to.plusSeconds(5), "", java.util.Map.of("service", List.of(tile.service())),
                java.util.Map.of(), false).withDuration(500.0, null);
        while (client.search(slow, null, 1).total() < 2) {
            if (System.nanoTime() > deadline) throw new AssertionError("the slow-queries lines did not arrive within 45 s");
            Thread.sleep(300);
        }

        for (Locale locale : List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE)) {
            fx(() -> {
                I18n.setLocale(locale);
                return null;
            });
            // one view model per page, as in the console
            if (vm != null) vm.close();
            vm = new LogsViewModel(new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString())
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)))));
            var stage = fx(() -> new javafx.stage.Stage());
            LogsPage page = fx(() -> {
                var root = io.andon.ui.FxShots.darkRoot(stage, 1700, 800);
                LogsPage p = new LogsPage(vm);
                root.getChildren().add(p.view());
                // the detail view's "open logs": the window of the chart, the tile's service
                p.open(from, to.plusSeconds(5), tile.service());
                return p;
            });
            awaitLoaded();
            List<LogHit> hits = fx(() -> List.copyOf(vm.hits()));
            assertThat(hits).isNotEmpty().allMatch(h -> LogQuery.DATABASE_SERVICE.equals(h.service()));
            LogHit first = hits.getFirst();
            assertThat(Double.parseDouble(first.fields().get("duration_ms").toString())).as("slowest first").isGreaterThanOrEqualTo(700.0);
            assertThat(first.fields().get("statement").toString()).contains("andon_sim_slow");
            String detail = fx(() -> {
                TableView<?> t = (TableView<?>) stage.getScene().lookup("#logs-table");
                t.getSelectionModel().select(0);
                var root = stage.getScene().getRoot();
                root.applyCss();
                root.layout();
                return ((TextArea) stage.getScene().lookup("#logs-detail")).getText();
            });
            // the statement laid out, one clause a line, with its duration in the page's language
            assertThat(detail).startsWith(I18n.text("logs.statement") + "  (" + LogsPage.durationText(first.fields().get("duration_ms")) + "):\n"
                    + "SELECT pg_sleep(0.7) AS andon_sim_slow, count(*)\nFROM mes_core.work_orders\nWHERE status = 'RUNNING'\n");
            assertThat(LogsPage.durationText("1234.56")).as("grouped digits").isEqualTo("1,234.6 ms");
            var stats = fx(() -> vm.statsProperty().get());
            assertThat(stats.get("service")).extracting(LogClient.Count::value).containsExactly(LogQuery.DATABASE_SERVICE);
            String shot = "logs-database-" + (locale.getLanguage().equals("zh") ? "zh_CN" : "en");
            fx(() -> {
                var root = stage.getScene().getRoot();
                root.applyCss();
                root.layout();
                io.andon.console.Snapshot.write(root, io.andon.ui.FxShots.dir().resolve(shot + ".png"));
                stage.close();
                return null;
            });
            assertThat(Files.size(io.andon.ui.FxShots.dir().resolve(shot + ".png"))).isPositive();
        }
    }

    private static void scenario(JavaService mes, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(mes.baseUri() + "/admin/scenario"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static void awaitLoaded() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Thread.sleep(200);
        while (fx(() -> vm.loadingProperty().get() || vm.statsProperty().get() == null || vm.statsProperty().get().isEmpty()
                || vm.histogramProperty().get() == null || vm.totalProperty().get() < 0)) {
            if (System.nanoTime() > deadline) throw new AssertionError("the logs page did not finish loading within 60 s: " + fx(() -> vm.errorProperty().get()));
            Thread.sleep(100);
        }
        Thread.sleep(300); // the histogram and statistics arrive beside the hits
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(20, TimeUnit.SECONDS);
    }
}
