package io.andon.board;

import io.andon.net.SourceException;
import io.andon.prometheus.Datasource;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryResult;
import io.andon.prometheus.Series;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Refreshes one page: every interval, all its queries run concurrently on virtual threads, and the listener
 * gets one immutable {@link PageSnapshot} (the view model hops to the FX thread itself). Never two refreshes of
 * a page at once: a tick that finds the previous refresh still running is skipped. Paused pages cost nothing.
 */
public final class RefreshEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RefreshEngine.class);
    static final int SPARKLINE_MAX_POINTS = Sparkline.MAX_POINTS;

    private final PageSpec page;
    private final PrometheusClient prometheus;
    private final QueryHub hub;
    private final Duration interval;
    private final java.util.random.RandomGenerator jitter;
    private final Duration maxStaleness;
    private final Consumer<PageSnapshot> listener;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ExecutorService queries = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, TileState> last = new ConcurrentHashMap<>();
    private final Map<String, Sparkline> sparklines = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> schedule;
    private volatile long busySince = io.andon.util.Watchdog.IDLE;
    /** System.nanoTime() when the last refresh started; 0: never. */
    private volatile long lastStartNanos;
    private volatile Thread refreshing;
    private volatile boolean closed;

    /**
     * @param maxStaleness how old a sample may be before the tile is STALE — per datasource; at least two
     *                     refresh intervals are always allowed (a remote-write hop or long scrape interval needs more)
     */
    public RefreshEngine(PageSpec page, PrometheusClient prometheus, Duration maxStaleness, Consumer<PageSnapshot> listener, Clock clock) {
        this(page, QueryHub.of(prometheus), maxStaleness, listener, clock, new java.util.Random());
    }

    /**
     * On a datasource's shared {@link QueryHub}: the console's pages share its answers, its concurrency bound and
     * its minimum interval. {@code jitter} shifts the start of the periodic refreshes (see {@link #resume()}).
     */
    public RefreshEngine(PageSpec page, QueryHub hub, Duration maxStaleness, Consumer<PageSnapshot> listener, Clock clock,
                         java.util.random.RandomGenerator jitter) {
        this.page = page;
        this.hub = hub;
        this.prometheus = hub.client();
        this.interval = hub.effectiveInterval(page.refreshInterval());
        this.jitter = jitter;
        this.maxStaleness = TileRules.stalenessLimit(interval, maxStaleness);
        this.listener = listener;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("refresh-" + page.id()).factory());
        page.tiles().forEach(t -> last.put(t.id(), TileState.unknown(t.id())));
    }

    /** On the page's datasource, with that datasource's staleness limit. */
    public RefreshEngine(PageSpec page, Datasource datasource, Consumer<PageSnapshot> listener) {
        this(page, new PrometheusClient(datasource), datasource.maxStaleness(), listener, Clock.systemUTC());
    }

    public PageSpec page() { return page; }

    /** The staleness limit in force (max of two intervals and the datasource's). */
    public Duration maxStaleness() { return maxStaleness; }

    /** The interval refreshes run at: the page's, raised to its datasource's minimum. */
    public Duration interval() { return interval; }

    /** Most a refresh start is shifted by: ten consoles started together must not hit one Prometheus in one millisecond. */
    static final long MAX_JITTER_MS = 100;

    /**
     * Starts (or restarts) periodic refreshes, the first one within {@link #MAX_JITTER_MS} (at most a quarter of
     * the interval), randomly: the shift spreads consoles that start at the same moment (a plant's power coming
     * back), and the fixed delay between refreshes keeps them spread. The timer runs on monotonic time. A page
     * refreshed less than an interval ago (the wall's preload of the page it shows next) starts a whole interval
     * later instead: asking again at once would repeat the preload's queries, and miss the shared answers the
     * preload reused.
     */
    public synchronized void resume() {
        if (closed) throw new IllegalStateException("refresh engine of page " + page.id() + " is closed");
        if (schedule != null) return;
        long bound = Math.min(MAX_JITTER_MS, interval.toMillis() / 4);
        long first = bound <= 0 ? 0 : jitter.nextLong(bound + 1);
        long last = lastStartNanos;
        if (last != 0 && System.nanoTime() - last < interval.toNanos()) first += interval.toMillis();
        schedule = timer.scheduleWithFixedDelay(this::refreshSafely, first, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops periodic refreshes; one in flight finishes and is delivered. */
    public synchronized void pause() {
        if (schedule != null) schedule.cancel(false);
        schedule = null;
    }

    public boolean isPaused() { return schedule == null; }

    private void refreshSafely() {
        try {
            refreshNow();
        } catch (RuntimeException e) {
            log.warn("refresh of page {} failed: {}", page.id(), e.toString());
        }
    }

    /** One refresh, synchronously; skipped (returns null) when one is already running. */
    public PageSnapshot refreshNow() {
        if (!running.compareAndSet(false, true)) return null;
        refreshing = Thread.currentThread();
        busySince = System.nanoTime();
        lastStartNanos = busySince;
        try {
            Instant start = clock.instant();
            long t0 = System.nanoTime();
            Map<String, Future<TileResult>> futures = new LinkedHashMap<>();
            for (TileSpec t : page.tiles()) futures.put(t.id(), queries.submit(() -> evaluate(t)));
            Future<Duration> scrapeAge = queries.submit(this::newestScrapeAge);
            Map<String, TileState> states = new LinkedHashMap<>();
            Duration slowest = Duration.ZERO;
            String sourceError = null;
            SourceException.Kind sourceErrorKind = null;
            for (TileSpec t : page.tiles()) {
                TileResult r;
                try {
                    r = futures.get(t.id()).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null; // shutting down: deliver nothing half-made
                } catch (Exception e) {
                    r = new TileResult(new TileState(t.id(), TileState.Status.ERROR, Double.NaN, null, clock.instant(),
                            "internal error: " + e.getCause(), Map.of(), List.of()), Duration.ZERO, null);
                }
                states.put(t.id(), r.state);
                last.put(t.id(), r.state);
                if (r.took.compareTo(slowest) > 0) slowest = r.took;
                if (r.sourceError != null && sourceError == null) {
                    sourceError = r.sourceError;
                    sourceErrorKind = r.kind;
                }
            }
            Duration age = null;
            try {
                age = scrapeAge.get();
            } catch (Exception e) {
                // the tiles' own queries already tell whether the source answers
            }
            Duration stallLimit = maxStaleness.compareTo(SCRAPE_STALL_FLOOR) > 0 ? maxStaleness : SCRAPE_STALL_FLOOR;
            if (age != null && age.compareTo(stallLimit) > 0) {
                // Prometheus answers but has scraped nothing for a while (restarting, stuck, its targets' network
                // gone): an instant query still returns the last samples for 5 min, stamped "now". Not current.
                String why = page.id() + ": the datasource's newest scrape is " + age.toSeconds() + " s old (limit " + stallLimit.toSeconds() + " s)";
                states.replaceAll((id, st) -> TileRules.isFresh(st)
                        ? new TileState(st.tileId(), TileState.Status.STALE, st.value(), st.sampleTime(), st.fetchedAt(), why, st.series(), st.sparkline(), st.warnings()) : st);
                states.forEach(last::put);
                if (sourceError == null) {
                    sourceError = why;
                    sourceErrorKind = SourceException.Kind.TIMEOUT;
                }
            }
            PageSnapshot snap = new PageSnapshot(page.id(), states, clock.instant(), Duration.ofNanos(System.nanoTime() - t0), slowest, sourceError, sourceErrorKind);
            if (!closed) listener.accept(snap);
            log.debug("page {} refreshed from {} in {}", page.id(), start, snap.refreshTime());
            return snap;
        } finally {
            busySince = io.andon.util.Watchdog.IDLE;
            refreshing = null;
            running.set(false);
        }
    }

    /**
     * For the watchdog: since when (nanoTime) the refresh in progress has been running, {@link io.andon.util.Watchdog#IDLE}
     * when none is. A refresh that never returns blocks every later tick (they are skipped), so it must be noticed.
     */
    public io.andon.util.Watchdog.Probe probe(Duration limit) {
        return new io.andon.util.Watchdog.Probe("refresh of page " + page.id(), limit, () -> busySince, () -> refreshing);
    }

    /** Below this a pause between scrapes is ordinary (a 15 s scrape interval, a remote-write hop). */
    static final Duration SCRAPE_STALL_FLOOR = Duration.ofSeconds(30);

    /**
     * The query every page's refresh asks besides its tiles' (see {@link #newestScrapeAge}): whoever counts what a
     * console asks of its datasource counts this one too.
     */
    public static final String SCRAPE_AGE_QUERY = "time() - max(timestamp(up))";

    /**
     * Age of the newest sample of {@code up} (written by every scrape, and remote-written along with the data):
     * {@code timestamp()} of a plain selector is the sample's own time, unlike an aggregate's, which is the
     * evaluation time. Null when the datasource has no {@code up} (nothing to judge by).
     */
    private Duration newestScrapeAge() {
        try {
            QueryResult r = hub.query(SCRAPE_AGE_QUERY, reuseWindow());
            if (r.samples().isEmpty() || !Double.isFinite(r.samples().getFirst().value())) return null;
            return Duration.ofMillis(Math.max(0, Math.round(r.samples().getFirst().value() * 1000)));
        } catch (SourceException e) {
            return null;
        }
    }

    /**
     * An answer another page got less than this ago serves this page too: within one cycle every distinct query
     * goes to the server once. Below a whole interval, so each page still sees an answer of its own cycle.
     */
    private Duration reuseWindow() { return interval.multipliedBy(9).dividedBy(10); }

    /** The state of each tile as last delivered. */
    public Map<String, TileState> lastStates() { return Map.copyOf(last); }

    private record TileResult(TileState state, Duration took, String sourceError, SourceException.Kind kind) {
        TileResult(TileState state, Duration took, String sourceError) { this(state, took, sourceError, null); }
    }

    private TileResult evaluate(TileSpec t) {
        long t0 = System.nanoTime();
        seedSparkline(t);
        try {
            QueryResult r = hub.query(t.query(), reuseWindow());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            Instant now = clock.instant();
            TileState s = TileRules.fromResult(t, r, now, maxStaleness, List.of());
            Sparkline line = sparklines.get(t.id());
            if (line != null && TileRules.isFresh(s) && Double.isFinite(s.value())) line.offer(s.value(), s.sampleTime());
            return new TileResult(withSparkline(s, t), took, null);
        } catch (SourceException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            TileState s = TileRules.fromFailure(t, e, last.get(t.id()), clock.instant(), sparkline(t));
            boolean blind = s.status() == TileState.Status.STALE;
            return new TileResult(s, took, blind ? e.getMessage() : null, blind ? e.kind() : null);
        }
    }

    /**
     * The first time a sparkline tile is refreshed, its history comes from one range query over the tile's
     * range; a failure leaves it for the next refresh (the tile's own figure does not depend on it).
     */
    private void seedSparkline(TileSpec t) {
        if (t.sparkline().isEmpty() || sparklines.containsKey(t.id())) return;
        Duration range = t.sparkline().get();
        Duration step = Duration.ofMillis(Math.max(interval.toMillis(), range.toMillis() / SPARKLINE_MAX_POINTS));
        Instant end = clock.instant();
        try {
            io.andon.prometheus.RangeResult rr = prometheus.range(t.query(), end.minus(range), end, step);
            // the tile's own answer carries its warnings each refresh; the history's are logged, not lost
            if (!rr.warnings().isEmpty()) log.info("sparkline history of {}: {}", t.id(), String.join("; ", rr.warnings()));
            List<Series> rs = rr.series();
            Sparkline line = new Sparkline(step);
            List<Double> values = new ArrayList<>();
            Instant lastTime = null;
            if (!rs.isEmpty()) {
                for (Series.Point p : rs.getFirst().points()) {
                    values.add(p.value() * t.scaleOrOne());
                    lastTime = p.time();
                }
            }
            line.seed(values, lastTime);
            sparklines.put(t.id(), line);
        } catch (SourceException e) {
            log.debug("sparkline of {} not seeded: {}", t.id(), e.getMessage());
        }
    }

    private TileState withSparkline(TileState s, TileSpec t) {
        List<Double> pts = sparkline(t);
        if (pts.isEmpty()) return s;
        return new TileState(s.tileId(), s.status(), s.value(), s.sampleTime(), s.fetchedAt(), s.message(), s.series(), pts, s.warnings());
    }

    private List<Double> sparkline(TileSpec t) {
        Sparkline d = sparklines.get(t.id());
        return d == null ? List.of() : d.snapshot();
    }

    /** Stops the schedule and any queries in flight; no snapshot is delivered afterwards. */
    @Override
    public void close() {
        closed = true;
        pause();
        timer.shutdownNow();
        queries.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
