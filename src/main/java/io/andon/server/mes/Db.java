package io.andon.server.mes;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.andon.server.HttpEndpoints;
import io.andon.server.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

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

/**
 * The service's database access: prepared statements only, every statement timed by query type and traced as
 * one CLIENT span ({@code database_query}) carrying the parameterised text, never the bound values.
 */
final class Db implements AutoCloseable {
    static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    static final AttributeKey<String> DB_NAME = AttributeKey.stringKey("db.name");
    static final AttributeKey<String> DB_STATEMENT = AttributeKey.stringKey("db.statement");
    static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation");
    static final AttributeKey<String> DB_TABLE = AttributeKey.stringKey("db.sql.table");
    static final AttributeKey<Long> DB_ROWS_RETURNED = AttributeKey.longKey("db.rows_returned");
    static final AttributeKey<Long> DB_ROWS_AFFECTED = AttributeKey.longKey("db.rows_affected");
    private static final java.util.regex.Pattern TABLE = java.util.regex.Pattern.compile(
            "(?is)\\b(?:FROM|INTO|UPDATE)\\s+([a-z_][a-z0-9_]*(?:\\.[a-z_][a-z0-9_]*)?)");

    private final HikariDataSource ds;
    private final MesMetrics metrics;
    private final Tracer tracer;
    private final String dbName;
    private volatile boolean outage;
    private final java.util.Properties loadProps = new java.util.Properties();
    private final String url;
    /** The slow-queries scenario's delay for the next statement of this request: spent inside its SQL span. */
    private final ThreadLocal<Long> pendingDelay = new ThreadLocal<>();

    Db(String url, String user, String password, MesMetrics metricsOrNull) {
        this(url, user, password, metricsOrNull, io.opentelemetry.api.OpenTelemetry.noop().getTracer("mes-db"));
    }

    Db(String url, String user, String password, MesMetrics metricsOrNull, Tracer tracer) {
        this.tracer = tracer;
        this.dbName = databaseName(url);
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

    /** The database of a {@code jdbc:postgresql://host:port/NAME?...} URL, for {@code db.name}. */
    static String databaseName(String url) {
        String rest = url.replaceFirst("^jdbc:postgresql://[^/]*/?", "");
        int q = rest.indexOf('?');
        return (q >= 0 ? rest.substring(0, q) : rest).isEmpty() ? "postgres" : (q >= 0 ? rest.substring(0, q) : rest);
    }

    void delayNextStatement(long millis) { pendingDelay.set(millis); }

    /**
     * One CLIENT span per statement: the text goes in as written with its {@code ?} placeholders (the values are
     * bound separately and never touch the span), errors set the span's status and add a sanitised exception event.
     */
    private Span startSpan(String sql) {
        // a statement outside any request (the /health probe every few seconds, scenario jobs) would make a one-span
        // trace of its own each time: noise among the requests' traces. It runs untraced (a no-op span).
        if (!Span.current().getSpanContext().isValid()) return Span.getInvalid();
        SqlInfo st = statements.get(sql);
        if (st == null) {
            st = SqlInfo.of(sql);
            // the keys are the service's own SQL literals (a handful), never user text; the cap is a safety net
            if (statements.size() < 256) statements.put(sql, st);
        }
        var b = tracer.spanBuilder("database_query").setSpanKind(SpanKind.CLIENT)
                .setAttribute(DB_SYSTEM, "postgresql").setAttribute(DB_NAME, dbName)
                .setAttribute(DB_STATEMENT, st.text()).setAttribute(DB_OPERATION, st.operation());
        if (st.table() != null) b.setAttribute(DB_TABLE, st.table());
        return b.startSpan();
    }

    /** A statement's span attributes, worked out once per SQL text (whitespace collapsed, first keyword, first table). */
    private record SqlInfo(String text, String operation, String table) {
        static SqlInfo of(String sql) {
            String text = sql.strip().replaceAll("\\s+", " ");
            var m = TABLE.matcher(text);
            return new SqlInfo(text, text.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT), m.find() ? m.group(1) : null);
        }
    }

    private final java.util.concurrent.ConcurrentHashMap<String, SqlInfo> statements = new java.util.concurrent.ConcurrentHashMap<>();

    private void simulatedDelay() {
        Long d = pendingDelay.get();
        if (d == null) return;
        pendingDelay.remove();
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void failed(Span span, SQLException e) {
        String state = e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")";
        Tracing.fail(span, e, HttpEndpoints.reason(e) + state);
    }

    List<Map<String, Object>> query(String sql, Object... args) throws SQLException {
        long t0 = System.nanoTime();
        Span span = startSpan(sql);
        try (Scope ignored = Tracing.current(span); Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            simulatedDelay();
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
                span.setAttribute(DB_ROWS_RETURNED, (long) rows.size());
                return rows;
            }
        } catch (SQLException e) {
            failed(span, e);
            throw e;
        } finally {
            // observed while the span is still open: a sampled span's ids become the histogram's exemplar
            try (Scope ignored = span.makeCurrent()) {
                if (metrics != null) metrics.query("select", (System.nanoTime() - t0) / 1e9);
            }
            span.end();
        }
    }

    int update(String type, String sql, Object... args) throws SQLException {
        long t0 = System.nanoTime();
        Span span = startSpan(sql);
        try (Scope ignored = Tracing.current(span); Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            simulatedDelay();
            int n = ps.executeUpdate();
            span.setAttribute(DB_ROWS_AFFECTED, (long) n);
            return n;
        } catch (SQLException e) {
            failed(span, e);
            throw e;
        } finally {
            try (Scope ignored = span.makeCurrent()) {
                if (metrics != null) metrics.query(type, (System.nanoTime() - t0) / 1e9);
            }
            span.end();
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
