package io.andon.alertmanager;

import io.andon.net.SourceException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A Prometheus range query as {@link AlertHistory} needs it: expression, range, step → series of samples. */
@FunctionalInterface
public interface RangeQuery {
    List<Series> query(String expr, Instant start, Instant end, Duration step) throws SourceException;

    record Series(Map<String, String> labels, List<Point> points) {
        public Series {
            labels = Map.copyOf(labels);
            points = List.copyOf(points);
        }
    }

    record Point(Instant t, double v) {}
}
