package io.andon.chaos;

import io.andon.board.SourceProbe;
import io.andon.net.Endpoint;
import io.andon.stack.JavaService;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import io.andon.traces.TraceQuery;
import io.andon.traces.TraceSummary;
import io.andon.traces.ZipkinTraceSource;
import io.andon.ui.traces.TracesViewModel;
import javafx.application.Platform;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.andon.ui.FxWait.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's chaos case: Zipkin SIGKILLed while the traced MES is under load. The MES keeps answering (its export
 * queue drops and counts, it never waits for the backend); the console's view of the trace backend (the health
 * probe and the traces page, driven at a 1 s interval as the chaos suite drives the other pages) turns stale within
 * two intervals and keeps its last results with their age; after a restart, new traces are found. Zipkin's
 * in-memory store starts empty again, as it would at a site without persistent storage.
 */
@Tag("integration")
@Tag("chaos")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ZipkinChaosTest {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** As in ChaosTest: one probe's own duration, the hop to the FX thread and the sampling, on a shared 2-core machine. */
    static final Duration SLACK = Duration.ofMillis(1200);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void killedZipkinLeavesTheMesAloneAndTheConsoleStaleThenRecovers() throws Exception {
        try {
            Platform.startup(() -> {});
        } catch (IllegalStateException alreadyRunning) {
            // another test of this JVM started the toolkit
        }
        Platform.setImplicitExit(false);
        try (Stack stack = new Stack(StackOptions.forTests().withLabel("zipkin-chaos"))) {
            var zipkin = stack.zipkin();
            stack.external();
            JavaService mes = stack.mes("--seed", "--load", "--load-rate", "40");
            Endpoint zep = Endpoint.of(zipkin.baseUri().toString()).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2));
            SourceProbe probe = new SourceProbe(List.of(SourceProbe.zipkin(zep)));
            TracesViewModel vm = new TracesViewModel(new ZipkinTraceSource("Zipkin", zep));
            try {
                awaitTrue("MES traces in Zipkin", Duration.ofSeconds(60), () -> {
                    fx(() -> {
                        vm.search(TraceQuery.last(Duration.ofMinutes(5), 50).withService("mes-app"));
                        return null;
                    });
                    Thread.sleep(500);
                    return fx(() -> vm.results().size()) > 0;
                });
                assertThat(probe.probe().getFirst().ok()).isTrue();
                long[] before = latencies(mes.baseUri(), 150);
                double droppedBefore = metric(mes.baseUri(), "mes_trace_spans_failed_total") + metric(mes.baseUri(), "mes_trace_spans_dropped_total");

                long killedAt = System.nanoTime();
                stack.stopService("zipkin", true);
                long probeDownMs = -1, staleMs = -1;
                while (System.nanoTime() - killedAt < Duration.ofSeconds(20).toNanos() && (probeDownMs < 0 || staleMs < 0)) {
                    if (probeDownMs < 0 && !probe.probe().getFirst().ok()) probeDownMs = (System.nanoTime() - killedAt) / 1_000_000;
                    fx(() -> {
                        vm.refresh();
                        return null;
                    });
                    Thread.sleep(INTERVAL.toMillis());
                    if (staleMs < 0 && fx(vm::stale)) staleMs = (System.nanoTime() - killedAt) / 1_000_000;
                }
                long bound = 2 * INTERVAL.toMillis() + SLACK.toMillis();
                assertThat(probeDownMs).as("health probe red after the kill (ms)").isBetween(0L, bound);
                assertThat(staleMs).as("traces page stale after the kill (ms)").isBetween(0L, bound);
                assertThat(fx(() -> vm.results().size())).as("the last results stay, marked stale").isPositive();
                assertThat(fx(() -> vm.errorProperty().get())).isNotBlank();

                // the MES under its own load plus this burst, with no trace backend
                long[] during = latencies(mes.baseUri(), 150);
                double droppedAfter = metric(mes.baseUri(), "mes_trace_spans_failed_total") + metric(mes.baseUri(), "mes_trace_spans_dropped_total");
                assertThat(droppedAfter).as("spans that could not be exported are counted").isGreaterThan(droppedBefore);

                Instant restartedAt = Instant.now();
                stack.startAgain("zipkin");
                List<TraceSummary> fresh = new ArrayList<>();
                awaitTrue("new traces after the restart, page fresh again", Duration.ofSeconds(60), () -> {
                    fx(() -> {
                        vm.refresh();
                        return null;
                    });
                    Thread.sleep(INTERVAL.toMillis());
                    fresh.clear();
                    fresh.addAll(fx(() -> List.copyOf(vm.results())));
                    return !fx(vm::stale) && fresh.stream().anyMatch(t -> t.start().isAfter(restartedAt.minusSeconds(1)));
                });
                assertThat(probe.probe().getFirst().ok()).isTrue();
                String line = String.format(Locale.ROOT, "zipkin chaos: health probe red %d ms and traces page stale %d ms after SIGKILL (bound %d ms); "
                                + "MES P50/P99 %d/%d ms with Zipkin, %d/%d ms without (150 requests each, all answered); new traces %d s after restart",
                        probeDownMs, staleMs, bound, pct(before, 50), pct(before, 99), pct(during, 50), pct(during, 99),
                        Duration.between(restartedAt, Instant.now()).toSeconds());
                System.out.println(line);
            } finally {
                vm.close();
            }
        }
    }

    /** Sequential GETs; every one must be answered 200 (the backend's death is not the MES's). */
    private long[] latencies(URI mes, int n) throws Exception {
        long[] ms = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(mes + "/api/equipment/" + (1 + i % 50))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(200);
        }
        Arrays.sort(ms);
        return ms;
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private double metric(URI mes, String name) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(mes + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String l : body.split("\n")) {
            if (l.startsWith(name + " ") || l.startsWith(name + "{")) sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
        }
        return sum;
    }

    private static void awaitTrue(String what, Duration timeout, Callable<Boolean> c) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s");
            Thread.sleep(200);
        }
    }
}
