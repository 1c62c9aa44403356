package io.andon.prometheus;

import java.time.Instant;
import java.util.Map;

/**
 * One exemplar from {@code /api/v1/query_exemplars}: the series it was attached to, its own labels (client_java
 * writes {@code trace_id} and {@code span_id} when a sampled OpenTelemetry span was current), the observed value
 * and when.
 */
public record Exemplar(Map<String, String> seriesLabels, Map<String, String> labels, double value, Instant time) {
    public Exemplar {
        seriesLabels = Map.copyOf(seriesLabels);
        labels = Map.copyOf(labels);
    }

    /** The trace id, under either name tracers use for it; null when the exemplar carries none. */
    public String traceId() {
        String t = labels.get("trace_id");
        return t != null ? t : labels.get("traceID");
    }

    public String spanId() {
        String s = labels.get("span_id");
        return s != null ? s : labels.get("spanID");
    }

    /** All exemplars of a query, and the ones that could not be read (reported, skipped). */
    public record Result(java.util.List<Exemplar> exemplars, java.util.List<String> problems) {
        public Result {
            exemplars = java.util.List.copyOf(exemplars);
            problems = java.util.List.copyOf(problems);
        }
    }
}
