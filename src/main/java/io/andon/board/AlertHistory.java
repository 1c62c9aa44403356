package io.andon.board;

import io.andon.net.SourceException;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.Series;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What fired over a window, from Prometheus' own ALERTS series: per alert and label set, the intervals in
 * which it was firing — so a supervisor starting a shift sees the night. The query is fixed text.
 */
public final class AlertHistory {
    public record Interval(Instant start, Instant end) {}

    public record Row(String alertname, Map<String, String> labels, List<Interval> intervals) {
        public Duration total() {
            return intervals.stream().map(i -> Duration.between(i.start(), i.end())).reduce(Duration.ZERO, Duration::plus);
        }
    }

    private final PrometheusClient prometheus;

    public AlertHistory(PrometheusClient prometheus) {
        this.prometheus = prometheus;
    }

    /** Resolution: about 300 steps over the window, never finer than 15 s. */
    public List<Row> load(Instant end, Duration window) throws SourceException {
        Duration step = Duration.ofSeconds(Math.max(15, window.toSeconds() / 300));
        io.andon.prometheus.RangeResult answer = prometheus.range("ALERTS{alertstate=\"firing\"}", end.minus(window), end, step);
        // a skipped series is an alert missing from the history: logged, since the rows have no place for notes
        if (!answer.warnings().isEmpty()) org.slf4j.LoggerFactory.getLogger(AlertHistory.class).warn("alert history: {}", String.join("; ", answer.warnings()));
        List<Series> series = answer.series();
        List<Row> rows = new ArrayList<>();
        for (Series s : series) {
            Map<String, String> labels = new TreeMap<>(s.labels());
            labels.remove("__name__");
            labels.remove("alertstate");
            String name = labels.remove("alertname");
            rows.add(new Row(name == null ? "?" : name, labels, intervals(s.points(), step)));
        }
        rows.sort(Comparator.comparing((Row r) -> r.intervals().isEmpty() ? Instant.MIN : r.intervals().getFirst().start()).thenComparing(Row::alertname));
        return rows;
    }

    /** Consecutive samples (no gap wider than 1.5 steps) form one interval; a sample covers one step. */
    static List<Interval> intervals(List<Series.Point> points, Duration step) {
        List<Interval> out = new ArrayList<>();
        Instant start = null, last = null;
        long gap = step.toMillis() * 3 / 2;
        for (Series.Point p : points) {
            if (start == null) {
                start = p.time();
            } else if (p.time().toEpochMilli() - last.toEpochMilli() > gap) {
                out.add(new Interval(start, last.plus(step)));
                start = p.time();
            }
            last = p.time();
        }
        if (start != null) out.add(new Interval(start, last.plus(step)));
        return out;
    }
}
