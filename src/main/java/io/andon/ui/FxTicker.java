package io.andon.ui;

import javafx.application.Platform;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Periodic and delayed work on the FX thread without JavaFX animations. A running {@code Timeline} or
 * {@code PauseTransition} keeps the pulse at 60 Hz for as long as it runs, even when its key frame is once
 * a second: on a wall that idles for days that was most of the console's CPU. A plain timer thread posting
 * {@link Platform#runLater} wakes the FX thread only when there is something to do.
 */
public final class FxTicker {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fx-ticker");
        t.setDaemon(true);
        return t;
    });

    private FxTicker() {}

    /** A cancellable task; cancelling is idempotent and safe from any thread. */
    public interface Handle {
        void cancel();

        boolean active();
    }

    /** Runs {@code task} on the FX thread every {@code period}, the first time after {@code period}. */
    public static Handle every(Duration period, Runnable task) {
        long ms = Math.max(1, period.toMillis());
        return wrap(TIMER.scheduleAtFixedRate(() -> Platform.runLater(task), ms, ms, TimeUnit.MILLISECONDS));
    }

    /** Runs {@code task} on the FX thread once, after {@code delay}. */
    public static Handle after(Duration delay, Runnable task) {
        return wrap(TIMER.schedule(() -> Platform.runLater(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS));
    }

    private static Handle wrap(ScheduledFuture<?> f) {
        return new Handle() {
            @Override
            public void cancel() { f.cancel(false); }

            @Override
            public boolean active() { return !f.isDone(); }
        };
    }

    /** A restartable one-shot (an idle or confirmation window): {@link #restart()} pushes the deadline out. */
    public static final class Delay {
        private final Duration delay;
        private final Runnable task;
        private Handle pending;

        public Delay(Duration delay, Runnable task) {
            this.delay = delay;
            this.task = task;
        }

        public synchronized void restart() {
            stop();
            pending = after(delay, task);
        }

        public synchronized void stop() {
            if (pending != null) pending.cancel();
            pending = null;
        }
    }
}
