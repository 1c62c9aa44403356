package io.andon.prometheus;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A range-query series: labels and its points in time order. */
public record Series(Map<String, String> labels, List<Point> points) {
    public Series {
        labels = Map.copyOf(labels);
        points = List.copyOf(points);
    }

    public record Point(Instant time, double value) {}
}
