package io.andon.ui.traces;

import io.andon.net.SourceException;
import io.andon.traces.Trace;
import io.andon.traces.TraceNotFoundException;
import io.andon.traces.TraceQuery;
import io.andon.traces.TraceSource;
import io.andon.traces.TraceSummary;
import io.andon.traces.TraceTree;
import io.andon.ui.I18n;
import io.andon.ui.Problems;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The traces page's state. Every call to the trace source runs on a virtual thread and lands on the FX thread in
 * one update. A failed search keeps the last results and says since when they are old and why (STALE): an empty
 * "no traces" while the backend is down would read as "nothing was slow".
 */
public final class TracesViewModel implements AutoCloseable {
    private final TraceSource source;
    private final ObservableList<TraceSummary> results = FXCollections.observableArrayList();
    private final ObservableList<String> services = FXCollections.observableArrayList();
    private final ObservableList<String> operations = FXCollections.observableArrayList();
    /** When the shown results were fetched; null before the first good search. */
    private final ObjectProperty<Instant> resultsAt = new SimpleObjectProperty<>();
    /** Why the last search failed; empty when the results are current. */
    private final StringProperty error = new SimpleStringProperty("");
    /** Traces of the answer that could not be read (skipped), or other warnings. */
    private final StringProperty warning = new SimpleStringProperty("");
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final ObjectProperty<TraceTree> tree = new SimpleObjectProperty<>();
    /** Why the trace asked for could not be shown (not found, source down); empty when it is. */
    private final StringProperty traceError = new SimpleStringProperty("");
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong traceGeneration = new AtomicLong();
    private final CompletableFuture<Void> firstData = new CompletableFuture<>();
    private volatile TraceQuery last;

    public TracesViewModel(TraceSource source) {
        this.source = source;
    }

    public TraceSource source() { return source; }

    /** The search last asked for (its window is the scatter plot's x range). */
    public TraceQuery lastQuery() { return last; }

    /** Services and, for one service, its operations: for the search's combo boxes. */
    public void loadServices() {
        Thread.ofVirtual().start(() -> {
            try {
                List<String> s = source.services().stream().sorted().toList();
                Platform.runLater(() -> services.setAll(s));
            } catch (SourceException e) {
                String msg = Problems.text(e);
                Platform.runLater(() -> { if (error.get().isEmpty()) error.set(msg); });
            }
        });
    }

    public void loadOperations(String service) {
        if (service == null || service.isBlank()) {
            operations.clear();
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                List<String> o = source.operations(service).stream().sorted().toList();
                Platform.runLater(() -> operations.setAll(o));
            } catch (SourceException e) {
                Platform.runLater(operations::clear);
            }
        });
    }

    public void search(TraceQuery q) {
        last = q;
        long gen = generation.incrementAndGet();
        loading.set(true);
        Thread.ofVirtual().start(() -> {
            try {
                TraceSource.SearchResult r = source.search(q);
                Instant at = Instant.now();
                String warn = r.problems().isEmpty() ? "" : I18n.text("traces.skipped", r.problems().size(), r.problems().getFirst());
                ui(gen, () -> {
                    results.setAll(r.traces());
                    resultsAt.set(at);
                    error.set("");
                    warning.set(warn);
                });
            } catch (SourceException | IllegalArgumentException e) {
                String msg = e instanceof SourceException se ? Problems.text(se) : e.getMessage();
                ui(gen, () -> error.set(msg)); // the old results stay, marked stale by the page
            }
        });
    }

    /** The same search again, its window moved to now (the refresh button, and the tests' second look). */
    public void refresh() {
        TraceQuery q = last;
        if (q == null) return;
        java.time.Duration span = java.time.Duration.between(q.from(), q.to());
        Instant now = Instant.now();
        search(q.withRange(now.minus(span), now));
    }

    /** Fetches a trace and builds its tree off the FX thread (10 000 spans take a while to sort). */
    public void open(String traceId) {
        long gen = traceGeneration.incrementAndGet();
        traceError.set("");
        Thread.ofVirtual().start(() -> {
            try {
                Trace t = source.trace(traceId);
                TraceTree tt = TraceTree.of(t);
                Platform.runLater(() -> {
                    if (gen != traceGeneration.get()) return;
                    tree.set(tt);
                    traceError.set("");
                });
            } catch (TraceNotFoundException e) {
                String msg = I18n.text("traces.notFound", traceId);
                Platform.runLater(() -> { if (gen == traceGeneration.get()) traceError.set(msg); });
            } catch (SourceException e) {
                String msg = Problems.text(e);
                Platform.runLater(() -> { if (gen == traceGeneration.get()) traceError.set(msg); });
            }
        });
    }

    /** A trace already in hand (tests, and the bench's 10 000-span trace): the tree is built off the FX thread too. */
    public void show(Trace t) {
        long gen = traceGeneration.incrementAndGet();
        Thread.ofVirtual().start(() -> {
            TraceTree tt = TraceTree.of(t);
            Platform.runLater(() -> {
                if (gen != traceGeneration.get()) return;
                tree.set(tt);
                traceError.set("");
            });
        });
    }

    private void ui(long gen, Runnable r) {
        Platform.runLater(() -> {
            if (gen != generation.get()) return;
            r.run();
            loading.set(false);
            firstData.complete(null);
        });
    }

    public ObservableList<TraceSummary> results() { return results; }
    public ObservableList<String> services() { return services; }
    public ObservableList<String> operations() { return operations; }
    public ObjectProperty<Instant> resultsAtProperty() { return resultsAt; }
    public StringProperty errorProperty() { return error; }
    public StringProperty warningProperty() { return warning; }
    public BooleanProperty loadingProperty() { return loading; }
    public ObjectProperty<TraceTree> treeProperty() { return tree; }
    public StringProperty traceErrorProperty() { return traceError; }
    public CompletableFuture<Void> firstData() { return firstData; }

    /** True while results are shown that the last search could not renew. */
    public boolean stale() { return !error.get().isEmpty() && resultsAt.get() != null; }

    @Override
    public void close() {
        source.close();
    }
}
