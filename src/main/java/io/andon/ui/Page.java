package io.andon.ui;

import javafx.scene.Node;

/**
 * One page of the console. The shell shows one page at a time; hidden pages are paused so they cost
 * no queries, except in wall mode where the shell keeps the playlist warm.
 */
public interface Page {
    /** Stable id used by --page, settings and the wall playlist. */
    String id();

    /** Title in the current UI language. */
    String title();

    Node view();

    /** The page became visible: resume polling. */
    default void onShow() {}

    /**
     * The page will be shown next, once the window is built: start fetching now if that is safe to repeat
     * ({@link #onShow()} follows). The console's first page uses it (P6). Default: nothing.
     */
    default void startEarly() {}

    /**
     * Refresh now, before being shown (the wall's next page): completes on the FX thread once fresh data is in the
     * view. Default: nothing to refresh.
     */
    default java.util.concurrent.CompletableFuture<Void> refreshBeforeShow() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /**
     * The wall hides this page within its preload lead: start no more refreshes, whose answers would be on screen for
     * less than the lead and would cost a query per tile each turn (issue 21: a rotation asks what its turns need,
     * once). {@link #onShow()} resumes. Default: nothing.
     */
    default void leaving() {}

    /** The page was hidden: pause polling. */
    default void onHide() {}

    /** Completes when the page has painted data from its sources once (used by --snapshot). */
    default java.util.concurrent.CompletableFuture<Void> firstData() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    default void dispose() {}
}
