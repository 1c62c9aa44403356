package io.andon.alertmanager;

import io.andon.net.SourceException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Polls the Alertmanagers off the UI thread and hands out immutable snapshots. Keeps the last good list when
 * every member is down (stale, with its age), and announces each newly firing critical alert once.
 */
public final class AlertService implements AutoCloseable {
    private final AlertmanagerPool pool;
    private final Duration interval;
    private final Consumer<AlertSnapshot> listener;
    private final Consumer<Alert> newCritical;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("alerts").factory());
    private final Set<String> announced = new HashSet<>();
    private volatile AlertSnapshot last = new AlertSnapshot(List.of(), List.of(), null, null, true, List.of("not fetched yet"));
    private ScheduledFuture<?> schedule;

    public AlertService(AlertmanagerPool pool, Duration interval, Consumer<AlertSnapshot> listener, Consumer<Alert> newCritical, Clock clock) {
        this.pool = pool;
        this.interval = interval;
        this.listener = listener;
        this.newCritical = newCritical;
        this.clock = clock;
    }

    public AlertmanagerPool pool() { return pool; }

    public synchronized void start() {
        if (schedule == null) schedule = timer.scheduleWithFixedDelay(this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            // the next poll tries again; the snapshot already says stale
        }
    }

    public AlertSnapshot poll() {
        Instant now = clock.instant();
        AlertSnapshot snap;
        try {
            AlertmanagerPool.Result r = pool.fetch();
            snap = new AlertSnapshot(r.alerts(), r.silences(), now, now, false, r.memberErrors());
            announce(r.alerts());
        } catch (SourceException e) {
            AlertSnapshot prev = last;
            snap = new AlertSnapshot(prev.alerts(), prev.silences(), now, prev.lastGood(), true, List.of(e.getMessage()));
        }
        last = snap;
        listener.accept(snap);
        return snap;
    }

    /** Each critical fingerprint once while it fires; again only after it resolved and fired anew. */
    private void announce(List<Alert> alerts) {
        Set<String> firingCritical = new HashSet<>();
        for (Alert a : alerts) {
            if (!"critical".equals(a.severity()) || !"active".equals(a.state())) continue;
            firingCritical.add(a.fingerprint());
            if (announced.add(a.fingerprint())) newCritical.accept(a);
        }
        announced.retainAll(firingCritical);
    }

    public AlertSnapshot last() { return last; }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.close();
    }
}
