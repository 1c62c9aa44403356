package io.andon.prometheus;

import java.time.Instant;
import java.util.Map;

/** One value of one series at one time. {@code value} may be NaN or ±Infinity, as Prometheus sends them. */
public record Sample(Map<String, String> labels, Instant time, double value) {
    public Sample {
        labels = Map.copyOf(labels);
    }
}
