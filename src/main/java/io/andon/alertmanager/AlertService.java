package io.andon.alertmanager;

import io.andon.net.SourceException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Polls the Alertmanagers on a virtual thread and hands out immutable snapshots. Keeps the last good list
 * when every member is down (stale, with its age and the error), and announces each newly firing critical
 * alert once through a {@link CriticalNotifier}.
 */
public final class AlertService implements AutoCloseable {
    private final AlertmanagerPool pool;
    private final Duration interval;
    private final Consumer<AlertSnapshot> listener;
    private final CriticalNotifier notifier;
    private final Clock clock;
    private volatile List<String> groupKeys = AlertSnapshot.DEFAULT_GROUP_KEYS;
    private volatile AlertSnapshot last = AlertSnapshot.notYet();
    private Thread poller;
    private volatile AckKeeper keeper;
    private volatile AckKeeper.Report lastKeep;

    public AlertService(AlertmanagerPool pool, Duration interval, Consumer<AlertSnapshot> listener, Consumer<Alert> newCritical, Clock clock) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("poll interval must be positive");
        this.pool = pool;
        this.interval = interval;
        this.listener = listener;
        this.notifier = new CriticalNotifier(newCritical);
        this.clock = clock;
    }

    public AlertmanagerPool pool() { return pool; }

    public CriticalNotifier notifier() { return notifier; }

    /** Runs this keeper after each good poll (every console does: whichever runs holds the acks). */
    public AlertService withKeeper(AckKeeper k) {
        keeper = k;
        return this;
    }

    public java.util.Optional<AckKeeper> keeper() { return java.util.Optional.ofNullable(keeper); }

    /** What the keeper did after the last good poll (null before). */
    public AckKeeper.Report lastKeep() { return lastKeep; }

    /** Label keys the next snapshots are grouped by (default alertname, plant). */
    public void groupBy(List<String> keys) {
        groupKeys = keys == null || keys.isEmpty() ? AlertSnapshot.DEFAULT_GROUP_KEYS : List.copyOf(keys);
        AlertSnapshot s = last.groupedBy(groupKeys);
        last = s;
        listener.accept(s);
    }

    public synchronized void start() {
        if (poller != null) return;
        poller = Thread.ofVirtual().name("alerts-poll").start(() -> {
            long next = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    poll();
                } catch (RuntimeException e) {
                    // a listener failed; the next poll tries again
                }
                // at a fixed rate (not interval + poll time): an ack made elsewhere shows within one interval
                next += interval.toNanos();
                long wait = next - System.nanoTime();
                if (wait < 0) next = System.nanoTime(); // a slow poll: no burst of catch-up polls
                try {
                    if (wait > 0) Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    public AlertSnapshot poll() {
        Instant now = clock.instant();
        AlertSnapshot snap;
        AlertmanagerPool.Result r = null;
        try {
            r = pool.fetch();
            snap = new AlertSnapshot(r.alerts(), r.silences(), now, now, false, r.memberErrors(), groupKeys, null, r.health());
            notifier.update(r.alerts(), r.silences());
        } catch (SourceException e) {
            AlertSnapshot prev = last;
            // all members down: keep the last good list, say how old it is and why; the notifier is not fed
            snap = new AlertSnapshot(prev.alerts(), prev.silences(), now, prev.lastGood(), true, List.of(e.getMessage()), groupKeys,
                    e.getMessage(), pool.lastHealth());
        }
        last = snap;
        listener.accept(snap);
        AckKeeper k = keeper;
        // only on a complete list: a stale one would read as "every acked alert resolved"
        if (k != null && r != null) lastKeep = k.keep(r.alerts(), r.silences());
        return snap;
    }

    public AlertSnapshot last() { return last; }

    @Override
    public void close() {
        synchronized (this) {
            if (poller != null) poller.interrupt();
        }
        pool.close();
    }
}
