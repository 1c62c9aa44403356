package io.andon.server.mes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.server.mes.load.LoadGenerator;
import io.andon.stack.JavaService;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulated MES in its own JVM on the real PostgreSQL: API, metrics contract, JSON logs, scenarios. */
@Tag("integration")
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MesServiceTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JavaService mes;
    private static Stack stack;

    @BeforeAll
    static void start(Stack s) {
        stack = s;
        mes = s.mes("--seed");
    }

    static HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mes.baseUri() + path)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static double sql(String q) throws Exception {
        try (Connection c = stack.postgres().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    static void scenario(String name) throws Exception {
        HttpResponse<String> r = call("POST", "/admin/scenario", "{\"name\":\"" + name + "\"}", "Content-Type", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void endpointsAnswerFromTheDatabase() throws Exception {
        HttpResponse<String> eq = call("GET", "/api/equipment/1", null);
        assertThat(eq.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(eq.body()).path("code").asText()).isEqualTo("EQ0000001");
        assertThat(call("GET", "/api/equipment/999999", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/equipment/abc", null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/inventory", null).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/production-reports", "{not json", "Content-Type", "application/json").statusCode()).isEqualTo(400);
        HttpResponse<String> wo = call("GET", "/api/work-orders?plant=P01", null);
        assertThat(JSON.readTree(wo.body()).size()).isPositive();
        // user text reaches SQL only as a bound parameter
        HttpResponse<String> inj = call("GET", "/api/inventory?material=x%27%20OR%201%3D1--", null);
        assertThat(inj.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(inj.body()).size()).isZero();
    }

    @Test
    @Order(2)
    void writesAreAuditedWithBeforeAndAfterAndCorrelationIsPropagated() throws Exception {
        String corr = "corr-" + System.nanoTime();
        HttpResponse<String> r = call("POST", "/api/equipment/200/status", "{\"status\":\"MAINTENANCE\"}",
                "Content-Type", "application/json", "X-Correlation-ID", corr, "X-User-ID", "alice");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("X-Correlation-ID")).hasValue(corr);
        call("POST", "/api/equipment/200/status", "{\"status\":\"ACTIVE\"}", "Content-Type", "application/json", "X-User-ID", "alice");
        Path logs = stack.workDir().resolve("mes/logs");
        JsonNode auditLine = awaitLine(logs.resolve("mes-audit.json"), n -> "equipment_status_change".equals(n.path("audit").path("action").asText())
                && "MAINTENANCE".equals(n.path("audit").path("after").path("status").asText()));
        assertThat(auditLine.path("user_id").asText()).isEqualTo("alice");
        assertThat(auditLine.path("correlation_id").asText()).isEqualTo(corr);
        assertThat(auditLine.path("audit").path("before").path("status").asText()).isIn("ACTIVE", "IDLE", "MAINTENANCE");
        assertThat(auditLine.path("@timestamp").asText()).isNotBlank();
        // an error line carries the plant's fields and the ids
        call("GET", "/api/equipment/1", null, "X-Correlation-ID", corr + "-e");
        scenario("db-outage");
        try {
            assertThat(call("GET", "/api/equipment/1", null, "X-Correlation-ID", corr + "-e").statusCode()).isEqualTo(503);
        } finally {
            scenario("normal");
        }
        JsonNode err = awaitLine(logs.resolve("mes-app.json"), n -> "ERROR".equals(n.path("level").asText())
                && (corr + "-e").equals(n.path("correlation_id").asText()));
        for (String f : List.of("logger", "message", "module", "function", "line", "thread", "process", "service", "request_id", "trace_id", "user_id")) {
            assertThat(err.has(f)).as("log field " + f + " in " + err).isTrue();
        }
        assertThat(err.path("stack_trace").asText()).contains("simulated outage");
    }

    @Test
    @Order(3)
    void metricsFollowTheContract() throws Exception {
        call("GET", "/api/equipment/5", null);
        call("GET", "/api/equipment/6", null);
        call("GET", "/api/no/such/123", null);
        String m = call("GET", "/metrics", null).body();
        assertThat(m).contains("http_requests_total{endpoint=\"/api/equipment/{id}\",method=\"GET\",status=\"200\"}");
        assertThat(m).as("raw paths never become labels").doesNotContain("/api/equipment/5\"").doesNotContain("/api/no/such");
        assertThat(m).contains("endpoint=\"unmatched\"");
        assertThat(m).contains("http_request_duration_seconds_bucket{endpoint=\"/api/equipment/{id}\",method=\"GET\",le=\"0.2\"}")
                .contains("le=\"0.3\"}").contains("le=\"0.25\"}");
        assertThat(m).contains("db_query_duration_seconds_bucket{query_type=\"select\",le=\"0.2\"}");
        assertThat(m).containsPattern("(?m)^db_connections_active [0-9.]+");
        assertThat(m).contains("mes_scenario_active{scenario=\"normal\"} 1");
    }

    @Test
    @Order(4)
    void dataScenariosChangeThePlantAndRestoreIt() throws Exception {
        double down = sql("SELECT count(*) FROM mes_core.equipment WHERE status = 'DOWN'");
        double value = sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory");
        scenario("equipment-failure");
        assertThat(sql("SELECT count(*) FROM mes_core.equipment WHERE status = 'DOWN'")).isGreaterThan(5);
        scenario("inventory-low");
        assertThat(sql("SELECT count(*) FROM mes_core.equipment WHERE status = 'DOWN'")).as("restored").isEqualTo(down);
        assertThat(sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory")).isLessThan(1000);
        scenario("attendance-low");
        assertThat(sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory")).isEqualTo(value);
        assertThat(sql("""
                SELECT count(a.check_in)::float8 / count(*) FROM mes_core.attendance a JOIN mes_core.employees e USING (employee_id)
                 WHERE a.work_date = current_date AND e.status = 'ACTIVE'""")).isLessThan(0.8);
        scenario("night");
        assertThat(sql("SELECT count(*) FROM mes_core.attendance WHERE work_date = current_date AND check_in IS NOT NULL AND check_out IS NULL")).isZero();
        scenario("normal");
        assertThat(sql("SELECT count(*) FROM mes_core.attendance WHERE work_date = current_date AND check_in IS NOT NULL AND check_out IS NULL")).isPositive();
    }

    @Test
    @Order(5)
    void databaseScenariosShowInPostgres() throws Exception {
        scenario("lock-contention");
        try {
            double waits = 0;
            for (int i = 0; i < 50 && waits < 1; i++) {
                waits = sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
                Thread.sleep(100);
            }
            assertThat(waits).as("backends waiting on a lock").isGreaterThanOrEqualTo(1);
        } finally {
            scenario("normal");
        }
        sql("SELECT count(*) FROM (SELECT pg_stat_statements_reset()) r");
        scenario("slow-queries");
        try {
            double slow = 0;
            for (int i = 0; i < 60 && slow < 1; i++) {
                slow = sql("SELECT count(*) FROM pg_stat_statements WHERE mean_exec_time > 500");
                Thread.sleep(100);
            }
            assertThat(slow).as("statements slower than 500 ms on average").isGreaterThanOrEqualTo(1);
        } finally {
            scenario("normal");
        }
    }

    @Test
    @Order(6)
    void requestScenariosUnderBoundedLoad() throws Exception {
        scenario("error-burst");
        LoadGenerator.Report errors;
        try {
            errors = new LoadGenerator(mes.baseUri(), 200, 10, 600, Duration.ofSeconds(10)).run();
        } finally {
            scenario("normal");
        }
        long total = errors.statuses().values().stream().mapToLong(Long::longValue).sum();
        long fivexx = errors.statuses().entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(java.util.Map.Entry::getValue).sum();
        assertThat(total).isEqualTo(600);
        assertThat((double) fivexx / total).as("5xx ratio in error-burst (" + errors + ")").isGreaterThan(0.01);

        scenario("latency-spike");
        LoadGenerator.Report slow;
        try {
            slow = new LoadGenerator(mes.baseUri(), 100, 10, 400, Duration.ofSeconds(10)).run();
        } finally {
            scenario("normal");
        }
        assertThat(slow.p99QueryMs()).as("P99 in latency-spike (" + slow + ")").isGreaterThan(500);
        System.out.println("mes scenarios: error-burst " + errors + "; latency-spike " + slow);
    }

    @Test
    @Order(7)
    void healthTellsTheTruthAndAdminRejectsUnknownScenarios() throws Exception {
        assertThat(call("GET", "/health", null).statusCode()).isEqualTo(200);
        scenario("db-outage");
        try {
            HttpResponse<String> h = call("GET", "/health", null);
            assertThat(h.statusCode()).isEqualTo(503);
            assertThat(h.body()).contains("connection failure").doesNotContain("Exception").doesNotContain("simulated outage");
        } finally {
            scenario("normal");
        }
        HttpResponse<String> bad = call("POST", "/admin/scenario", "{\"name\":\"meteor\"}", "Content-Type", "application/json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("unknown scenario");
    }

    @Test
    void loadGeneratorRefusesOtherMachinesAndStopsAtItsBounds() throws Exception {
        assertThatThrownBy(() -> new LoadGenerator(URI.create("http://192.0.2.10:8080"), 10, 10, 10, Duration.ofSeconds(1)))
                .hasMessageContaining("not loopback");
        long t0 = System.nanoTime();
        // nothing listens on this port: the bounds still end the run
        LoadGenerator.Report r = new LoadGenerator(URI.create("http://127.0.0.1:" + io.andon.stack.Ports.free()), 500, 10, 100, Duration.ofSeconds(30)).run();
        assertThat(r.queries() + r.writes()).isEqualTo(100);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    private static JsonNode awaitLine(Path file, java.util.function.Predicate<JsonNode> p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    if (line.isBlank()) continue;
                    JsonNode n = JSON.readTree(line);
                    if (p.test(n)) return n;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no matching line in " + file + (Files.exists(file) ? ":\n" + String.join("\n", Files.readAllLines(file).stream().limit(5).toList()) : " (missing)"));
    }
}
