package io.andon.board;

import io.andon.net.Endpoint;
import io.andon.net.SourceError;
import io.andon.net.SourceException;
import io.andon.prometheus.Datasource;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryResult;
import io.andon.stack.Prometheus;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The refresh engine over real Prometheus: states equal the PromQL answers; blind → STALE (value kept) → recovery. */
@Tag("integration")
@ExtendWith(StackExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RefreshEngineIntegrationTest {
    static final TileSpec HEAD = tile("head", "prometheus_tsdb_head_series", "count", null, null, "30s");
    static final TileSpec UP = tile("up", "up{job=\"prometheus\"}", "count", new TileSpec.Thresholds(null, 1.0, TileSpec.Thresholds.Direction.BELOW), null, null);
    static final TileSpec SCRAPE = tile("scrape", "max(scrape_duration_seconds{job=\"prometheus\"})", "seconds_ms", null, null, null);
    static final TileSpec BY_JOB = tile("by-job", "sum by (job) (up)", "count", null, "job", null);
    static final TileSpec NONE = tile("none", "up{job=\"no-such-job\"}", "count", null, null, null);
    static final TileSpec BAD = tile("bad", "rate(up[5m]", "count", null, null, null);

    static TileSpec tile(String id, String query, String unit, TileSpec.Thresholds th, String legend, String sparkline) {
        return new TileSpec(id, new TileSpec.Text(id, id), query, unit, 3, legend == null ? TileSpec.Skin.NUMBER : TileSpec.Skin.DONUT_CHART,
                th, null, null, null, sparkline, legend, null, null);
    }

    static final PageSpec PAGE = new PageSpec("it", new TileSpec.Text("IT", "IT"), "1s", null, 3, List.of(HEAD, UP, SCRAPE, BY_JOB, NONE, BAD));

    @Test
    void statesEqualThePromQLAnswersAtTheSampleTime(Stack stack) throws Exception {
        Endpoint ep = Endpoint.of(stack.prometheus().baseUri().toString());
        PrometheusClient c = new PrometheusClient("Prometheus", ep);
        io.andon.prometheus.PrometheusClientIntegrationTest.awaitSelfScrapes(c);
        try (RefreshEngine engine = new RefreshEngine(PAGE, new Datasource("Prometheus", ep, Duration.ZERO), s -> {})) {
            assertThat(engine.maxStaleness()).isEqualTo(Duration.ofSeconds(2));
            PageSnapshot snap = engine.refreshNow();
            assertThat(snap.tiles().keySet()).containsExactly("head", "up", "scrape", "by-job", "none", "bad");
            assertThat(snap.sourceError()).isNull();
            assertThat(snap.slowestQuery()).isPositive().isLessThanOrEqualTo(snap.refreshTime());
            for (TileSpec t : List.of(HEAD, UP, SCRAPE)) {
                TileState st = snap.tiles().get(t.id());
                assertThat(st.status()).as(t.id() + ": " + st.message()).isEqualTo(TileState.Status.OK);
                QueryResult direct = c.query(t.query(), st.sampleTime());
                // a scrape's samples carry its start time but are stored when it ends: a loaded machine can have
                // one not stored yet for the tile and stored for this second look, which then sees the newer value;
                // the tile must then show the one before it (one scrape interval earlier). One target only: over
                // several (other tests' targets on the shared stack) the max mixes scrapes stored at other moments
                double now = direct.samples().getFirst().value() * t.scaleOrOne();
                double before = c.query(t.query(), st.sampleTime().minusSeconds(1)).samples().getFirst().value() * t.scaleOrOne();
                assertThat(st.value()).as("%s: the answer at %s (%s) or, while its scrape was being stored, the one before (%s)", t.id(), st.sampleTime(), now, before)
                        .isIn(now, before);
            }
            assertThat(snap.tiles().get("up").value()).isEqualTo(1.0);
            TileState byJob = snap.tiles().get("by-job");
            QueryResult direct = c.query(BY_JOB.query(), byJob.sampleTime());
            assertThat(byJob.series()).hasSize(direct.samples().size()).containsEntry("prometheus", 1.0);
            assertThat(snap.tiles().get("none").status()).isEqualTo(TileState.Status.NO_DATA);
            TileState bad = snap.tiles().get("bad");
            assertThat(bad.status()).isEqualTo(TileState.Status.ERROR);
            assertThat(bad.message()).startsWith("Prometheus rejected the request (bad_data): ").contains("parse error");
            // seeded from one query_range over 30 s at a 1 s step (a Prometheus started seconds ago has fewer points)
            List<Double> line = snap.tiles().get("head").sparkline();
            assertThat(line).isNotEmpty().hasSizeLessThanOrEqualTo(32);
            assertThat(line.getLast()).isPositive();
        }
    }

    @Test
    void stoppedPrometheusTurnsStaleKeepingTheValueThenRecovers(Stack stack) throws Exception {
        Prometheus prom = stack.prometheus();
        Endpoint ep = Endpoint.of(prom.baseUri().toString()).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2));
        io.andon.prometheus.PrometheusClientIntegrationTest.awaitSelfScrapes(new PrometheusClient("Prometheus", ep));
        BlockingQueue<PageSnapshot> snaps = new LinkedBlockingQueue<>();
        PageSpec page = new PageSpec("it2", new TileSpec.Text("IT", "IT"), "1s", null, 2, List.of(HEAD, UP));
        try (RefreshEngine engine = new RefreshEngine(page, new PrometheusClient("Prometheus", ep), Duration.ZERO, snaps::add, Clock.systemUTC())) {
            engine.resume();
            PageSnapshot ok = await(snaps, s -> s.tiles().get("up").status() == TileState.Status.OK, Duration.ofSeconds(30));
            double lastHead = ok.tiles().get("head").value();
            assertThat(lastHead).isPositive();
            prom.stop();
            Instant stopped = Instant.now();
            try {
                snaps.clear();
                PageSnapshot stale = await(snaps, s -> s.tiles().get("up").status() == TileState.Status.STALE, Duration.ofSeconds(20));
                Duration took = Duration.between(stopped, stale.finishedAt());
                System.out.println("STALE after " + took.toMillis() + " ms (page interval 1 s)");
                // within two intervals of the stop, plus the retries of one refresh (refused connections are fast)
                assertThat(took).isLessThan(Duration.ofSeconds(2).plusSeconds(2));
                TileState head = stale.tiles().get("head");
                assertThat(head.status()).isEqualTo(TileState.Status.STALE);
                assertThat(head.hasValue()).as("last value kept").isTrue();
                assertThat(head.sampleTime()).isNotNull().isBefore(stale.finishedAt());
                assertThat(head.message()).contains("unreachable at 127.0.0.1:" + prom.port()).contains("ago)");
                assertThat(stale.sourceError()).contains("unreachable");
                assertThat(stale.sourceErrorKind()).isEqualTo(io.andon.net.SourceException.Kind.UNREACHABLE);
                assertThat(stale.tiles().values()).noneMatch(t -> t.status() == TileState.Status.OK);
                // and it stays STALE with the same kept value while blind
                PageSnapshot later = await(snaps, s -> s.finishedAt().isAfter(stale.finishedAt()), Duration.ofSeconds(10));
                assertThat(later.tiles().get("head").status()).isEqualTo(TileState.Status.STALE);
                assertThat(later.tiles().get("head").value()).isEqualTo(head.value());
            } finally {
                prom.start();
            }
            Instant restarted = Instant.now();
            PageSnapshot back = await(snaps, s -> s.tiles().get("up").status() == TileState.Status.OK
                    && s.tiles().get("head").status() == TileState.Status.OK, Duration.ofSeconds(60));
            System.out.println("OK again " + Duration.between(restarted, back.finishedAt()).toMillis() + " ms after the restart");
            assertThat(back.tiles().get("up").value()).isEqualTo(1.0);
            assertThat(back.tiles().get("head").sampleTime()).isAfter(restarted.minusSeconds(1));
            engine.pause();
            assertThat(engine.isPaused()).isTrue();
        }
    }

    @Test
    void staleWhenTheSourceLagsBeyondItsLimit(Stack stack) throws Exception {
        // a source whose newest answer is older than the limit (as a lagging Thanos or VictoriaMetrics with a
        // latency offset would give): simulated by asking at an evaluation time in the past through the clock
        Endpoint ep = Endpoint.of(stack.prometheus().baseUri().toString());
        PrometheusClient c = new PrometheusClient("Prometheus", ep);
        io.andon.prometheus.PrometheusClientIntegrationTest.awaitSelfScrapes(c);
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(40));
        PageSpec page = new PageSpec("it3", new TileSpec.Text("IT", "IT"), "5s", null, 1, List.of(UP));
        try (RefreshEngine tight = new RefreshEngine(page, c, Duration.ZERO, s -> {}, ahead);
             RefreshEngine loose = new RefreshEngine(page, c, Duration.ofSeconds(60), s -> {}, ahead)) {
            TileState st = tight.refreshNow().tiles().get("up");
            assertThat(st.status()).isEqualTo(TileState.Status.STALE);
            assertThat(st.value()).isEqualTo(1.0);
            assertThat(st.message()).contains("old (limit 10 s)");
            assertThat(loose.refreshNow().tiles().get("up").status()).as("per-datasource limit of 60 s").isEqualTo(TileState.Status.OK);
        }
    }

    static PageSnapshot await(BlockingQueue<PageSnapshot> q, Predicate<PageSnapshot> p, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            PageSnapshot s = q.poll(200, TimeUnit.MILLISECONDS);
            if (s != null && p.test(s)) return s;
        }
        throw new AssertionError("no matching page snapshot within " + max);
    }

    @SuppressWarnings("unused")
    private static boolean isApiError(SourceException e) { return e.error() instanceof SourceError.ApiError; }
}
