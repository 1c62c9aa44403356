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
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

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
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // a kept-alive connection the server closed as idle just as this request went out (the JDK client
            // retries only GETs by itself): one new attempt on a new connection
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) throw e;
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
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
        assertThat(auditLine.path("audit").path("user").asText()).isEqualTo("alice");
        assertThat(auditLine.path("audit").path("object").asText()).isEqualTo("equipment");
        assertThat(auditLine.path("audit").path("object_id").asText()).isEqualTo("200");
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
        for (String f : List.of("logger", "message", "module", "function", "line", "thread", "process", "service", "request_id", "trace_id", "span_id", "user_id")) {
            assertThat(err.has(f)).as("log field " + f + " in " + err).isTrue();
        }
        assertThat(err.path("stack_trace").asText()).contains("simulated outage");
        assertThat(err.path("exception").path("type").asText()).isEqualTo("java.sql.SQLTransientConnectionException");
        assertThat(err.path("exception").path("message").asText()).contains("simulated outage");
        assertThat(err.path("request_id").asText()).isNotBlank().isNotEqualTo(corr + "-e");
        // without the header a new id is made, echoed, and logged
        HttpResponse<String> none = call("GET", "/api/equipment/999999", null);
        String made = none.headers().firstValue("X-Correlation-ID").orElseThrow();
        assertThat(made).isNotBlank();
        assertThat(awaitLine(logs.resolve("mes-app.json"), n -> made.equals(n.path("correlation_id").asText())).path("message").asText())
                .contains("not found");
        // a W3C traceparent's trace id is kept
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        call("GET", "/api/equipment/999998", null, "traceparent", "00-" + trace + "-00f067aa0ba902b7-01");
        assertThat(awaitLine(logs.resolve("mes-app.json"), n -> trace.equals(n.path("trace_id").asText())).path("endpoint").asText())
                .isEqualTo("/api/equipment/{id}");
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
    @Order(3)
    void everyRequestSeriesHasExactlyTheContractsLabels() throws Exception {
        call("POST", "/api/equipment/abc/status", "{}", "Content-Type", "application/json");
        call("GET", "/api/equipment/1", null);
        call("GET", "/api/no/such/thing", null);
        assertThat(call("DELETE", "/api/equipment/7", null).statusCode()).isEqualTo(405);
        String m = call("GET", "/metrics", null).body();
        java.util.Set<String> templates = java.util.Set.of("/api/work-orders", "/api/work-orders/{id}", "/api/equipment",
                "/api/equipment/{id}", "/api/inventory", "/api/inventory/{id}", "/api/production-reports",
                "/api/inventory/movements", "/api/equipment/{id}/status", "unmatched");
        Pattern series = Pattern.compile("(?m)^(http_requests_total|http_request_duration_seconds_bucket|db_query_duration_seconds_bucket)\\{((?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*)} (\\S+)$");
        Pattern label = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        java.util.Set<String> statuses = new java.util.TreeSet<>(), les = new java.util.TreeSet<>(java.util.Comparator.comparingDouble(MesServiceTest::le));
        int n = 0;
        for (Matcher sm = series.matcher(m); sm.find(); n++) {
            java.util.Map<String, String> labels = new java.util.TreeMap<>();
            for (Matcher lm = label.matcher(sm.group(2)); lm.find(); ) labels.put(lm.group(1), lm.group(2));
            switch (sm.group(1)) {
                case "http_requests_total" -> {
                    assertThat(labels.keySet()).containsExactlyInAnyOrder("method", "endpoint", "status");
                    assertThat(labels.get("status")).matches("[1-5][0-9][0-9]");
                    assertThat(labels.get("endpoint")).isIn(templates);
                    assertThat(labels.get("method")).isIn("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
                    statuses.add(labels.get("status"));
                }
                case "http_request_duration_seconds_bucket" -> {
                    assertThat(labels.keySet()).containsExactlyInAnyOrder("method", "endpoint", "le");
                    assertThat(labels.get("endpoint")).isIn(templates);
                    les.add(labels.get("le"));
                }
                default -> {
                    assertThat(labels.keySet()).containsExactlyInAnyOrder("query_type", "le");
                    assertThat(labels.get("query_type")).isIn("select", "insert", "update", "delete");
                }
            }
        }
        assertThat(n).isPositive();
        assertThat(statuses).as(m.lines().filter(l -> l.startsWith("http_requests_total")).collect(java.util.stream.Collectors.joining("\n"))).contains("200", "400", "404", "405");
        // the bucket edges are the contract's, read from the contract itself
        String contract = Files.readString(Path.of("docs/metrics-contract.md"));
        Matcher bm = Pattern.compile("`(0\\.005[^`]*)`").matcher(contract);
        assertThat(bm.find()).as("bucket list in docs/metrics-contract.md").isTrue();
        List<Double> want = new java.util.ArrayList<>(java.util.Arrays.stream(bm.group(1).split(",\\s*")).map(Double::parseDouble).toList());
        want.add(Double.POSITIVE_INFINITY);
        assertThat(les.stream().map(MesServiceTest::le).toList()).containsExactlyElementsOf(want);
        assertThat(m).contains("# TYPE http_request_duration_seconds histogram").contains("# TYPE http_requests_total counter")
                .contains("# TYPE db_connections_active gauge");
        for (Scenario sc : Scenario.values()) assertThat(m).contains("mes_scenario_active{scenario=\"" + sc.id + "\"}");
    }

    private static double le(String v) { return v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v); }

    @Test
    @Order(4)
    void dataScenariosChangeThePlantAndRestoreIt() throws Exception {
        String ratio = """
                SELECT count(a.check_in)::float8 / count(*) FROM mes_core.attendance a JOIN mes_core.employees e USING (employee_id)
                 WHERE a.work_date = current_date AND a.scheduled AND e.status = 'ACTIVE'""";
        String onShift = "SELECT count(*) FROM mes_core.attendance WHERE work_date = current_date AND check_in IS NOT NULL AND check_out IS NULL";
        double ratio0 = sql(ratio), onShift0 = sql(onShift);
        assertThat(ratio0).as("the seeded plant is staffed").isGreaterThanOrEqualTo(0.8);
        double down = sql("SELECT count(*) FROM mes_core.equipment WHERE status = 'DOWN'");
        double value = sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory");
        scenario("equipment-failure");
        assertThat(sql("SELECT count(*) FROM mes_core.equipment WHERE status = 'DOWN'")).isGreaterThan(5);
        scenario("inventory-low");
        assertThat(sql("SELECT count(*) FROM mes_core.equipment WHERE status = 'DOWN'")).as("restored").isEqualTo(down);
        assertThat(sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory")).isLessThan(1000);
        scenario("attendance-low");
        assertThat(sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory")).isEqualTo(value);
        assertThat(sql(ratio)).isLessThan(0.8);
        scenario("night");
        assertThat(sql(ratio)).as("attendance restored").isEqualTo(ratio0);
        assertThat(sql(onShift)).isZero();
        scenario("normal");
        assertThat(sql(onShift)).as("the same people on shift again").isEqualTo(onShift0);
    }

    @Test
    @Order(4)
    void inventoryLowHoldsUnderWriteLoadAndKeepsTheMovementsOnRestore() throws Exception {
        double value0 = sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory");
        double qty0 = sql("SELECT sum(qty_on_hand) FROM mes_core.inventory");
        double lastMove = sql("SELECT coalesce(max(movement_id), 0) FROM mes_core.inventory_movements");
        scenario("inventory-low");
        LoadGenerator.Report r;
        try {
            // one write per query: ~150 writes, a third of them stock receipts
            r = new LoadGenerator(mes.baseUri(), 150, 1, 300, Duration.ofSeconds(15)).run();
            assertThat(sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory")).as("value under write load").isLessThan(1000);
        } finally {
            scenario("normal");
        }
        double moved = sql("SELECT coalesce(sum(qty_delta), 0) FROM mes_core.inventory_movements WHERE movement_id > " + (long) lastMove);
        assertThat(moved).as("receipts during the scenario (" + r + ")").isPositive();
        assertThat(sql("SELECT sum(qty_on_hand) FROM mes_core.inventory")).as("quantities back, plus the receipts")
                .isCloseTo(qty0 + moved, org.assertj.core.data.Offset.offset(0.01));
        assertThat(sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory")).isGreaterThanOrEqualTo(value0);
        assertThat(sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'mes_core' AND tablename LIKE 'sim\\_%'")).as("backups dropped").isZero();
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
            assertThat(sql("SELECT count(*) FROM pg_locks WHERE NOT granted")).as("pg_locks not granted").isPositive();
            // a write to a machine held by the long transaction waits its turn and then goes through
            HttpResponse<String> w = call("POST", "/api/equipment/105/status", "{\"status\":\"IDLE\"}", "Content-Type", "application/json");
            assertThat(w.statusCode()).as(w.body()).isEqualTo(201);
            assertThat(call("GET", "/api/equipment/105", null).statusCode()).as("reads are not blocked").isEqualTo(200);
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
        assertThat(sql("SELECT count(*) FROM pg_stat_statements WHERE query LIKE '%andon_sim_slow%'"))
                .as("the simulated slow statement is forgotten when the scenario ends").isZero();
        assertThat(sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).as("no lock waits left").isZero();
    }

    @Test
    @Order(6)
    void requestScenariosUnderBoundedLoad() throws Exception {
        // the service's own series, as Prometheus sees them: deltas over each bounded run
        java.util.Map<String, Double> c0 = series("http_requests_total");
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
        assertThat((double) fivexx / total).as("5xx ratio seen by the client in error-burst (" + errors + ")").isGreaterThan(0.01);
        // every request that got an HTTP answer is in the service's counter (status 0: the client gave up first,
        // which a loaded 2-core machine does now and then). The service counts once its answer is written, so the
        // last few of a run may land just after the client has its answers: wait (bounded) for them
        long answered = errors.statuses().entrySet().stream().filter(e -> e.getKey() > 0).mapToLong(java.util.Map.Entry::getValue).sum();
        java.util.Map<String, Double> c1 = series("http_requests_total");
        for (int i = 0; i < 50 && delta(c0, c1, k -> k.contains("endpoint=\"/api/")) < answered; i++) {
            Thread.sleep(100);
            c1 = series("http_requests_total");
        }
        double all = delta(c0, c1, k -> k.contains("endpoint=\"/api/")), bad = delta(c0, c1, k -> k.contains("endpoint=\"/api/") && k.contains("status=\"5"));
        assertThat(answered).as("answered requests (%s)", errors).isGreaterThan(500);
        assertThat(all).as("requests counted by the service vs answered (%s)", errors).isGreaterThanOrEqualTo(answered);
        assertThat(bad / all).as("5xx ratio in the service's http_requests_total").isGreaterThan(0.01);

        java.util.Map<String, Double> h0 = series("http_request_duration_seconds_bucket");
        scenario("latency-spike");
        LoadGenerator.Report slow;
        try {
            slow = new LoadGenerator(mes.baseUri(), 100, 10, 400, Duration.ofSeconds(10)).run();
        } finally {
            scenario("normal");
        }
        assertThat(slow.p99QueryMs()).as("P99 seen by the client in latency-spike (" + slow + ")").isGreaterThan(500);
        java.util.Map<String, Double> h1 = series("http_request_duration_seconds_bucket");
        // histogram_quantile(0.99) lies inside the first bucket whose count reaches 99 %: its lower edge > 0.5 s
        java.util.TreeMap<Double, Double> cumulative = new java.util.TreeMap<>();
        for (String k : h1.keySet()) {
            if (!k.contains("method=\"GET\"") || !k.contains("endpoint=\"/api/")) continue;
            Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(k);
            le.find();
            cumulative.merge(le(le.group(1)), h1.get(k) - h0.getOrDefault(k, 0.0), Double::sum);
        }
        double count = cumulative.lastEntry().getValue(), lower = 0;
        for (var e : cumulative.entrySet()) {
            if (e.getValue() >= 0.99 * count) break;
            lower = e.getKey();
        }
        assertThat(lower).as("lower edge of the P99 bucket of the service's GET histogram " + cumulative).isGreaterThanOrEqualTo(0.5);
        System.out.println("mes scenarios: error-burst " + errors + "; latency-spike " + slow);
        // every switch is in the JSON log as a WARN, for the logs page
        awaitLine(stack.workDir().resolve("mes/logs/mes-app.json"), n -> "WARN".equals(n.path("level").asText())
                && n.path("message").asText().contains("from latency-spike to normal"));
    }

    /** One family of the service's /metrics: full series text (name and labels) to value. */
    static java.util.Map<String, Double> series(String name) throws Exception {
        java.util.Map<String, Double> out = new java.util.HashMap<>();
        for (String line : call("GET", "/metrics", null).body().lines().toList()) {
            if (!line.startsWith(name + "{")) continue;
            int sp = line.lastIndexOf(' ');
            out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
        }
        return out;
    }

    static double delta(java.util.Map<String, Double> before, java.util.Map<String, Double> after, java.util.function.Predicate<String> which) {
        double d = 0;
        for (var e : after.entrySet()) if (which.test(e.getKey())) d += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        return d;
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
    @Order(8)
    void atNightTheLoadFollowingTheScenarioDropsToOnePercent() throws Exception {
        LoadGenerator day = new LoadGenerator(mes.baseUri(), 200, 10, 100_000, Duration.ofSeconds(3)).followScenario(null);
        LoadGenerator.Report d = day.run();
        scenario("night");
        LoadGenerator.Report n;
        LoadGenerator night = new LoadGenerator(mes.baseUri(), 200, 10, 100_000, Duration.ofSeconds(3)).followScenario(null);
        try {
            n = night.run();
            assertThat(call("GET", "/health", null).statusCode()).as("an idle plant is a healthy one").isEqualTo(200);
        } finally {
            scenario("normal");
        }
        System.out.println("mes night: day " + d + "; night " + n);
        assertThat(night.scenarioSeen()).isEqualTo("night");
        assertThat(day.scenarioSeen()).isEqualTo("normal");
        long dayN = d.queries() + d.writes(), nightN = n.queries() + n.writes();
        assertThat(dayN).as("day requests").isGreaterThan(300);
        assertThat(nightN).as("night requests (day " + dayN + ")").isPositive().isLessThanOrEqualTo(dayN / 20);
        assertThat(n.statuses().keySet()).allMatch(st -> st < 500);
    }

    @Test
    @Order(9)
    void adminEndpointNeedsTheTokenWhenOneIsConfigured() throws Exception {
        Path tokenFile = stack.workDir().resolve("mes-admin.token");
        String token = UUID.randomUUID().toString();
        Files.writeString(tokenFile, token + "\n");
        JavaService guarded = stack.mesInstance("mes-token", "--admin-token-file", tokenFile.toString());
        try {
            URI admin = URI.create(guarded.baseUri() + "/admin/scenario");
            HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(admin).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.body()).doesNotContain(token);
            HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(admin).header("Authorization", "Bearer nope")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"night\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(admin).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(ok.body()).path("scenario").asText()).isEqualTo("normal");
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(admin).header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(405);
            assertThat(Files.readString(guarded.logFile())).doesNotContain(token);
        } finally {
            stack.stopService("mes-token", false);
        }
    }

    @Test
    @Order(10)
    void aServiceKilledInsideDataScenariosRestoresThePlantOnItsNextStart() throws Exception {
        double down = sql("SELECT count(*) FROM mes_core.equipment WHERE status = 'DOWN'");
        double value = sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory");
        scenario("equipment-failure");
        assertThat(sql("SELECT count(*) FROM mes_core.equipment WHERE status = 'DOWN'")).isGreaterThan(5);
        stack.stopService("mes", true); // SIGKILL: no shutdown hook, the backup table stays
        assertThat(sql("SELECT count(*) FROM mes_core.equipment WHERE status = 'DOWN'")).isGreaterThan(5);
        stack.startAgain("mes");
        assertThat(sql("SELECT count(*) FROM mes_core.equipment WHERE status = 'DOWN'")).as("restored at start").isEqualTo(down);
        assertThat(sql("SELECT sum(qty_on_hand * unit_cost) FROM mes_core.inventory")).isEqualTo(value);
        assertThat(sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'mes_core' AND tablename LIKE 'sim\\_%'")).isZero();
        assertThat(JSON.readTree(call("GET", "/admin/scenario", null).body()).path("scenario").asText()).isEqualTo("normal");
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
