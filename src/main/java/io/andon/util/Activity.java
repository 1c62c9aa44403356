package io.andon.util;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What this console process has done since it started, as plain counters (issue 21's soak must prove its run was
 * long enough: ≥ 100 000 tile refreshes, ≥ 20 000 page switches, a few rebuilds). Read from outside through the
 * watchdog's report line ({@link #line()}, printed with {@code -Dandon.watchdog.reportSeconds=N}). Counters only:
 * nothing here holds a page, a node or a listener, so counting cannot itself keep a disposed console alive.
 */
public final class Activity {
    /** Tile states applied to a page's tiles (one per tile per applied refresh, shown page or preloaded one). */
    public static final AtomicLong TILE_REFRESHES = new AtomicLong();
    /** Pages of the shell replaced by another one (wall rotation, a click, a pivot). */
    public static final AtomicLong PAGE_SWITCHES = new AtomicLong();
    /** Wall switches whose preloaded refresh had not finished when the page's turn came (the switch waited for it). */
    public static final AtomicLong LATE_SWITCHES = new AtomicLong();
    /** Whole consoles disposed and built again on the same window (watchdog stall in wall mode, profile saved, test trigger). */
    public static final AtomicLong REBUILDS = new AtomicLong();
    /** Times the wall was held on the alerts page (an escalation or an alarm flood): it does not rotate meanwhile. */
    public static final AtomicLong WALL_HOLDS = new AtomicLong();
    /** Log rows the live tail added to the logs page. */
    public static final AtomicLong TAIL_ROWS = new AtomicLong();
    /** Slowest page refresh (query to snapshot) since the last {@link #line()}, in ms: what a short dwell must cover. */
    private static final AtomicLong SLOWEST_REFRESH_MS = new AtomicLong();

    private Activity() {}

    public static void refreshTook(long millis) {
        SLOWEST_REFRESH_MS.accumulateAndGet(millis, Math::max);
    }

    /** One line with every counter (cumulative) and the slowest refresh since the previous line (which it resets). */
    public static String line() {
        return "andon-activity tile-refreshes=" + TILE_REFRESHES.get() + " page-switches=" + PAGE_SWITCHES.get() + " late-switches=" + LATE_SWITCHES.get()
                + " rebuilds=" + REBUILDS.get() + " wall-holds=" + WALL_HOLDS.get() + " tail-rows=" + TAIL_ROWS.get() + " slowest-refresh-ms=" + SLOWEST_REFRESH_MS.getAndSet(0);
    }
}
