package io.andon.ui.logs;

import io.andon.logs.LogClient;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.stack.Elasticsearch;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.ui.I18n;
import javafx.application.Platform;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pivot to the lines of a trace that just ended searched once, before the lines were shipped and indexed, and
 * stayed empty (the three-click pivot failed so in CI). On the real Elasticsearch: a search whose lines may still
 * arrive asks again until they do and says so meanwhile; one whose window is over answers once.
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@Timeout(120)
class LogsAwaitArrivalTest {

    @Test
    void anEmptyAnswerIsAskedAgainUntilTheLinesArriveButOnlyWhileTheyMay(Stack stack) throws Exception {
        Elasticsearch es = stack.elasticsearch();
        String index = "mes-logs-await-" + Long.toHexString(System.nanoTime());
        try (LogsViewModel vm = viewModel(stack)) {
            Instant now = Instant.now();
            // a trace that just ended: its window runs a minute on, as the trace view's pivot asks
            String fresh = traceId();
            vm.search(byTrace(fresh, now), now.plusSeconds(60));
            await(() -> !vm.warningProperty().get().isEmpty(), 20, "the page saying the lines are awaited");
            assertThat(vm.hits()).isEmpty();
            assertThat(vm.warningProperty().get()).startsWith("No lines yet");
            index(es, index, fresh, now);
            await(() -> !vm.hits().isEmpty(), 20, "the line indexed after the first answer, listed without a new search");
            assertThat(vm.hits()).singleElement().satisfies(h -> assertThat(h.traceId()).isEqualTo(fresh));
            assertThat(vm.warningProperty().get()).as("once the lines are there, nothing is awaited").isEmpty();

            // a window that is over: one answer, no asking again
            String old = traceId();
            Instant past = now.minus(Duration.ofHours(2));
            vm.search(byTrace(old, past), past.plusSeconds(60));
            await(() -> !vm.loadingProperty().get(), 20, "the answer for the old trace");
            assertThat(vm.hits()).isEmpty();
            assertThat(vm.warningProperty().get()).isEmpty();
            index(es, index, old, past);
            Thread.sleep(LogsViewModel.AWAIT_EVERY.multipliedBy(3).toMillis());
            assertThat(vm.hits()).as("an old trace's search is not repeated").isEmpty();
            vm.search(byTrace(old, past)); // and the line is there for a search of its own: the wait above proved something
            await(() -> !vm.hits().isEmpty(), 20, "the old trace's line on a new search");
        }
    }

    /**
     * A logs screen started with its live tail on before the site's first line (the soak's logs console, started
     * beside a fresh Elasticsearch) searched once, found no index, and its tail, which polled for lines newer than
     * the newest row listed, had no row to start from: it listed nothing for good. Now an empty list tails from the
     * start of the search's range, and the "no index" message goes once lines come.
     */
    @Test
    void theLiveTailOfAnEmptyAnswerListsTheLinesThatComeLater(Stack stack) throws Exception {
        Elasticsearch es = stack.elasticsearch();
        String index = "mes-logs-tail-" + Long.toHexString(System.nanoTime());
        try (LogsViewModel vm = viewModel(stack)) {
            Instant now = Instant.now();
            vm.search(new LogQuery(index, now.minus(Duration.ofMinutes(15)), now, "", Map.of(), Map.of(), false));
            await(() -> !vm.loadingProperty().get() && !vm.errorProperty().get().isEmpty(), 20, "the answer: no index yet");
            assertThat(vm.hits()).isEmpty();
            vm.tailProperty().set(true);
            String first = traceId();
            index(es, index, first, Instant.now());
            await(() -> !vm.hits().isEmpty(), 20, "the first line of the new index, listed by the tail");
            assertThat(vm.hits()).singleElement().satisfies(h -> assertThat(h.traceId()).isEqualTo(first));
            await(() -> vm.errorProperty().get().isEmpty(), 10, "the no-index message gone once lines came");
            String second = traceId();
            index(es, index, second, Instant.now().plusMillis(5));
            await(() -> vm.hits().size() == 2, 20, "the next line, on top");
            assertThat(vm.hits().getFirst().traceId()).isEqualTo(second);
        }
    }

    /** The FX toolkit up, English, the mes-logs template on the stack's Elasticsearch, and a view model on it. */
    private static LogsViewModel viewModel(Stack stack) throws Exception {
        try {
            Platform.startup(() -> {});
        } catch (IllegalStateException alreadyRunning) {
            // another test of this JVM started the toolkit
        }
        Platform.setImplicitExit(false);
        I18n.setLocale(Locale.ENGLISH);
        Elasticsearch es = stack.elasticsearch();
        es.admin("PUT", "/_index_template/mes-logs", Files.readString(stack.serverDir().resolve("elasticsearch/mes-logs-template.json")));
        return new LogsViewModel(new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)))));
    }

    private static LogQuery byTrace(String traceId, Instant around) {
        return new LogQuery("mes-logs-*", around.minusSeconds(60), around.plusSeconds(60), "", Map.of(), Map.of(), false)
                .including("trace_id", traceId);
    }

    private static void index(Elasticsearch es, String index, String traceId, Instant at) throws Exception {
        es.admin("POST", "/" + index + "/_doc?refresh=true", """
                {"@timestamp":"%s","level":"WARN","service":"mes-app","logger":"http","message":"slow request: GET /api/orders","trace_id":"%s"}"""
                .formatted(at, traceId));
    }

    private static String traceId() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void await(BooleanSupplier c, int seconds, String what) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!onFx(c)) {
            if (System.nanoTime() > end) throw new AssertionError(what + ": not within " + seconds + " s");
            Thread.sleep(100);
        }
    }

    private static boolean onFx(BooleanSupplier c) throws Exception {
        var f = new java.util.concurrent.CompletableFuture<Boolean>();
        Platform.runLater(() -> f.complete(c.getAsBoolean()));
        return f.get();
    }
}
