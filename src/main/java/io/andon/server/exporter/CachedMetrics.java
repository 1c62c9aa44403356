package io.andon.server.exporter;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a background collector gathered last, served to scrapes without touching the database. A failed
 * collection replaces the cache with nothing: a stale figure must not look fresh.
 */
final class CachedMetrics implements MultiCollector {
    private final AtomicReference<List<MetricSnapshot>> current = new AtomicReference<>(List.of());

    void set(List<MetricSnapshot> snapshots) { current.set(List.copyOf(snapshots)); }

    void clear() { current.set(List.of()); }

    List<MetricSnapshot> get() { return current.get(); }

    @Override
    public MetricSnapshots collect() {
        return new MetricSnapshots(current.get());
    }
}
