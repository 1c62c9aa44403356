package io.andon.server.mes;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The service's database access: prepared statements only, every statement timed by query type. */
final class Db implements AutoCloseable {
    private final HikariDataSource ds;
    private final MesMetrics metrics;
    private volatile boolean outage;
    private final java.util.Properties loadProps = new java.util.Properties();
    private final String url;

    Db(String url, String user, String password, MesMetrics metricsOrNull) {
        this.url = url;
        // the scenarios' own sessions (lock holders, slow statements) say so in the database log: mes-load
        loadProps.setProperty("user", user);
        loadProps.setProperty("password", password);
        loadProps.setProperty("ApplicationName", "mes-load");
        loadProps.setProperty("options", "-c statement_timeout=10s");
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(16);
        c.setConnectionTimeout(3000);
        c.setPoolName("mes");
        c.setInitializationFailTimeout(-1);
        c.setConnectionInitSql("SET statement_timeout = '10s'");
        // the API's pool; the PostgreSQL log (application_name) tells its statements from mes-load's
        c.addDataSourceProperty("ApplicationName", "mes-api");
        ds = new HikariDataSource(c);
        metrics = metricsOrNull;
    }

    double activeConnections() {
        var mx = ds.getHikariPoolMXBean();
        return mx == null ? 0 : mx.getActiveConnections();
    }

    /** The db-outage scenario: every call fails as if the database were gone. */
    void setOutage(boolean on) { outage = on; }

    boolean outage() { return outage; }

    Connection connection() throws SQLException {
        if (outage) throw new SQLTransientConnectionException("database unavailable (simulated outage)", "08001");
        return ds.getConnection();
    }

    List<Map<String, Object>> query(String sql, Object... args) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        row.put(md.getColumnLabel(i), v instanceof java.sql.Timestamp ts ? ts.toInstant().toString() : v);
                    }
                    rows.add(row);
                }
                return rows;
            }
        } finally {
            if (metrics != null) metrics.query("select", (System.nanoTime() - t0) / 1e9);
        }
    }

    int update(String type, String sql, Object... args) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } finally {
            if (metrics != null) metrics.query(type, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Direct access for scenarios (bypasses the simulated outage: the plant's data changes, not the service). */
    Connection adminConnection() throws SQLException { return java.sql.DriverManager.getConnection(url, loadProps); }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    }

    @Override
    public void close() { ds.close(); }
}
