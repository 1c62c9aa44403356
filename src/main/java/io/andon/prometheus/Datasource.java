package io.andon.prometheus;

import io.andon.net.Endpoint;

import java.time.Duration;

/**
 * A named Prometheus-compatible query API for dashboard pages. {@code maxStaleness} is per datasource because
 * sources differ in how fresh their newest answer is: VictoriaMetrics, for one, holds back its newest 30 s by
 * default, and a Thanos querier behind a cache lags more — one global limit would mark them STALE or hide real
 * staleness elsewhere.
 */
public record Datasource(String name, Endpoint endpoint, Duration maxStaleness) {
    public static final String DEFAULT = "default";

    public Datasource {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("datasource needs a name");
        if (endpoint == null) throw new IllegalArgumentException("datasource '" + name + "' needs an endpoint");
        maxStaleness = maxStaleness == null ? Duration.ZERO : maxStaleness;
        if (maxStaleness.isNegative()) throw new IllegalArgumentException("datasource '" + name + "': staleness must not be negative");
    }
}
