package io.andon.board;

import com.sun.net.httpserver.HttpServer;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduling of the refresh engine against a deliberately slow answer (a local mock: slowness is bad input):
 * no overlapping refreshes, the page's queries run concurrently, pause stops, close ends in-flight work.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RefreshEngineScheduleTest {
    private HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long delayMs = 600;
    /** When set, each query is held until this many are in flight (10 s at most): concurrency shown, not timed. */
    private volatile int gate;
    private volatile double scrapeAgeSeconds = 1;
    private PrometheusClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    + ex.getRequestURI().getRawQuery();
            if (java.net.URLDecoder.decode(body, java.nio.charset.StandardCharsets.UTF_8).contains("timestamp(up)")) {
                // the engine's scrape-age probe: answered at once, not counted with the tiles' queries
                byte[] b = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                        + System.currentTimeMillis() / 1000.0 + ",\"" + scrapeAgeSeconds + "\"]}]}}").getBytes();
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream o = ex.getResponseBody()) { o.write(b); }
                ex.close();
                return;
            }
            requests.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                long until = System.nanoTime() + 10_000_000_000L;
                while (gate > 0 && inFlight.get() < gate && System.nanoTime() < until) Thread.sleep(5);
                Thread.sleep(delayMs);
                byte[] b = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                        + System.currentTimeMillis() / 1000.0 + ",\"1\"]}]}}").getBytes();
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream o = ex.getResponseBody()) { o.write(b); }
            } catch (Exception e) {
                // client gone
            } finally {
                inFlight.decrementAndGet();
                ex.close();
            }
        });
        server.start();
        client = new PrometheusClient("Prometheus", Endpoint.of("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() { server.stop(0); }

    static PageSpec page(int tiles, String refresh) {
        List<TileSpec> ts = new java.util.ArrayList<>();
        for (int i = 0; i < tiles; i++) {
            ts.add(new TileSpec("t" + i, new TileSpec.Text("T", "T"), "q" + i, "count", 0, TileSpec.Skin.NUMBER, null, null, null, null, null, null, null, null));
        }
        return new PageSpec("p", new TileSpec.Text("P", "P"), refresh, null, 4, ts);
    }

    @Test
    void queriesOfOneRefreshRunConcurrentlyAndASecondRefreshIsSkipped() throws Exception {
        List<PageSnapshot> delivered = new CopyOnWriteArrayList<>();
        gate = 8; // a loaded machine started the 8th query after the first had answered in 600 ms: 7 at once
        try (RefreshEngine engine = new RefreshEngine(page(8, "1h"), client, Duration.ZERO, delivered::add, Clock.systemUTC())) {
            CompletableFuture<PageSnapshot> first = CompletableFuture.supplyAsync(engine::refreshNow);
            while (inFlight.get() == 0) Thread.sleep(10);
            assertThat(engine.refreshNow()).as("skipped while the first runs").isNull();
            PageSnapshot snap = first.get(30, TimeUnit.SECONDS);
            assertThat(snap.tiles()).hasSize(8).allSatisfy((id, s) -> assertThat(s.status()).isEqualTo(TileState.Status.OK));
            assertThat(maxInFlight.get()).as("the 8 queries ran at once").isEqualTo(8);
            assertThat(requests.get()).isEqualTo(8);
            assertThat(delivered).containsExactly(snap);
            System.out.printf("8 queries of %d ms each: refresh %d ms, slowest query %d ms%n", delayMs,
                    snap.refreshTime().toMillis(), snap.slowestQuery().toMillis());
        }
    }

    @Test
    void aSharedHubBoundsConcurrencyAndRaisesTheIntervalToTheDatasourceMinimum() throws Exception {
        delayMs = 200;
        QueryHub hub = new QueryHub(client, 3, Duration.ofSeconds(2));
        try (RefreshEngine engine = new RefreshEngine(page(9, "100ms"), hub, Duration.ZERO, s -> {}, Clock.systemUTC(), new java.util.Random(1))) {
            assertThat(engine.interval()).as("a page cannot go below its datasource's minimum").isEqualTo(Duration.ofSeconds(2));
            PageSnapshot snap = engine.refreshNow();
            assertThat(snap.tiles().values()).allSatisfy(s -> assertThat(s.status()).isEqualTo(TileState.Status.OK));
            assertThat(maxInFlight.get()).as("9 queries, at most 3 at once on the datasource").isEqualTo(3);
            assertThat(requests.get()).isEqualTo(9);
            assertThat(snap.refreshTime()).as("three waves of 200 ms").isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
    }

    @Test
    void tenConsolesStartingTogetherDoNotFireInOneMillisecond() throws Exception {
        delayMs = 0;
        // a cold JVM (class loading, first connection, first refresh) would bunch the first answers: warm it
        try (RefreshEngine warm = new RefreshEngine(page(1, "5s"), new QueryHub(client, 8, Duration.ZERO), Duration.ZERO, s -> {},
                Clock.systemUTC(), new java.util.Random(0))) {
            warm.refreshNow();
        }
        List<Long> firstQueryAt = new CopyOnWriteArrayList<>();
        List<RefreshEngine> engines = new java.util.ArrayList<>();
        java.util.Random seeds = new java.util.Random(21);
        for (int i = 0; i < 10; i++) {
            engines.add(new RefreshEngine(page(1, "5s"), new QueryHub(client, 8, Duration.ZERO), Duration.ZERO, s -> {
                if (firstQueryAt.size() < 10) firstQueryAt.add(System.nanoTime() / 1_000_000);
            }, Clock.systemUTC(), new java.util.Random(seeds.nextLong())));
        }
        try {
            engines.forEach(RefreshEngine::resume); // ten consoles, one moment
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (firstQueryAt.size() < 10 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(firstQueryAt).hasSize(10);
            long spread = java.util.Collections.max(firstQueryAt) - java.util.Collections.min(firstQueryAt);
            System.out.println("first refreshes of ten consoles spread over " + spread + " ms");
            assertThat(spread).as("jitter spreads the first refreshes").isGreaterThanOrEqualTo(20);
            assertThat(new java.util.HashSet<>(firstQueryAt).size()).as("distinct milliseconds").isGreaterThan(5);
        } finally {
            engines.forEach(RefreshEngine::close);
        }
    }

    @Test
    void scheduledTicksNeverOverlapAndPauseStops() throws Exception {
        delayMs = 300;
        List<PageSnapshot> delivered = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        try (RefreshEngine engine = new RefreshEngine(page(2, "100ms"), client, Duration.ZERO, s -> {
            delivered.add(s);
            three.countDown();
        }, Clock.systemUTC())) {
            engine.resume();
            assertThat(three.await(20, TimeUnit.SECONDS)).isTrue();
            engine.pause();
            assertThat(engine.isPaused()).isTrue();
            assertThat(maxInFlight.get()).as("2 tiles, never two refreshes at once").isEqualTo(2);
            Thread.sleep(500); // an in-flight refresh may still finish and be delivered
            int after = requests.get();
            Thread.sleep(600);
            assertThat(requests.get()).as("paused: no queries").isEqualTo(after);
            engine.resume();
            int before = delivered.size();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (delivered.size() == before && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(delivered.size()).as("resumed").isGreaterThan(before);
        }
    }

    @Test
    void closeEndsInFlightWorkAndDeliversNothingMore() throws Exception {
        delayMs = 20_000;
        List<PageSnapshot> delivered = new CopyOnWriteArrayList<>();
        RefreshEngine engine = new RefreshEngine(page(3, "1s"), client, Duration.ZERO, delivered::add, Clock.systemUTC());
        engine.resume();
        while (inFlight.get() < 3) Thread.sleep(10);
        long t0 = System.nanoTime();
        engine.close();
        System.out.println("close with 3 queries in flight took " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        Thread.sleep(300);
        assertThat(delivered).isEmpty();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(engine::resume)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A Prometheus that answers but has not scraped for two minutes (restarting, stuck): its instant queries
     * still return the last samples stamped "now". The page must not read OK.
     */
    @Test
    void aDatasourceThatStoppedScrapingMakesThePageStale() throws Exception {
        delayMs = 0;
        scrapeAgeSeconds = 120;
        try (RefreshEngine engine = new RefreshEngine(page(3, "5s"), client, Duration.ZERO, s -> {}, Clock.systemUTC())) {
            PageSnapshot snap = engine.refreshNow(); // not resumed: only these explicit refreshes run
            assertThat(snap.tiles().values()).allSatisfy(t -> {
                assertThat(t.status()).isEqualTo(TileState.Status.STALE);
                assertThat(t.value()).as("last figure kept, greyed").isEqualTo(1.0);
                assertThat(t.message()).contains("newest scrape is 120 s old");
            });
            assertThat(snap.sourceError()).contains("newest scrape is 120 s old");
            scrapeAgeSeconds = 4; // scraping again: an ordinary pause below the 30 s floor
            assertThat(engine.refreshNow().tiles().values()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TileState.Status.OK));
        }
    }
}
