package io.andon.prometheus;

import io.andon.net.Endpoint;

import java.time.Duration;

/**
 * A named Prometheus-compatible query API for dashboard pages. {@code maxStaleness} is per datasource because
 * sources differ in how old their newest samples may be (a long scrape interval, a remote-write hop, a cache):
 * one global limit would mark them STALE or hide real staleness elsewhere. Note VictoriaMetrics' 30 s hold-back
 * is not visible to any limit: it answers older data stamped with the query time (use {@code nocache=1} or
 * {@code -search.latencyOffset}, docs/scale-out.md).
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
