package io.andon.prometheus;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A range-query series: labels, its float points in time order and its native-histogram points in time order. A
 * series may have both (a metric that switched from classic to native, or {@code rate()} over a mix); at one time
 * there is only ever one of the two.
 */
public record Series(Map<String, String> labels, List<Point> points, List<HistogramPoint> histograms) {
    public Series {
        labels = Map.copyOf(labels);
        points = List.copyOf(points);
        histograms = histograms == null ? List.of() : List.copyOf(histograms);
    }

    public Series(Map<String, String> labels, List<Point> points) {
        this(labels, points, List.of());
    }

    public record Point(Instant time, double value) {}

    public record HistogramPoint(Instant time, NativeHistogram histogram) {}
}
