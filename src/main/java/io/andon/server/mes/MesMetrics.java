package io.andon.server.mes;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.function.DoubleSupplier;

/** The MES service's instruments, exactly as docs/metrics-contract.md names them. */
public final class MesMetrics {
    /** Bucket edges at the SLO thresholds (0.2 s queries, 0.3 s writes) and the 0.5 s alert line. */
    public static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.3, 0.5, 1, 2.5, 5, 10};

    final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter requests;
    final Histogram duration;
    /**
     * The same request durations as a native histogram (exponential buckets, ~2-4 % wide; Prometheus reads them over
     * protobuf with --enable-feature=native-histograms). A metric of its own rather than native buckets on
     * {@link #duration}: Prometheus 2.x keeps only the native part of a histogram that has both, which would starve
     * every rule and tile reading http_request_duration_seconds_bucket.
     */
    final Histogram durationNative;
    final Histogram dbQuery;
    final Gauge scenario;
    private final boolean enabled;

    MesMetrics(boolean enabled, DoubleSupplier activeConnections) {
        this.enabled = enabled;
        requests = Counter.builder().name("http_requests_total").help("HTTP requests finished.")
                .labelNames("method", "endpoint", "status").register(registry);
        duration = Histogram.builder().name("http_request_duration_seconds").help("HTTP request duration.")
                .unit(Unit.SECONDS).classicOnly().classicUpperBounds(BUCKETS).labelNames("method", "endpoint").register(registry);
        durationNative = Histogram.builder().name("http_request_duration_native_seconds").help("HTTP request duration (native histogram).")
                .unit(Unit.SECONDS).nativeOnly().labelNames("method", "endpoint").register(registry);
        dbQuery = Histogram.builder().name("db_query_duration_seconds").help("Duration of one SQL statement.")
                .unit(Unit.SECONDS).classicOnly().classicUpperBounds(BUCKETS).labelNames("query_type").register(registry);
        GaugeWithCallback.builder().name("db_connections_active").help("Connections of the service's pool in use.")
                .callback(cb -> cb.call(activeConnections.getAsDouble())).register(registry);
        scenario = Gauge.builder().name("mes_scenario_active").help("1 for the running simulator scenario.")
                .labelNames("scenario").register(registry);
    }

    void request(String method, String endpoint, int status, double seconds) {
        if (!enabled) return;
        requests.labelValues(method, endpoint, Integer.toString(status)).inc();
        duration.labelValues(method, endpoint).observe(seconds);
        durationNative.labelValues(method, endpoint).observe(seconds);
    }

    void query(String type, double seconds) {
        if (enabled) dbQuery.labelValues(type).observe(seconds);
    }
}
