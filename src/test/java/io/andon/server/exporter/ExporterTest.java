package io.andon.server.exporter;

import io.andon.stack.Postgres;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exporter on a real PostgreSQL 15, with the tests that would have caught the plant spec's bugs. */
@Tag("integration")
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExporterTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Exporter exporter;
    private static Postgres pg;

    @BeforeAll
    static void start(Stack stack) throws Exception {
        pg = stack.postgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT mes_core.generate_data(3, 4, 300, 5000, 200)");
        }
        exporter = new Exporter(new Exporter.Config("127.0.0.1", 0, pg.jdbcUrl(), pg.monitorUser(), pg.monitorPassword(),
                Duration.ofMillis(500), Duration.ofMillis(500), QueryConfig.bundled()));
        exporter.start();
    }

    @AfterAll
    static void stop() {
        if (exporter != null) exporter.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port() + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String awaitMetrics(String mustContain) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = get("/metrics").body();
            if (body.contains(mustContain)) return body;
            Thread.sleep(200);
        }
        throw new AssertionError("metrics never contained " + mustContain + ":\n" + body);
    }

    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+|NaN)$").matcher(metrics);
        if (!m.find()) throw new AssertionError("no sample " + series);
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Order(1)
    void everyExporterMetricOfTheContractIsExported() throws Exception {
        awaitMetrics("\ndb_up 1"); // the sample line, not "# HELP db_up 1 when ..."
        String metrics = awaitMetrics("mes_attendance_ratio");
        Path doc = Path.of(System.getProperty("andon.project.dir", "."), "docs/metrics-contract.md");
        String text = Files.readString(doc);
        String section = text.substring(text.indexOf("## Exporter"), text.indexOf("## Recording rules"));
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_:]+)` \\|").matcher(section);
        while (m.find()) names.add(m.group(1));
        assertThat(names).hasSizeGreaterThan(20);
        for (String n : names) {
            assertThat(metrics).as("contract metric " + n).containsPattern("(?m)^" + Pattern.quote(n) + "[{ ]");
        }
        assertThat(value(metrics, "db_up")).isEqualTo(1);
        assertThat(value(metrics, "mes_plants_total")).isEqualTo(3);
        assertThat(value(metrics, "mes_equipment_total")).isEqualTo(300);
        assertThat(value(metrics, "mes_inventory_items_total")).isEqualTo(5000);
        assertThat(value(metrics, "db_cache_hit_ratio")).isBetween(0.0, 1.0);
    }

    @Test
    @Order(2)
    void inventoryValueIsQuantityTimesCostNotTheSumOfQuantities() throws Exception {
        String metrics = awaitMetrics("mes_inventory_value_total");
        double value, qty;
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT sum(qty_on_hand * unit_cost), sum(qty_on_hand) FROM mes_core.inventory")) {
            rs.next();
            value = rs.getDouble(1);
            qty = rs.getDouble(2);
        }
        assertThat(value(metrics, "mes_inventory_value_total")).isCloseTo(value, org.assertj.core.data.Offset.offset(0.01));
        assertThat(value(metrics, "mes_inventory_qty_on_hand_total")).isCloseTo(qty, org.assertj.core.data.Offset.offset(0.01));
        assertThat(value).isNotCloseTo(qty, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    @Order(3)
    void lockWaitsAreExportedWhileABackendWaits() throws Exception {
        try (Connection holder = pg.connect(); Connection waiter = pg.connect()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("LOCK TABLE mes_core.work_orders IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try (Statement s = waiter.createStatement()) {
                    s.execute("SET lock_timeout = '15s'");
                    s.execute("SELECT count(*) FROM mes_core.work_orders");
                } catch (SQLException ignored) {
                    // released or timed out
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            double waits = 0;
            while (waits < 1 && System.nanoTime() < deadline) {
                waits = value(get("/metrics").body(), "db_lock_waits");
                Thread.sleep(200);
            }
            assertThat(waits).as("db_lock_waits while a backend waits for a lock").isGreaterThanOrEqualTo(1);
            holder.rollback();
            blocked.get();
        }
    }

    @Test
    @Order(4)
    void slowStatementsCountOnlySlowOnes() throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_statements_reset()");
            for (int i = 0; i < 50; i++) s.execute("SELECT count(*) FROM mes_core.plants WHERE plant_id > " + (i % 3));
        }
        Thread.sleep(1200);
        assertThat(value(get("/metrics").body(), "db_slow_statements")).as("only fast statements ran").isZero();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(0.6)");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double slow = 0;
        while (slow < 1 && System.nanoTime() < deadline) {
            slow = value(get("/metrics").body(), "db_slow_statements");
            Thread.sleep(200);
        }
        assertThat(slow).as("one statement with mean_exec_time > 500 ms").isEqualTo(1);
    }

    @Test
    @Order(5)
    void plantViewsInstallAndAnswer() throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT metric_name, metric_value FROM mes_core.business_metrics ORDER BY metric_name")) {
            int n = 0;
            while (rs.next()) n++;
            assertThat(n).isEqualTo(10);
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM mes_core.database_performance_metrics WHERE metric_name = 'cache_hit_ratio'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
        // the spec's form of the view, with ORDER BY inside a UNION arm, is rejected by PostgreSQL
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("CREATE VIEW spec_bug AS SELECT 1 AS a ORDER BY a UNION ALL SELECT 2"))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    @Order(6)
    void monitorRoleCannotWrite() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.monitorUser(), pg.monitorPassword());
             Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("UPDATE mes_core.equipment SET status = 'DOWN'")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("DELETE FROM mes_core.plants")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    @Order(10)
    void databaseDownIsToldHonestlyAndScrapesStayFast(Stack stack) throws Exception {
        awaitMetrics("mes_equipment_total");
        stack.stopService("postgres", true);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String metrics = "";
            while (System.nanoTime() < deadline) {
                metrics = get("/metrics").body();
                if (metrics.contains("db_up 0.0") || metrics.contains("db_up 0\n")) break;
                Thread.sleep(200);
            }
            assertThat(value(metrics, "db_up")).isZero();
            assertThat(metrics).as("business gauges are dropped, not re-served as fresh").doesNotContain("mes_equipment_total");
            assertThat(metrics).doesNotContain("db_cache_hit_ratio ");
            HttpResponse<String> health = get("/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"database\"").contains("DOWN")
                    .doesNotContain("Exception").doesNotContain("org.postgresql").doesNotContain("at ");
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
            assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        } finally {
            stack.startAgain("postgres");
        }
        awaitMetrics("mes_equipment_total");
        // db_up comes from the database collector, on its own schedule: the business gauges may be back first
        long upDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (value(get("/metrics").body(), "db_up") != 1 && System.nanoTime() < upDeadline) Thread.sleep(200);
        assertThat(value(get("/metrics").body(), "db_up")).isEqualTo(1);
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void badQueryFileIsRejectedWithFileAndProblem() throws Exception {
        Path f = Files.createTempFile("queries", ".yaml");
        Files.writeString(f, "queries:\n  - metric: 'bad name'\n    sql: SELECT 1 AS value\n  - metric: ok_metric\n");
        assertThatThrownBy(() -> QueryConfig.load(f)).hasMessageContaining(f.toString())
                .hasMessageContaining("query #1").hasMessageContaining("query #2 'ok_metric': 'sql' missing");
        Files.writeString(f, "queries:\n  - metric: x\n    sqll: SELECT 1\n");
        assertThatThrownBy(() -> QueryConfig.load(f)).message().containsPattern(java.util.regex.Pattern.quote(f.toString()) + ":\\d+: Unrecognized field \"sqll\"");
        Map<String, String> unused = Map.of();
        assertThat(unused).isEmpty();
    }
}
