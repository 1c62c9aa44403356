package io.andon.ui.dashboard;

import io.andon.board.PageSnapshot;
import io.andon.board.PageSpec;
import io.andon.board.RefreshEngine;
import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.prometheus.PrometheusClient;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A dashboard page's state as JavaFX properties. The refresh engine works off the FX thread; each
 * refresh lands here as one snapshot, applied in one FX pulse.
 */
public final class DashboardViewModel implements AutoCloseable {
    private final PageSpec spec;
    private final RefreshEngine engine;
    private final Map<String, ObjectProperty<TileState>> tiles = new LinkedHashMap<>();
    private final ObjectProperty<PageSnapshot> lastSnapshot = new SimpleObjectProperty<>();
    private final CompletableFuture<Void> firstData = new CompletableFuture<>();

    public DashboardViewModel(PageSpec spec, PrometheusClient prometheus, Duration maxStaleness) {
        this(spec, io.andon.board.QueryHub.of(prometheus), maxStaleness);
    }

    /** On a datasource's hub shared by the console's pages. */
    public DashboardViewModel(PageSpec spec, io.andon.board.QueryHub hub, Duration maxStaleness) {
        this.spec = spec;
        for (TileSpec t : spec.tiles()) tiles.put(t.id(), new SimpleObjectProperty<>(TileState.unknown(t.id())));
        this.engine = new RefreshEngine(spec, hub, maxStaleness, snap -> Platform.runLater(() -> apply(snap)), Clock.systemUTC(),
                new java.util.Random());
    }

    /**
     * Refreshes the page once now, whether shown or not, and completes on the FX thread once the answer is
     * applied: the wall refreshes the next page of its rotation this way before showing it. When a refresh is
     * already running, completes when that one's answer is applied.
     */
    public CompletableFuture<Void> refreshBeforeShow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("preload-" + spec.id()).start(() -> {
            try {
                PageSnapshot snap = engine.refreshNow();
                if (snap == null) {
                    // one in flight: its answer arrives via the listener; wait for the next applied snapshot
                    Platform.runLater(() -> lastSnapshot.addListener(new javafx.beans.value.ChangeListener<>() {
                        @Override
                        public void changed(javafx.beans.value.ObservableValue<? extends PageSnapshot> o, PageSnapshot a, PageSnapshot b) {
                            lastSnapshot.removeListener(this);
                            done.complete(null);
                        }
                    }));
                } else {
                    // the listener posted apply(snap) before this: runLater keeps the order
                    Platform.runLater(() -> done.complete(null));
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** The refresh engine (interval, states), for tests and benchmarks. */
    public RefreshEngine engine() { return engine; }

    private void apply(PageSnapshot snap) {
        snap.tiles().forEach((id, st) -> {
            ObjectProperty<TileState> p = tiles.get(id);
            if (p != null) {
                p.set(st);
                io.andon.util.Activity.TILE_REFRESHES.incrementAndGet();
            }
        });
        io.andon.util.Activity.refreshTook(snap.refreshTime().toMillis());
        lastSnapshot.set(snap);
        firstData.complete(null);
    }

    public PageSpec spec() { return spec; }

    public ReadOnlyObjectProperty<TileState> tile(String id) { return tiles.get(id); }

    public ReadOnlyObjectProperty<PageSnapshot> lastSnapshotProperty() { return lastSnapshot; }

    public CompletableFuture<Void> firstData() { return firstData; }

    public void resume() { engine.resume(); }

    public void pause() { engine.pause(); }

    @Override
    public void close() { engine.close(); }
}
