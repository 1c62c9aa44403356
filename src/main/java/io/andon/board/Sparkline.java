package io.andon.board;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounded history of one tile: seeded from a range query, then one point per {@code step} from the
 * refreshes, oldest dropped beyond {@link #MAX_POINTS} — a wall running for weeks holds the same memory as
 * after an hour. Thread-safe.
 */
final class Sparkline {
    static final int MAX_POINTS = 360;

    private final ArrayDeque<Double> points = new ArrayDeque<>();
    private final Duration step;
    private Instant lastTime;

    Sparkline(Duration step) {
        this.step = step;
    }

    Duration step() { return step; }

    synchronized void seed(List<Double> values, Instant lastTime) {
        points.clear();
        for (Double v : values) add(v);
        this.lastTime = lastTime;
    }

    /** Appends when a step has passed since the previous point, so seeded and live points share a time scale. */
    synchronized void offer(double v, Instant t) {
        if (lastTime != null && Duration.between(lastTime, t).compareTo(step) < 0) return;
        add(v);
        lastTime = t;
    }

    private void add(double v) {
        points.addLast(v);
        while (points.size() > MAX_POINTS) points.removeFirst();
    }

    synchronized List<Double> snapshot() { return new ArrayList<>(points); }
}
