package io.andon.chaos;

import java.util.Locale;

/**
 * Judges a per-cycle series (threads, heap) by its trend, not by an allowance over cycle 1: one leaked thread per
 * cycle stays under "+5 over the baseline" for five cycles, but its least-squares slope is 1 per cycle whatever
 * the count. Each point should be the minimum of a few readings, so threads an idle pool is about to retire don't
 * count as a leak.
 */
final class LeakTrend {
    private LeakTrend() {}

    /** Least-squares slope of ys over x = 0, 1, 2, ... (units per cycle); 0 for fewer than two points. */
    static double slope(long[] ys) {
        int n = ys.length;
        if (n < 2) return 0;
        double mx = (n - 1) / 2.0, my = 0;
        for (long y : ys) my += y;
        my /= n;
        double num = 0, den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - mx) * (ys[i] - my);
            den += (i - mx) * (i - mx);
        }
        return num / den;
    }

    /**
     * Null when the series does not grow: slope below {@code maxPerCycle} and the last point no more than
     * {@code maxPerCycle × (n − 1)} above the first; else the reason.
     */
    static String growth(String what, long[] ys, double maxPerCycle) {
        if (ys.length < 3) return what + ": " + ys.length + " cycles are too few to see a trend (at least 3)";
        double s = slope(ys);
        long rise = ys[ys.length - 1] - ys[0];
        if (s < maxPerCycle && rise <= maxPerCycle * (ys.length - 1)) return null;
        return String.format(Locale.ROOT, "%s grows by %.2f per cycle (limit %.2f), %+d from cycle 1 to cycle %d: %s", what, s, maxPerCycle, rise,
                ys.length, java.util.Arrays.toString(ys));
    }
}
