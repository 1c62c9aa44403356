package io.andon.report;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A running console's shift-end report: shortly after each shift ends (a grace period lets the last scrapes,
 * rule evaluations and log lines land), the finished shift's report is written to the reports folder, one file
 * per shift and plant, never twice ({@link ShiftReports#writeOnce}). On start it also writes the last finished
 * shift's report if that is missing (the console was closed at shift end), after {@link #withStartDelay its delay}.
 */
public final class ShiftEndJob implements AutoCloseable {
    private final ShiftReports reports;
    private final Path dir;
    private final Supplier<Locale> locale;
    private final Duration grace;
    private final Clock clock;
    private final Consumer<String> log;
    private volatile Thread thread;
    private Duration startDelay = Duration.ZERO;
    /** How the job waits; tests see the waits through it. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }
    Sleeper sleeper = d -> Thread.sleep(d);

    public ShiftEndJob(ShiftReports reports, Path dir, Supplier<Locale> locale, Duration grace, Clock clock, Consumer<String> log) {
        this.reports = reports;
        this.dir = dir;
        this.locale = locale;
        this.grace = grace;
        this.clock = clock;
        this.log = log;
    }

    /** One report over all plants, or one per plant when shifts.yaml has plant sections. */
    List<String> plants() {
        List<String> p = new ArrayList<>(reports.schedule().plantsWithOverride());
        if (p.isEmpty()) p.add(null);
        return p;
    }

    /**
     * The first look for a missing report waits this long after {@link #start}. The console's start comes first: the
     * report's PDF and font parsing beside the first paint, on the soak's 2 cores, held the FX thread's first pulse
     * over 1 s (1.2 and 1.3 s on both consoles; 0.5 and 0.6 s with no report).
     */
    public ShiftEndJob withStartDelay(Duration delay) {
        this.startDelay = delay;
        return this;
    }

    public ShiftEndJob start() {
        thread = Thread.ofVirtual().name("andon-shift-report").start(this::run);
        return this;
    }

    /** Writes every report that is due now (and missing); the loop calls it after each shift end. */
    public List<Path> runOnce() {
        List<Path> written = new ArrayList<>();
        Instant now = clock.instant();
        for (String plant : plants()) {
            Shift last = reports.schedule().lastEnded(plant, now.minus(grace));
            try {
                reports.writeOnce(last, locale.get(), dir).ifPresent(p -> {
                    written.add(p);
                    log.accept("shift report written: " + p);
                });
            } catch (Exception e) {
                log.accept("shift report " + last.fileId() + " failed: " + e.getMessage());
            } catch (OutOfMemoryError | LinkageError e) {
                // an Error here ended the job's thread: no report from this console for the rest of its life. The
                // report is still missing, so the next wake (within 10 min) tries it again, with the heap collected
                log.accept("shift report " + last.fileId() + " failed: " + e + " (tried again at the next wake)");
            }
        }
        return written;
    }

    private void run() {
        try {
            if (startDelay.isPositive()) sleeper.sleep(startDelay);
        } catch (InterruptedException e) {
            return;
        }
        while (!Thread.currentThread().isInterrupted()) {
            runOnce();
            Instant now = clock.instant();
            Instant next = plants().stream().map(p -> reports.schedule().at(p, now.minus(grace)).to().plus(grace))
                    .min(Instant::compareTo).orElse(now.plus(Duration.ofHours(1)));
            try {
                // woken at least every 10 min: a suspended laptop or a clock change does not delay a report by a shift
                sleeper.sleep(Duration.ofMillis(Math.max(1000, Math.min(Duration.between(now, next).toMillis(), 600_000))));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) t.interrupt();
    }
}
