package io.andon.board;

import io.andon.net.SourceException;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryResult;
import io.andon.prometheus.Sample;
import io.andon.prometheus.Series;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * Refreshes one page: every interval, all its queries run concurrently on virtual threads, and the
 * listener gets one {@link PageSnapshot}. Never two refreshes of a page at once; paused pages cost nothing.
 */
public final class RefreshEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RefreshEngine.class);
    static final int SPARKLINE_MAX_POINTS = 360;

    private final PageSpec page;
    private final PrometheusClient prometheus;
    private final Duration maxStaleness;
    private final Consumer<PageSnapshot> listener;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ExecutorService queries = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, TileState> last = new ConcurrentHashMap<>();
    private final Map<String, Deque<Double>> sparklines = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> schedule;

    /**
     * @param maxStaleness how old a sample may be before the tile is STALE — per datasource, at least two
     *                     refresh intervals (VictoriaMetrics, for one, holds back its newest 30 s)
     */
    public RefreshEngine(PageSpec page, PrometheusClient prometheus, Duration maxStaleness, Consumer<PageSnapshot> listener, Clock clock) {
        this.page = page;
        this.prometheus = prometheus;
        Duration twoIntervals = page.refreshInterval().multipliedBy(2);
        this.maxStaleness = maxStaleness.compareTo(twoIntervals) > 0 ? maxStaleness : twoIntervals;
        this.listener = listener;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("refresh-" + page.id()).factory());
        page.tiles().forEach(t -> last.put(t.id(), TileState.unknown(t.id())));
    }

    public PageSpec page() { return page; }

    public synchronized void resume() {
        if (schedule != null) return;
        schedule = timer.scheduleWithFixedDelay(this::refreshSafely, 0, page.refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void pause() {
        if (schedule != null) schedule.cancel(false);
        schedule = null;
    }

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
        try {
            Instant start = clock.instant();
            Map<String, Future<TileResult>> futures = new LinkedHashMap<>();
            for (TileSpec t : page.tiles()) futures.put(t.id(), queries.submit(() -> evaluate(t)));
            Map<String, TileState> states = new LinkedHashMap<>();
            Duration slowest = Duration.ZERO;
            String sourceError = null;
            for (TileSpec t : page.tiles()) {
                TileResult r;
                try {
                    r = futures.get(t.id()).get();
                } catch (Exception e) {
                    r = new TileResult(error(t, "internal error: " + e), Duration.ZERO, null);
                }
                states.put(t.id(), r.state);
                last.put(t.id(), r.state);
                if (r.took.compareTo(slowest) > 0) slowest = r.took;
                if (r.sourceError != null && sourceError == null) sourceError = r.sourceError;
            }
            PageSnapshot snap = new PageSnapshot(page.id(), states, clock.instant(), Duration.between(start, clock.instant()), slowest, sourceError);
            listener.accept(snap);
            return snap;
        } finally {
            running.set(false);
        }
    }

    private record TileResult(TileState state, Duration took, String sourceError) {}

    private TileResult evaluate(TileSpec t) {
        Instant start = clock.instant();
        Instant now;
        try {
            seedSparkline(t);
            QueryResult r = prometheus.query(t.query());
            now = clock.instant();
            Duration took = Duration.between(start, now);
            if (r.samples().isEmpty()) {
                return new TileResult(new TileState(t.id(), TileState.Status.NO_DATA, Double.NaN, null, now,
                        "the query returned nothing", Map.of(), sparkline(t)), took, null);
            }
            double scale = t.scaleOrOne();
            Map<String, Double> series = new LinkedHashMap<>();
            if (t.legendLabel() != null) {
                for (Sample s : r.samples()) series.put(s.labels().getOrDefault(t.legendLabel(), "?"), s.value() * scale);
            }
            Sample first = r.samples().getFirst();
            double value = t.legendLabel() != null ? series.values().stream().mapToDouble(Double::doubleValue).sum() : first.value() * scale;
            Instant sampleTime = first.time();
            if (Duration.between(sampleTime, now).compareTo(maxStaleness) > 0) {
                return new TileResult(new TileState(t.id(), TileState.Status.STALE, value, sampleTime, now,
                        "newest sample is " + Duration.between(sampleTime, now).toSeconds() + " s old", series, sparkline(t)), took, null);
            }
            append(t, value);
            TileState.Status st = t.thresholdsOrNone().classify(value);
            String msg = r.warnings().isEmpty() ? "" : "warning: " + String.join("; ", r.warnings());
            if (Double.isInfinite(value)) msg = "value is infinite (division by zero in the query?)";
            return new TileResult(new TileState(t.id(), st, value, sampleTime, now, msg, series, sparkline(t)), took, null);
        } catch (SourceException e) {
            now = clock.instant();
            Duration took = Duration.between(start, now);
            if (e.kind() == SourceException.Kind.API_ERROR) {
                return new TileResult(error(t, e.getMessage()), took, null);
            }
            // source blind: keep the last value, greyed, with its age
            TileState prev = last.get(t.id());
            return new TileResult(new TileState(t.id(), TileState.Status.STALE, prev.value(), prev.sampleTime(), now,
                    e.getMessage(), prev.series(), prev.sparkline()), took, e.getMessage());
        }
    }

    private TileState error(TileSpec t, String message) {
        return new TileState(t.id(), TileState.Status.ERROR, Double.NaN, null, clock.instant(), message, Map.of(), sparkline(t));
    }

    private void seedSparkline(TileSpec t) throws SourceException {
        if (t.sparkline().isEmpty() || sparklines.containsKey(t.id())) return;
        Duration range = t.sparkline().get();
        Instant end = clock.instant();
        Duration step = Duration.ofMillis(Math.max(page.refreshInterval().toMillis(), range.toMillis() / SPARKLINE_MAX_POINTS));
        List<Series> rs = prometheus.queryRange(t.query(), end.minus(range), end, step);
        Deque<Double> d = new ArrayDeque<>();
        if (!rs.isEmpty()) for (Series.Point p : rs.getFirst().points()) d.addLast(p.value() * t.scaleOrOne());
        while (d.size() > SPARKLINE_MAX_POINTS) d.removeFirst();
        sparklines.put(t.id(), d);
    }

    private void append(TileSpec t, double v) {
        if (t.sparkline().isEmpty()) return;
        Deque<Double> d = sparklines.computeIfAbsent(t.id(), k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(v);
            while (d.size() > SPARKLINE_MAX_POINTS) d.removeFirst();
        }
    }

    private List<Double> sparkline(TileSpec t) {
        Deque<Double> d = sparklines.get(t.id());
        if (d == null) return List.of();
        synchronized (d) {
            return new ArrayList<>(d);
        }
    }

    @Override
    public void close() {
        pause();
        timer.shutdownNow();
        queries.shutdownNow();
    }
}
