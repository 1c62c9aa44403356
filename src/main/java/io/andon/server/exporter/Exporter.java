package io.andon.server.exporter;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.andon.server.HttpEndpoints;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Andon exporter: collects database and business figures in the background on their own intervals
 * and serves the last good collection, so a scrape never waits on the database. When the database is
 * gone, db_up says 0 and the business gauges disappear instead of lying.
 */
public final class Exporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Exporter.class);

    public record Config(String bind, int port, String jdbcUrl, String user, String password,
                         Duration dbInterval, Duration businessInterval, QueryConfig queries) {}

    private final Config cfg;
    private final HikariDataSource ds;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final CachedMetrics dbCache = new CachedMetrics();
    private final TextFamilies businessCache = new TextFamilies();
    private final Collectors collectors = new Collectors();
    private final Gauge dbUp;
    private final Gauge lastSuccess;
    private final Gauge duration;
    private final Counter errors;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("collector-", 0).factory());
    private volatile boolean firstDbDone;
    private volatile boolean dbOk;
    private volatile String dbReason = "not collected yet";
    private HttpServer http;

    public Exporter(Config cfg) {
        this.cfg = cfg;
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(cfg.jdbcUrl());
        hc.setUsername(cfg.user());
        hc.setPassword(cfg.password());
        hc.setMaximumPoolSize(3);
        hc.setMinimumIdle(0);
        hc.setConnectionTimeout(3000);
        hc.setValidationTimeout(2000);
        hc.setReadOnly(true);
        hc.setPoolName("exporter");
        // a collection stuck behind a lock must end, not pile up
        hc.setConnectionInitSql("SET statement_timeout = '5s'; SET lock_timeout = '2s'");
        hc.setInitializationFailTimeout(-1); // start even when the database is down: db_up tells the truth
        hc.addDataSourceProperty("connectTimeout", "3");
        hc.addDataSourceProperty("socketTimeout", "10");
        hc.addDataSourceProperty("ApplicationName", "andon-exporter");
        this.ds = new HikariDataSource(hc);
        dbUp = Gauge.builder().name("db_up").help("1 when the last database collection succeeded.").register(registry);
        lastSuccess = Gauge.builder().name("andon_collector_last_success_timestamp_seconds").help("Last successful collection.")
                .labelNames("collector").unit(Unit.SECONDS).register(registry);
        duration = Gauge.builder().name("andon_collector_duration_seconds").help("Duration of the last collection.")
                .labelNames("collector").unit(Unit.SECONDS).register(registry);
        errors = Counter.builder().name("andon_collector_errors").help("Failed collections.").labelNames("collector").register(registry);
        errors.labelValues("db");
        errors.labelValues("business");
        dbUp.set(0);
        registry.register(dbCache);
    }

    public void start() throws IOException {
        scheduler.scheduleWithFixedDelay(this::collectDb, 0, cfg.dbInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::collectBusiness, 0, cfg.businessInterval().toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Supplier<HttpEndpoints.Check>> checks = new LinkedHashMap<>();
        checks.put("database", () -> dbOk ? HttpEndpoints.Check.pass() : new HttpEndpoints.Check(false, dbReason));
        http = HttpEndpoints.start(cfg.bind(), cfg.port(), registry, businessCache::render, checks, () -> firstDbDone && dbOk);
        log.info("andon exporter on http://{}:{}/metrics (db every {} s, business every {} s)", cfg.bind(), http.getAddress().getPort(),
                cfg.dbInterval().toSeconds(), cfg.businessInterval().toSeconds());
    }

    public int port() { return http.getAddress().getPort(); }

    public PrometheusRegistry registry() { return registry; }

    void collectDb() {
        long t0 = System.nanoTime();
        try {
            List<MetricSnapshot> m = collectors.database(ds);
            dbCache.set(m);
            dbUp.set(1);
            if (!dbOk) log.info("database reachable");
            dbOk = true;
            dbReason = "ok";
            lastSuccess.labelValues("db").set(System.currentTimeMillis() / 1000.0);
        } catch (SQLException | RuntimeException e) {
            dbCache.clear();
            businessCache.clear(); // the business figures are as old as the last success: not fresh any more
            dbUp.set(0);
            errors.labelValues("db").inc();
            if (dbOk || !firstDbDone) log.warn("database collection failed: {}", e.getMessage());
            dbOk = false;
            dbReason = HttpEndpoints.reason(e);
        } finally {
            firstDbDone = true;
            duration.labelValues("db").set((System.nanoTime() - t0) / 1e9);
        }
    }

    void collectBusiness() {
        long t0 = System.nanoTime();
        try {
            businessCache.set(collectors.business(ds, cfg.queries()));
            lastSuccess.labelValues("business").set(System.currentTimeMillis() / 1000.0);
        } catch (SQLException | RuntimeException e) {
            businessCache.clear();
            errors.labelValues("business").inc();
            log.warn("business collection failed: {}", e.getMessage());
        } finally {
            duration.labelValues("business").set((System.nanoTime() - t0) / 1e9);
        }
    }

    /** For benchmarks: one business collection now, on the caller's thread. */
    public Duration collectBusinessOnce() {
        long t0 = System.nanoTime();
        collectBusiness();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    boolean databaseAnswers() {
        try (Connection c = ds.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (http != null) http.stop(0);
        ds.close();
    }
}
