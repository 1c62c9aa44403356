package io.andon.ui.logs;

import io.andon.logs.LogClient;
import io.andon.logs.LogException;
import io.andon.logs.LogHit;
import io.andon.logs.LogQuery;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The logs page's state. Every Elasticsearch call runs on a virtual thread; results land on the FX thread.
 * A newer search makes older answers obsolete (generation counter), so a slow answer never overwrites a newer one.
 */
public final class LogsViewModel implements AutoCloseable {
    private final LogClient client;
    private final ObservableList<LogHit> hits = FXCollections.observableArrayList();
    private final ObjectProperty<LogQuery> query = new SimpleObjectProperty<>(LogQuery.last(java.time.Duration.ofHours(1)));
    private final ObjectProperty<LogClient.Histogram> histogram = new SimpleObjectProperty<>();
    private final ObjectProperty<Map<String, List<LogClient.Count>>> stats = new SimpleObjectProperty<>(Map.of());
    private final LongProperty total = new SimpleLongProperty(-1);
    private final StringProperty error = new SimpleStringProperty("");
    /** Why the shown hits are not the whole truth (failed shards, timed-out search); empty when they are. */
    private final StringProperty warning = new SimpleStringProperty("");
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final BooleanProperty tail = new SimpleBooleanProperty();
    private final BooleanProperty tailPaused = new SimpleBooleanProperty();
    private final DoubleProperty exportProgress = new SimpleDoubleProperty(-1);
    private final StringProperty exportStatus = new SimpleStringProperty("");
    private final AtomicLong generation = new AtomicLong();
    private final ScheduledExecutorService tailer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("log-tail").factory());
    // one executor for the page's concurrent calls (an executor per search was never shut down)
    private final java.util.concurrent.ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final java.util.concurrent.CompletableFuture<Void> firstData = new java.util.concurrent.CompletableFuture<>();
    private volatile LogClient.Cursor cursor;
    private volatile boolean more;
    private ScheduledFuture<?> tailJob;
    private AtomicBoolean exportCancel;

    public LogsViewModel(LogClient client) {
        this.client = client;
        tail.addListener((o, a, on) -> {
            if (on) tailJob = tailer.scheduleWithFixedDelay(this::pollTail, 2, 2, TimeUnit.SECONDS);
            else if (tailJob != null) tailJob.cancel(false);
        });
    }

    /** Runs the query: first page, histogram and field statistics, concurrently. */
    public void search(LogQuery q) {
        search(q, null);
    }

    /** How often an empty answer is asked again while its lines may still be on their way. */
    static final java.time.Duration AWAIT_EVERY = java.time.Duration.ofSeconds(2);

    /**
     * Runs the query; while its answer is empty and {@code awaitUntil} is ahead, asks again every
     * {@link #AWAIT_EVERY}. A pivot from a trace that just ended searched once, before its lines were shipped and
     * indexed (seconds), and showed an empty list for good. Any other search or the deadline ends the waiting.
     *
     * @param awaitUntil until when lines may still arrive (null: answer once)
     */
    public void search(LogQuery q, Instant awaitUntil) {
        query.set(q);
        long gen = generation.incrementAndGet();
        LogClient.Cursor old = cursor;
        cursor = null;
        loading.set(true);
        Thread.ofVirtual().start(() -> {
            client.close(old);
            try {
                var histo = java.util.concurrent.CompletableFuture.supplyAsync(() -> call(() -> client.histogram(q)), calls);
                var fs = java.util.concurrent.CompletableFuture.supplyAsync(() -> call(() -> client.fieldStats(q, List.of("level", "service", "logger", "user_id"))),
                        calls);
                LogClient.Page p = client.search(q, null, 200);
                var h = histo.join();
                var s = fs.join();
                ui(gen, () -> {
                    hits.setAll(p.hits());
                    cursor = p.next();
                    more = p.hits().size() == 200;
                    total.set(p.total());
                    histogram.set(h);
                    stats.set(s);
                    warning.set(warningText(p));
                    error.set("");
                    if (p.hits().isEmpty()) awaitAgain(gen, q, awaitUntil);
                });
            } catch (LogException | java.util.concurrent.CompletionException e) {
                Throwable cause = e instanceof LogException ? e : e.getCause();
                if (cause instanceof LogException le && le.kind() == LogException.Kind.NO_INDEX && awaitUntil != null && Instant.now().isBefore(awaitUntil)) {
                    // no log index yet (a fresh site's first lines are on their way): the same wait as for no lines
                    ui(gen, () -> {
                        hits.clear();
                        total.set(0);
                        warning.set("");
                        error.set("");
                        awaitAgain(gen, q, awaitUntil);
                    });
                    return;
                }
                String msg = io.andon.ui.Problems.text(cause);
                // a source outage or a missing index: the live tail's first good poll clears it
                if (!(cause instanceof LogException le && le.kind() == LogException.Kind.BAD_QUERY)) tailOutage = msg;
                ui(gen, () -> error.set(msg)); // the last results stay on screen, with the reason they are old
            }
        });
    }

    /** FX thread: says the lines are awaited and asks again, while they may still arrive and nobody searched since. */
    private void awaitAgain(long gen, LogQuery q, Instant awaitUntil) {
        if (awaitUntil == null || !Instant.now().isBefore(awaitUntil)) return;
        String w = warning.get();
        warning.set((w.isEmpty() ? "" : w + "; ") + io.andon.ui.I18n.text("logs.awaiting",
                java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault()).format(awaitUntil)));
        tailer.schedule(() -> {
            if (generation.get() == gen) search(q, awaitUntil);
        }, AWAIT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T call(LogCall<T> c) {
        try {
            return c.run();
        } catch (LogException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    @FunctionalInterface
    private interface LogCall<T> { T run() throws LogException; }

    /** Infinite scroll: the next page of the same point in time. */
    public void loadMore() {
        if (!more || loading.get() || cursor == null) return;
        long gen = generation.get();
        LogClient.Cursor c = cursor;
        LogQuery q = query.get();
        loading.set(true);
        Thread.ofVirtual().start(() -> {
            try {
                LogClient.Page p = client.search(q, c, 200);
                ui(gen, () -> {
                    hits.addAll(p.hits());
                    cursor = p.next();
                    more = p.hits().size() == 200;
                    // a later page that lost shards makes the whole list partial; a clean one does not clear it
                    if (!p.warnings().isEmpty()) warning.set(warningText(p));
                });
            } catch (LogException e) {
                ui(gen, () -> error.set(io.andon.ui.Problems.text(e)));
            }
        });
    }

    public void surrounding(LogHit hit) {
        long gen = generation.incrementAndGet();
        loading.set(true);
        Thread.ofVirtual().start(() -> {
            try {
                List<LogHit> around = client.surrounding(hit, 10);
                ui(gen, () -> {
                    hits.setAll(around.reversed());
                    more = false;
                    total.set(around.size());
                    error.set("");
                });
            } catch (LogException e) {
                ui(gen, () -> error.set(io.andon.ui.Problems.text(e)));
            }
        });
    }

    /** Rows the live tail keeps; older ones drop off the end. */
    static final int MAX_TAIL_ROWS = 5_000;

    private void pollTail() {
        if (tailPaused.get()) return;
        // an empty answer (no line yet, or no index yet: a screen started before the site's first line) tails from
        // the start of its range: every line that comes is new
        LogQuery q = query.get();
        if (q == null) return;
        Instant newest = hits.isEmpty() ? (q.from() != null ? q.from() : Instant.EPOCH) : hits.getFirst().timestamp();
        if (newest == null) return;
        try {
            List<LogHit> fresh = client.newerThan(q, newest, 500);
            String outage = tailOutage;
            if (outage != null) {
                // Elasticsearch answers again: the banner the tail raised goes, without waiting for a new search
                tailOutage = null;
                Platform.runLater(() -> {
                    if (outage.equals(error.get())) error.set("");
                });
            }
            if (fresh.isEmpty()) return;
            Platform.runLater(() -> {
                java.util.Set<String> seen = new java.util.HashSet<>();
                hits.stream().limit(600).forEach(h -> seen.add(h.id()));
                List<LogHit> add = fresh.reversed().stream().filter(h -> !seen.contains(h.id())).toList();
                hits.addAll(0, add);
                io.andon.util.Activity.TAIL_ROWS.addAndGet(add.size());
                total.set(total.get() + add.size());
                // a wall screen tails for weeks: keep the newest rows only (the chaos test saw the list grow per outage)
                if (hits.size() > MAX_TAIL_ROWS) {
                    hits.remove(MAX_TAIL_ROWS, hits.size());
                    more = false; // the scroll cursor points past rows no longer shown: search again to page
                }
            });
        } catch (LogException e) {
            // a source outage or a missing index is cleared by a later good poll; a query the user got wrong stays shown
            String text = io.andon.ui.Problems.text(e);
            if (e.kind() != LogException.Kind.BAD_QUERY) tailOutage = text;
            Platform.runLater(() -> error.set(text));
        }
    }

    /** The message of the last search or tail poll that failed on the source (not the query); null once a poll answers. */
    private volatile String tailOutage;

    /** Streams the current query to a file, with progress and cancel. */
    public void export(Path file, LogClient.Format format) {
        AtomicBoolean cancel = new AtomicBoolean();
        exportCancel = cancel;
        LogQuery q = query.get();
        long expected = Math.max(1, total.get());
        exportProgress.set(0);
        exportStatus.set("…");
        Thread.ofVirtual().start(() -> {
            String result;
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                long n = client.export(q, format, w, done -> Platform.runLater(() -> exportProgress.set(Math.min(1, (double) done / expected))), cancel);
                result = (cancel.get() ? "✖ cancelled after " : "✔ ") + n + " → " + file;
            } catch (Exception e) {
                result = "✖ " + io.andon.ui.Problems.text(e);
            }
            String r = result;
            Platform.runLater(() -> {
                exportStatus.set(r);
                exportProgress.set(-1);
            });
        });
    }

    public void cancelExport() {
        if (exportCancel != null) exportCancel.set(true);
    }

    private void ui(long gen, Runnable r) {
        Platform.runLater(() -> {
            if (gen != generation.get()) return;
            r.run();
            loading.set(false);
            firstData.complete(null);
        });
    }

    public ObservableList<LogHit> hits() { return hits; }
    public ObjectProperty<LogQuery> queryProperty() { return query; }
    public ObjectProperty<LogClient.Histogram> histogramProperty() { return histogram; }
    public ObjectProperty<Map<String, List<LogClient.Count>>> statsProperty() { return stats; }
    public LongProperty totalProperty() { return total; }
    public StringProperty errorProperty() { return error; }

    public StringProperty warningProperty() { return warning; }

    private static String warningText(LogClient.Page p) {
        if (p.warnings().isEmpty()) return "";
        // the client's texts start with "partial result: ", which the translated lead-in already says; other notes
        // (hits listed without a readable time) are not missing hits and go after it as they are
        List<String> partial = p.warnings().stream().filter(w -> w.startsWith("partial result: ")).map(w -> w.substring("partial result: ".length())).toList();
        List<String> other = p.warnings().stream().filter(w -> !w.startsWith("partial result: ")).toList();
        String lead = partial.isEmpty() ? "" : io.andon.ui.I18n.text("logs.partial", String.join("; ", partial));
        return String.join("; ", java.util.stream.Stream.concat(java.util.stream.Stream.of(lead).filter(x -> !x.isEmpty()), other.stream()).toList());
    }
    public BooleanProperty loadingProperty() { return loading; }
    public BooleanProperty tailProperty() { return tail; }
    public BooleanProperty tailPausedProperty() { return tailPaused; }
    public DoubleProperty exportProgressProperty() { return exportProgress; }
    public StringProperty exportStatusProperty() { return exportStatus; }
    public java.util.concurrent.CompletableFuture<Void> firstData() { return firstData; }

    @Override
    public void close() {
        tailer.shutdownNow();
        calls.shutdownNow();
        client.close(cursor);
        client.close();
    }
}
