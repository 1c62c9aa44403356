package io.andon.board;

import io.andon.net.SourceException;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryKey;
import io.andon.prometheus.QueryResult;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The instant queries of one datasource for the whole console. Every page's refresh engine asks here, so
 * <ul>
 *   <li>one PromQL expression ({@link QueryKey normalised}) asked by several tiles or pages within one refresh
 *       cycle goes to the server once: a caller finding the same query in flight joins it, one finding an
 *       answer younger than its reuse window takes that answer;</li>
 *   <li>at most {@code maxConcurrent} queries run against the datasource at once (a page's queries still go out
 *       together, the rest wait for a permit rather than pile onto a slow server);</li>
 *   <li>no page refreshes more often than the datasource's {@link #minInterval()}.</li>
 * </ul>
 * Failures are never cached: callers that joined the failed request get its error, the next cycle asks again.
 * Ages use a monotonic clock (a wall-clock step must not make an old answer look new).
 */
public final class QueryHub {
    /** Default bound of concurrent queries per datasource. */
    public static final int DEFAULT_CONCURRENCY = 8;
    /** Default floor of any page's refresh interval on a datasource. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(1);
    /** Answers older than this are dropped at the next sweep (a page removed, a query no longer asked). */
    private static final long EVICT_NANOS = Duration.ofMinutes(2).toNanos();

    private final PrometheusClient client;
    private final Semaphore permits;
    private final Duration minInterval;
    private final LongSupplier nanoTime;
    private final boolean shareAnswers;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong backend = new AtomicLong(), asked = new AtomicLong();
    private volatile long lastSweep;

    private record Entry(long startedNanos, CompletableFuture<QueryResult> result) {}

    public QueryHub(PrometheusClient client, int maxConcurrent, Duration minInterval, LongSupplier nanoTime) {
        this(client, maxConcurrent, minInterval, nanoTime, true);
    }

    private QueryHub(PrometheusClient client, int maxConcurrent, Duration minInterval, LongSupplier nanoTime, boolean shareAnswers) {
        this.shareAnswers = shareAnswers;
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent must be at least 1");
        this.client = client;
        this.permits = new Semaphore(maxConcurrent, true);
        this.minInterval = minInterval == null || minInterval.isNegative() ? Duration.ZERO : minInterval;
        this.nanoTime = nanoTime;
        this.lastSweep = nanoTime.getAsLong();
    }

    public QueryHub(PrometheusClient client, int maxConcurrent, Duration minInterval) {
        this(client, maxConcurrent, minInterval, System::nanoTime);
    }

    /**
     * A hub of its own for one engine, as engines were before hubs: tiles of the page asking one query at once share
     * it in flight, but every refresh asks the server anew (no reuse window), with no minimum interval.
     */
    public static QueryHub of(PrometheusClient client) {
        return new QueryHub(client, DEFAULT_CONCURRENCY, Duration.ZERO, System::nanoTime, false);
    }

    public PrometheusClient client() { return client; }

    public Duration minInterval() { return minInterval; }

    /** The interval a page actually refreshes at on this datasource. */
    public Duration effectiveInterval(Duration pageInterval) {
        return pageInterval.compareTo(minInterval) < 0 ? minInterval : pageInterval;
    }

    /**
     * The answer to {@code expr}: a shared one when the same query was started less than {@code reuseWithin} ago
     * (in flight or answered), otherwise a new backend query.
     */
    public QueryResult query(String expr, Duration reuseWithin) throws SourceException {
        asked.incrementAndGet();
        String key = QueryKey.of(expr);
        long now = nanoTime.getAsLong();
        long window = shareAnswers ? reuseWithin.toNanos() : 0;
        CompletableFuture<QueryResult> mine = new CompletableFuture<>();
        Entry fresh = new Entry(now, mine);
        Entry e = entries.compute(key, (k, old) -> {
            if (old == null) return fresh;
            boolean failed = old.result.isCompletedExceptionally();
            boolean young = now - old.startedNanos < window;
            return !failed && (young || !old.result.isDone()) ? old : fresh;
        });
        if (e == fresh) run(expr, mine);
        sweep(now);
        try {
            return e.result.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new SourceException(SourceException.Kind.UNREACHABLE, client.name() + ": interrupted");
        } catch (ExecutionException ee) {
            if (ee.getCause() instanceof SourceException se) throw se;
            if (ee.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(ee.getCause());
        }
    }

    private void run(String expr, CompletableFuture<QueryResult> into) {
        try {
            permits.acquire();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            into.completeExceptionally(new SourceException(SourceException.Kind.UNREACHABLE, client.name() + ": interrupted"));
            return;
        }
        try {
            backend.incrementAndGet();
            into.complete(client.query(expr));
        } catch (SourceException | RuntimeException ex) {
            into.completeExceptionally(ex);
        } finally {
            permits.release();
        }
    }

    private void sweep(long now) {
        if (now - lastSweep < EVICT_NANOS) return;
        lastSweep = now;
        entries.values().removeIf(en -> en.result.isDone() && now - en.startedNanos > EVICT_NANOS);
    }

    /** Queries sent to the server so far. */
    public long backendQueries() { return backend.get(); }

    /** Queries asked by tiles so far (each served by a backend query or a shared answer). */
    public long askedQueries() { return asked.get(); }

    /** Answers held now (bounded by the console's distinct queries of the last two minutes). */
    public int held() { return entries.size(); }
}
