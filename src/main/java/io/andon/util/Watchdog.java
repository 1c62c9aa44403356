package io.andon.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Notices work that should have finished and has not: the FX thread not answering a ping, a page refresh that
 * never returns. Each watched thing is a {@link Probe} telling since when (monotonic nanoseconds) it has been busy
 * with its current piece of work, or {@link #IDLE}. {@link #check()} — called every second or so by the console,
 * directly by tests with an injected clock — reports a probe once when it passes its limit (logged with a thread
 * dump, then handed to the listener, which shows a notice or rebuilds the wall), and once more when it is idle again.
 * No JavaFX here: the FX side (the ping, the notice) lives in the console.
 */
public final class Watchdog {
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
    public static final long IDLE = -1;

    /**
     * @param busySinceNanos the {@code nanoTime} at which the current work began, or {@link #IDLE}
     * @param thread         the thread doing it, for the dump (virtual threads too), or null
     */
    public record Probe(String name, Duration limit, LongSupplier busySinceNanos, Supplier<Thread> thread) {}

    /** A probe past its limit ({@code recovered} false), or back to work after one ({@code recovered} true). */
    public record Stall(String name, Duration busyFor, boolean recovered, String threadDump) {}

    private final LongSupplier nanoTime;
    private final Consumer<Stall> listener;
    private final List<Probe> probes = new CopyOnWriteArrayList<>();
    /** probe → the busy-since of the stall reported (so one stall is reported once) */
    private final Map<Probe, Long> reported = new ConcurrentHashMap<>();

    public Watchdog(LongSupplier nanoTime, Consumer<Stall> listener) {
        this.nanoTime = nanoTime;
        this.listener = listener;
    }

    public Probe watch(Probe p) {
        probes.add(p);
        return p;
    }

    public void unwatch(Probe p) {
        probes.remove(p);
        reported.remove(p);
    }

    /** Looks at every probe once; returns the stalls and recoveries reported by this call. */
    public List<Stall> check() {
        List<Stall> out = new java.util.ArrayList<>();
        long now = nanoTime.getAsLong();
        for (Probe p : probes) {
            long since = p.busySinceNanos().getAsLong();
            Long was = reported.get(p);
            if (was != null && since != was) {
                // idle again, or on new work: the stalled piece of work ended
                reported.remove(p);
                Stall s = new Stall(p.name(), Duration.ofNanos(now - was), true, "");
                log.warn("watchdog: {} is working again after {} ms", p.name(), s.busyFor().toMillis());
                out.add(s);
                listener.accept(s);
            }
            if (since == IDLE || reported.containsKey(p)) continue;
            Duration busy = Duration.ofNanos(now - since);
            if (busy.compareTo(p.limit()) > 0) {
                reported.put(p, since);
                Thread t = p.thread() == null ? null : p.thread().get();
                String dump = dump(t);
                log.error("watchdog: {} busy for {} ms (limit {} ms)\n{}", p.name(), busy.toMillis(), p.limit().toMillis(), dump);
                Stall s = new Stall(p.name(), busy, false, dump);
                out.add(s);
                listener.accept(s);
            }
        }
        return out;
    }

    /** The stuck thread's stack first (virtual threads are not in the JVM's dump), then every platform thread. */
    public static String dump(Thread stuck) {
        StringBuilder sb = new StringBuilder();
        if (stuck != null) {
            sb.append("stuck thread \"").append(stuck.getName()).append("\" ").append(stuck.isVirtual() ? "(virtual) " : "")
                    .append(stuck.getState()).append('\n');
            for (StackTraceElement e : stuck.getStackTrace()) sb.append("\tat ").append(e).append('\n');
            sb.append('\n');
        }
        for (ThreadInfo ti : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            sb.append('"').append(ti.getThreadName()).append("\" ").append(ti.getThreadState());
            if (ti.getLockName() != null) sb.append(" on ").append(ti.getLockName());
            sb.append('\n');
            // ThreadInfo.toString cuts stacks at 8 frames: the whole stack is what finds the cause
            for (StackTraceElement e : ti.getStackTrace()) sb.append("\tat ").append(e).append('\n');
            sb.append('\n');
        }
        return sb.toString();
    }
}
