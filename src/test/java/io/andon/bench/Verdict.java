package io.andon.bench;

import java.util.Locale;

/**
 * The one rule every benchmark's verdict follows: it is computed from the figure printed in the same table row
 * (never from another variable), and a run that was cut short (time cap, fewer cycles or evaluations than asked)
 * says "incomplete" whatever its figure, because a partial run can look better than a full one.
 */
public final class Verdict {
    public static final String MET = "met", NOT_MET = "**not met**", INCOMPLETE = "incomplete";

    /**
     * {@code -Dandon.bench.quick=true}: every bench runs a reduced form (fewer runs, cycles, documents) to prove it works
     * on a busy machine; its figures are not comparable and every verdict says "incomplete".
     */
    public static final boolean QUICK = Boolean.getBoolean("andon.bench.quick");

    private Verdict() {}

    /** {@code full} normally, {@code quick} in a reduced run. */
    public static int size(int full, int quick) {
        return QUICK ? quick : full;
    }

    /** "met" when {@code value < goal}, else "**not met**"; "incomplete" when the run did not finish. NaN is never met. */
    public static String below(double value, double goal, boolean complete) {
        if (!complete) return INCOMPLETE;
        return value < goal ? MET : NOT_MET;
    }

    /** As {@link #below} but the goal is inclusive (≤). */
    public static String atMost(double value, double goal, boolean complete) {
        if (!complete) return INCOMPLETE;
        return value <= goal ? MET : NOT_MET;
    }

    /** |value| ≤ bound, e.g. "flat within 5 %". */
    public static String within(double value, double bound, boolean complete) {
        if (!complete) return INCOMPLETE;
        return Math.abs(value) <= bound ? MET : NOT_MET;
    }

    /** "met" when {@code value > goal} (e.g. a saturation throughput that must exceed a rate). */
    public static String above(double value, double goal, boolean complete) {
        if (!complete) return INCOMPLETE;
        return value > goal ? MET : NOT_MET;
    }

    /** Whether a run that asked for {@code wanted} units (cycles, evaluations, requests) got them; a reduced (quick) run never is. */
    public static boolean complete(long done, long wanted) {
        return !QUICK && done >= wanted;
    }

    /** Whether this is a full run (not reduced by {@link #QUICK}). */
    public static boolean full() {
        return !QUICK;
    }

    /** The note printed under a table whose run was cut short, naming what it got of what it asked; empty when complete. */
    public static String shortfall(String what, long done, long wanted) {
        if (QUICK) return String.format(Locale.ROOT, "%nIncomplete: reduced run (andon.bench.quick), %,d %s; not comparable with a full run.%n", done, what);
        if (done >= wanted) return "";
        return String.format(Locale.ROOT, "%nIncomplete: %,d of %,d %s; the verdicts above say \"incomplete\", not \"met\".%n", done, wanted, what);
    }
}
