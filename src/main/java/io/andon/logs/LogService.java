package io.andon.logs;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs the log client off the UI thread (virtual threads) and hands out immutable results. When Elasticsearch
 * fails, the result keeps the last good page, histogram and statistics, marked stale with their age and the
 * reason: an empty table never stands for "no logs" when the cluster is simply unreachable.
 */
public final class LogService implements AutoCloseable {
    /**
     * One search as the page shows it. {@code stale}: the data is from {@code lastGood}, the current query failed
     * with {@code error} (kind in {@code errorKind}). {@code page} may be null when nothing was ever fetched.
     */
    public record Result(LogQuery query, LogClient.Page page, LogClient.Histogram histogram, Map<String, List<LogClient.Count>> stats,
                         Instant fetchedAt, Instant lastGood, boolean stale, String error, LogException.Kind errorKind) {
        public Result {
            stats = stats == null ? Map.of() : Map.copyOf(stats);
        }

        public Duration age(Instant now) { return lastGood == null ? null : Duration.between(lastGood, now); }

        public boolean ok() { return error == null; }
    }

    /** A running export: its result (rows written) and a cancel switch. */
    public record ExportJob(Future<Long> rows, AtomicBoolean cancelFlag) {
        public void cancel() { cancelFlag.set(true); }
    }

    private final LogClient client;
    private final Clock clock;
    private final ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<Result> last = new AtomicReference<>();
    private final int pageSize;

    public LogService(LogClient client, Clock clock, int pageSize) {
        this.client = client;
        this.clock = clock;
        this.pageSize = pageSize;
    }

    public LogClient client() { return client; }

    public Result last() { return last.get(); }

    /** Page, histogram and field statistics of a query, fetched concurrently. Never completes exceptionally. */
    public CompletableFuture<Result> search(LogQuery q) {
        return CompletableFuture.supplyAsync(() -> {
            Instant now = clock.instant();
            try {
                var page = CompletableFuture.supplyAsync(() -> unchecked(() -> client.search(q, null, pageSize)), exec);
                var hist = CompletableFuture.supplyAsync(() -> unchecked(() -> client.histogram(q)), exec);
                var stats = CompletableFuture.supplyAsync(() -> unchecked(() -> client.fieldStats(q, LogClient.STAT_FIELDS)), exec);
                Result r = new Result(q, join(page), join(hist), join(stats), now, now, false, null, null);
                last.set(r);
                return r;
            } catch (LogException e) {
                return failed(q, now, e);
            }
        }, exec);
    }

    /** The next page of a result (infinite scroll); a failure is reported like a failed search, keeping what is shown. */
    public CompletableFuture<Result> more(Result current) {
        return CompletableFuture.supplyAsync(() -> {
            Instant now = clock.instant();
            if (current.page() == null || current.page().next() == null) return current;
            try {
                LogClient.Page p = client.search(current.query(), current.page().next(), pageSize);
                Result r = new Result(current.query(), p, current.histogram(), current.stats(), now, now, false, null, null);
                last.set(r);
                return r;
            } catch (LogException e) {
                return failed(current.query(), now, e);
            }
        }, exec);
    }

    private Result failed(LogQuery q, Instant now, LogException e) {
        Result prev = last.get();
        // a query the user got wrong is not a stale source: show the message with nothing stale implied
        boolean sourceDown = e.kind() != LogException.Kind.BAD_QUERY && e.kind() != LogException.Kind.NO_INDEX;
        Result r = prev == null || !sourceDown
                ? new Result(q, null, null, Map.of(), now, prev == null ? null : prev.lastGood(), sourceDown, e.getMessage(), e.kind())
                : new Result(prev.query(), prev.page(), prev.histogram(), prev.stats(), now, prev.lastGood(), true, e.getMessage(), e.kind());
        if (sourceDown) last.set(r);
        return r;
    }

    /** Polls the tail every {@code interval}; each batch of new documents (oldest first) or error goes to the consumers. */
    public Future<?> tail(LogQuery q, Instant since, Duration interval, Consumer<List<LogHit>> batch, Consumer<LogException> error) {
        LogClient.Tail t = client.tail(q, since);
        return exec.submit(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    List<LogHit> fresh = t.poll(500);
                    if (!fresh.isEmpty()) batch.accept(fresh);
                } catch (LogException e) {
                    if (e.kind() == LogException.Kind.CANCELLED) return;
                    error.accept(e);
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Streams an export to {@code out} (closed at the end) off the UI thread. */
    public ExportJob export(LogQuery q, LogClient.Format format, OutputStream out, LogClient.Progress progress) {
        AtomicBoolean cancel = new AtomicBoolean();
        Future<Long> f = exec.submit(() -> {
            try (out) {
                return client.export(q, format, out, progress, cancel);
            }
        });
        return new ExportJob(f, cancel);
    }

    private interface Call<T> {
        T run() throws LogException;
    }

    private static <T> T unchecked(Call<T> c) {
        try {
            return c.run();
        } catch (LogException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private static <T> T join(CompletableFuture<T> f) throws LogException {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof LogException le) throw le;
            throw new LogException(LogException.Kind.OTHER, String.valueOf(e.getCause()), e.getCause());
        }
    }

    @Override
    public void close() {
        exec.shutdownNow();
        client.close();
    }

}
