package io.andon.prometheus;

import java.util.List;

/**
 * A native histogram sample as the query API sends it (Prometheus 2.40+ behind a flag, common with 3.x): count, sum
 * and the populated buckets, each with its boundaries rule (0 open left, 1 open right, 2 open both, 3 closed both),
 * lower and upper bound and count. Counts are floats: after {@code rate()} they are per-second rates.
 */
public record NativeHistogram(double count, double sum, List<Bucket> buckets) {
    public NativeHistogram {
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }

    public record Bucket(int boundaries, double lower, double upper, double count) {}

    /** A histogram sample of one series at one time. */
    public record Sample(java.util.Map<String, String> labels, java.time.Instant time, NativeHistogram histogram) {
        public Sample {
            labels = java.util.Map.copyOf(labels);
        }
    }
}
