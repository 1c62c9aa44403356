package io.andon.ui;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Test helpers: wait for a condition with a bound, and read FX state on the FX thread. */
public final class FxWait {
    private FxWait() {}

    /** Polls every 100 ms; fails with {@code what} when it does not hold within {@code seconds}. */
    public static void waitFor(Callable<Boolean> c, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within " + seconds + " s");
            Thread.sleep(100);
        }
    }

    /** The value of {@code c} computed on the FX thread. */
    public static <T> T fx(Callable<T> c) throws Exception {
        var f = new CompletableFuture<T>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }
}
