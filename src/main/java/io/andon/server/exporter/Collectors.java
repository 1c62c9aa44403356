package io.andon.server.exporter;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** The SQL behind the exporter's gauges: database health (every 15 s) and business figures (every 60 s). */
final class Collectors {
    private static final Logger log = LoggerFactory.getLogger(Collectors.class);
    private final AtomicBoolean warnedNoStatements = new AtomicBoolean();

    /** pg_stat_* figures. Slow statements only where pg_stat_statements is installed. */
    List<MetricSnapshot> database(DataSource ds) throws SQLException {
        List<MetricSnapshot> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            Map<String, Double> states = new LinkedHashMap<>(Map.of("active", 0.0, "idle", 0.0, "idle_in_transaction", 0.0, "other", 0.0));
            try (ResultSet rs = s.executeQuery("""
                    SELECT CASE state WHEN 'active' THEN 'active' WHEN 'idle' THEN 'idle'
                                      WHEN 'idle in transaction' THEN 'idle_in_transaction' ELSE 'other' END AS st, count(*)
                      FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1""")) {
                while (rs.next()) states.merge(rs.getString(1), rs.getDouble(2), Double::sum);
            }
            GaugeSnapshot.Builder conns = GaugeSnapshot.builder().name("db_connections").help("Server connections by state (client backends).");
            states.forEach((k, v) -> conns.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("state", k)).value(v).build()));
            out.add(conns.build());
            out.add(gauge("db_connections_max", "max_connections.", single(s, "SELECT setting::float8 FROM pg_settings WHERE name = 'max_connections'")));
            out.add(gauge("db_cache_hit_ratio", "Buffer cache hit ratio of this database (0..1).", single(s,
                    "SELECT coalesce(blks_hit::float8 / nullif(blks_hit + blks_read, 0), 1) FROM pg_stat_database WHERE datname = current_database()")));
            out.add(gauge("db_lock_waits", "Backends waiting on a lock now.", single(s,
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")));
            out.add(CounterSnapshot.builder().name("db_deadlocks").help("Deadlocks detected in this database.")
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(single(s,
                            "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")).build()).build());
            if (single(s, "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'") > 0) {
                try {
                    // mean_exec_time: PostgreSQL 13 renamed mean_time; the spec's query fails on 13+
                    out.add(gauge("db_slow_statements", "Statements with mean execution time above 500 ms.", single(s,
                            "SELECT count(*) FROM pg_stat_statements WHERE mean_exec_time > 500")));
                } catch (SQLException e) {
                    // installed but not in shared_preload_libraries (55000): only this figure is missing
                    if (!"55000".equals(e.getSQLState())) throw e;
                    if (warnedNoStatements.compareAndSet(false, true)) {
                        log.warn("pg_stat_statements is installed but not loaded (shared_preload_libraries): db_slow_statements is not exported");
                    }
                }
            } else if (warnedNoStatements.compareAndSet(false, true)) {
                log.warn("pg_stat_statements is not installed in this database: db_slow_statements is not exported "
                        + "(add it to shared_preload_libraries and CREATE EXTENSION pg_stat_statements)");
            }
            GaugeSnapshot.Builder sizes = GaugeSnapshot.builder().name("db_table_size_bytes").help("Total size of tables in mes_core.");
            // sizes need a lock on each table: a table held exclusively (DDL, LOCK TABLE) must not cost the
            // other figures, so this part gives up quickly and is left out of this collection alone
            s.execute("SET lock_timeout = '200ms'");
            try (ResultSet rs = s.executeQuery("""
                    SELECT n.nspname, c.relname, pg_total_relation_size(c.oid)::float8
                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'mes_core' AND c.relkind = 'r'""")) {
                while (rs.next()) {
                    sizes.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                            .labels(Labels.of("schema", rs.getString(1), "table", rs.getString(2))).value(rs.getDouble(3)).build());
                }
                out.add(sizes.build());
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState())) throw e;
                log.debug("table sizes skipped this round: a table is locked");
            } finally {
                // back to the pool's own limit (RESET would fall back to the server default: none)
                s.execute("SET lock_timeout = '2s'");
            }
        }
        return out;
    }

    List<TextFamilies.Family> business(DataSource ds, QueryConfig config) throws SQLException {
        List<TextFamilies.Family> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (QueryConfig.Query q : config.queries()) {
                List<TextFamilies.Point> points = new ArrayList<>();
                try (ResultSet rs = s.executeQuery(q.sql())) {
                    while (rs.next()) {
                        Map<String, String> labels = new LinkedHashMap<>();
                        for (String l : q.labelsOrEmpty()) {
                            String v = rs.getString(l);
                            labels.put(l, v == null ? "" : v);
                        }
                        points.add(new TextFamilies.Point(labels, rs.getDouble("value")));
                    }
                } catch (SQLException e) {
                    throw new SQLException("business query " + q.metric() + " failed: " + e.getMessage(), e.getSQLState(), e);
                }
                out.add(new TextFamilies.Family(q.metric(), q.help() == null ? q.metric() : q.help(), points));
            }
        }
        return out;
    }

    private static double single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getDouble(1) : 0;
        }
    }

    static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}
