package io.andon.alertmanager;

import io.andon.net.SourceException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When alerts fired over a window, from Prometheus' {@code ALERTS} series: one timeline per alert and label
 * set, made of intervals. The expression is fixed text; narrowing to one alert happens here, on labels.
 */
public final class AlertHistory {
    /** Fixed query: only alerts that were firing (pending ones have not notified anybody). */
    public static final String EXPR = "ALERTS{alertstate=\"firing\"}";

    /** {@code open}: still firing at the end of the window. */
    public record Interval(Instant start, Instant end, boolean open) {
        public Duration length() { return Duration.between(start, end); }
    }

    public record Timeline(Map<String, String> labels, List<Interval> intervals) {
        public Timeline {
            labels = Map.copyOf(labels);
            intervals = List.copyOf(intervals);
        }

        public String alertname() { return labels.getOrDefault("alertname", "?"); }

        public Duration firingTotal() { return intervals.stream().map(Interval::length).reduce(Duration.ZERO, Duration::plus); }
    }

    private final RangeQuery prometheus;

    public AlertHistory(RangeQuery prometheus) { this.prometheus = prometheus; }

    /** A step giving about 500 points over the window, at least 15 s (Prometheus' usual evaluation interval). */
    public static Duration step(Duration window) {
        return Duration.ofSeconds(Math.max(15, window.toSeconds() / 500));
    }

    /** Every alert that fired in [start, end], longest firing first. */
    public List<Timeline> load(Instant start, Instant end) throws SourceException {
        if (!end.isAfter(start)) throw new IllegalArgumentException("the window ends before it starts");
        Duration step = step(Duration.between(start, end));
        return timelines(prometheus.query(EXPR, start, end, step), end, step);
    }

    /** As {@link #load(Instant, Instant)} with a chosen step (the shift report: finer than 15 s on short windows). */
    public List<Timeline> load(Instant start, Instant end, Duration step) throws SourceException {
        if (!end.isAfter(start)) throw new IllegalArgumentException("the window ends before it starts");
        return timelines(prometheus.query(EXPR, start, end, step), end, step);
    }

    /** The timelines of one alert: series whose labels contain all of the alert's labels. */
    public List<Timeline> load(Alert alert, Instant start, Instant end) throws SourceException {
        return load(start, end).stream().filter(t -> matches(t.labels(), alert.labels())).toList();
    }

    private static boolean matches(Map<String, String> series, Map<String, String> alertLabels) {
        // Alertmanager adds nothing to labels, Prometheus adds alertstate: compare on the alert's labels
        for (var e : alertLabels.entrySet()) if (!e.getValue().equals(series.get(e.getKey()))) return false;
        return true;
    }

    /**
     * Samples are at step intervals while the series exists; a gap longer than one step means it stopped firing.
     * An interval ends one step after its last sample (it was firing at least until then), capped at the window end.
     */
    static List<Timeline> timelines(List<RangeQuery.Series> series, Instant windowEnd, Duration step) {
        Map<Map<String, String>, List<Interval>> byLabels = new LinkedHashMap<>();
        long tolerance = step.toMillis() * 3 / 2;
        for (RangeQuery.Series s : series) {
            Map<String, String> labels = new LinkedHashMap<>(s.labels());
            labels.remove("__name__");
            labels.remove("alertstate");
            List<RangeQuery.Point> pts = s.points().stream().filter(p -> p.v() > 0).sorted(Comparator.comparing(RangeQuery.Point::t)).toList();
            List<Interval> out = byLabels.computeIfAbsent(Map.copyOf(labels), k -> new ArrayList<>());
            Instant start = null, last = null;
            for (RangeQuery.Point p : pts) {
                if (start == null) {
                    start = p.t();
                } else if (p.t().toEpochMilli() - last.toEpochMilli() > tolerance) {
                    out.add(close(start, last, step, windowEnd));
                    start = p.t();
                }
                last = p.t();
            }
            if (start != null) out.add(close(start, last, step, windowEnd));
        }
        List<Timeline> result = new ArrayList<>();
        byLabels.forEach((labels, ivs) -> {
            if (ivs.isEmpty()) return;
            ivs.sort(Comparator.comparing(Interval::start));
            result.add(new Timeline(labels, ivs));
        });
        result.sort(Comparator.comparing(Timeline::firingTotal).reversed().thenComparing(Timeline::alertname));
        return result;
    }

    private static Interval close(Instant start, Instant last, Duration step, Instant windowEnd) {
        Instant end = last.plus(step);
        boolean open = !end.isBefore(windowEnd);
        return new Interval(start, open ? windowEnd : end, open);
    }
}
