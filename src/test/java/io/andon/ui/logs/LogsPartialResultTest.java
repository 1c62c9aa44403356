package io.andon.ui.logs;

import io.andon.logs.LogClient;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.stack.Elasticsearch;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs page says when its hits are not the whole truth. Real Elasticsearch, two indices where the filtered
 * field has different types: the filter value cannot be a number, so the shard of the numeric index fails while the
 * keyword index answers — a 200 with fewer hits, which without the banner reads as "that is all there is".
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@Timeout(180)
class LogsPartialResultTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String PATTERN = "andon-partial-*";
    static Elasticsearch es;
    static LogsViewModel vm;

    @BeforeAll
    static void indices(Stack stack) throws Exception {
        try {
            Platform.startup(() -> {});
        } catch (IllegalStateException alreadyRunning) {
            // another test of this JVM started the toolkit
        }
        Platform.setImplicitExit(false); // the screenshot's stage closes: the toolkit must stay up for the rest
        es = stack.elasticsearch();
        String common = "\"@timestamp\":{\"type\":\"date\"},\"level\":{\"type\":\"keyword\"},\"service\":{\"type\":\"keyword\"},"
                + "\"logger\":{\"type\":\"keyword\"},\"user_id\":{\"type\":\"keyword\"},\"message\":{\"type\":\"text\"}";
        for (String[] ix : List.of(new String[] {"andon-partial-a", "keyword"}, new String[] {"andon-partial-b", "long"})) {
            send("DELETE", "/" + ix[0], null);
            var r = send("PUT", "/" + ix[0], "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
                    + "\"mappings\":{\"properties\":{" + common + ",\"code\":{\"type\":\"" + ix[1] + "\"}}}}");
            assertThat(r.statusCode()).as("create %s: %s", ix[0], r.body()).isEqualTo(200);
        }
        String now = Instant.now().minusSeconds(30).toString();
        for (int i = 0; i < 5; i++) {
            send("POST", "/andon-partial-a/_doc", "{\"@timestamp\":\"" + now + "\",\"level\":\"ERROR\",\"service\":\"mes-app\",\"code\":\"E-17\",\"message\":\"a " + i + "\"}");
            send("POST", "/andon-partial-b/_doc", "{\"@timestamp\":\"" + now + "\",\"level\":\"ERROR\",\"service\":\"mes-app\",\"code\":17,\"message\":\"b " + i + "\"}");
        }
        assertThat(send("POST", "/" + PATTERN + "/_refresh", null).statusCode()).isEqualTo(200);
        vm = new LogsViewModel(new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString()))));
    }

    @AfterAll
    static void close() throws Exception {
        if (vm != null) vm.close();
        if (es != null) send("DELETE", "/" + PATTERN, null);
    }

    @Test
    void failedShardsShowAWarningAndACleanSearchClearsIt() throws Exception {
        Instant now = Instant.now();
        LogQuery bad = new LogQuery(PATTERN, now.minus(Duration.ofHours(1)), now.plusSeconds(60), "", Map.of("code", List.of("E-17")), Map.of(), false);
        search(bad);
        assertThat(fx(() -> vm.hits().size())).as("the keyword index answered").isEqualTo(5);
        assertThat(fx(() -> vm.errorProperty().get())).isEmpty();
        assertThat(fx(() -> vm.warningProperty().get())).as("partial result flagged")
                .contains("1 of 2 shards failed").doesNotStartWith("partial result:");
        // the page as a supervisor sees it (target/screenshots/logs-partial.png)
        fx(() -> {
            var stage = new javafx.stage.Stage();
            var root = io.andon.ui.FxShots.darkRoot(stage, 1600, 600);
            root.getChildren().add(new LogsPage(vm).view());
            root.applyCss();
            root.layout();
            io.andon.console.Snapshot.write(root, io.andon.ui.FxShots.dir().resolve("logs-partial.png"));
            stage.close();
            return null;
        });

        // the same page with a query every shard can answer: all ten hits, no banner left over
        LogQuery good = new LogQuery(PATTERN, now.minus(Duration.ofHours(1)), now.plusSeconds(60), "", Map.of("service", List.of("mes-app")), Map.of(), false);
        search(good);
        assertThat(fx(() -> vm.hits().size())).isEqualTo(10);
        assertThat(fx(() -> vm.warningProperty().get())).isEmpty();
    }

    /** Runs a search as the page does and waits for its answer (search() raises loading on the FX thread at once). */
    private static void search(LogQuery q) throws Exception {
        fx(() -> {
            vm.search(q);
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (fx(() -> vm.loadingProperty().get())) {
            if (System.nanoTime() > deadline) throw new AssertionError("the search did not finish within 60 s");
            Thread.sleep(100);
        }
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
        return f.get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(es.baseUri() + path)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
