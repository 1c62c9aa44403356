package io.andon.server.mes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.andon.server.HttpEndpoints;
import io.andon.server.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static net.logstash.logback.marker.Markers.appendEntries;

/**
 * The simulated MES: query and write endpoints over mes_core on a JDK HTTP server with virtual threads,
 * instrumented per the metrics contract, traced per the span contract (docs/metrics-contract.md: a SERVER span
 * per request, {@code business_operation} under it, {@code database_query} per statement, {@code data_processing}
 * and {@code external_api_call} to the ERP service), logging JSON with request/correlation/trace/span ids, and an
 * audit log of every write with before and after.
 */
public final class MesService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("io.andon.mes.api");
    private static final Logger audit = LoggerFactory.getLogger("AUDIT");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;
    /** A successful request slower than this logs a WARN line: the System page's alert line for P99 (500 ms). */
    static final long SLOW_REQUEST_MS = 500;

    public record Config(String bind, int port, String jdbcUrl, String user, String password, boolean metricsOn, byte[] adminToken) {}

    private record Route(String method, String template, String operation, Pattern pattern, Handler handler) {}

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("mes.operation");
    static final AttributeKey<String> STEP = AttributeKey.stringKey("mes.step");
    static final AttributeKey<String> SCENARIO = AttributeKey.stringKey("mes.scenario");
    static final AttributeKey<Long> SCENARIO_DELAY = AttributeKey.longKey("mes.scenario_delay_ms");

    @FunctionalInterface
    private interface Handler {
        Object handle(Request r) throws Exception;
    }

    private record Request(HttpExchange ex, List<String> params, Map<String, String> query, JsonNode body, String userId) {}

    static final class ApiError extends Exception {
        final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final Config cfg;
    private final MesMetrics metrics;
    private final Db db;
    private final ScenarioEngine scenarios;
    private final List<Route> routes = new ArrayList<>();
    private final Tracing tracing;
    private final Tracer tracer;
    private final ErpClient erp;
    private HttpServer server;

    public MesService(Config cfg) {
        this(cfg, null, null);
    }

    /**
     * @param tracingOrNull the process's tracing (null: no spans at all, the benchmark's "tracing off")
     * @param erpOrNull     base URL of the ERP/quality service the production reports are checked with, or null
     */
    public MesService(Config cfg, Tracing tracingOrNull, java.net.URI erpOrNull) {
        this.cfg = cfg;
        this.tracing = tracingOrNull;
        this.tracer = tracingOrNull == null ? io.opentelemetry.api.OpenTelemetry.noop().getTracer("mes") : tracingOrNull.tracer();
        Db[] holder = new Db[1];
        this.metrics = new MesMetrics(cfg.metricsOn(), () -> holder[0] == null ? 0 : holder[0].activeConnections());
        if (tracingOrNull != null && cfg.metricsOn()) tracingOrNull.register(metrics.registry, "mes");
        this.db = new Db(cfg.jdbcUrl(), cfg.user(), cfg.password(), cfg.metricsOn() ? metrics : null, tracer);
        holder[0] = db;
        this.erp = erpOrNull == null ? null : new ErpClient(erpOrNull, tracer);
        this.scenarios = new ScenarioEngine(db, metrics);
        route("GET", "/api/work-orders", "list_work_orders", r -> db.query("""
                SELECT w.work_order_id, p.code AS plant, w.product_code, w.qty_planned, w.qty_done, w.status
                  FROM mes_core.work_orders w JOIN mes_core.plants p ON p.plant_id = w.plant_id
                 WHERE (?::text IS NULL OR p.code = ?) AND (?::text IS NULL OR w.status = ?)
                 ORDER BY w.work_order_id DESC LIMIT 50""",
                r.query().get("plant"), r.query().get("plant"), r.query().get("status"), r.query().get("status")));
        route("GET", "/api/work-orders/{id}", "get_work_order", r -> one(db.query("SELECT * FROM mes_core.work_orders WHERE work_order_id = ?", id(r, 0)), "work order"));
        route("GET", "/api/equipment", "list_equipment", r -> db.query("""
                SELECT e.equipment_id, e.code, p.code AS plant, e.status, e.updated_at
                  FROM mes_core.equipment e JOIN mes_core.plants p ON p.plant_id = e.plant_id
                 WHERE (?::text IS NULL OR p.code = ?) AND (?::text IS NULL OR e.status = ?)
                 ORDER BY e.equipment_id LIMIT 100""",
                r.query().get("plant"), r.query().get("plant"), r.query().get("status"), r.query().get("status")));
        route("GET", "/api/equipment/{id}", "get_equipment", r -> one(db.query("SELECT * FROM mes_core.equipment WHERE equipment_id = ?", (int) id(r, 0)), "equipment"));
        route("GET", "/api/inventory", "list_inventory", r -> db.query("""
                SELECT inventory_id, material_code, location, qty_on_hand FROM mes_core.inventory
                 WHERE material_code = ? ORDER BY location LIMIT 100""", required(r.query(), "material")));
        route("GET", "/api/inventory/{id}", "get_inventory_item", r -> one(db.query("SELECT * FROM mes_core.inventory WHERE inventory_id = ?", id(r, 0)), "inventory item"));
        route("POST", "/api/production-reports", "production_report", this::productionReport);
        route("POST", "/api/inventory/movements", "inventory_movement", this::inventoryMovement);
        route("POST", "/api/equipment/{id}/status", "equipment_status_change", this::equipmentStatus);
    }

    private void route(String method, String template, String operation, Handler h) {
        String regex = "^" + template.replaceAll("\\{[a-z]+}", "([^/]+)") + "$";
        routes.add(new Route(method, template, operation, Pattern.compile(regex), h));
    }

    public void start() throws IOException {
        scenarios.recoverLeftovers();
        Map<String, java.util.function.Supplier<HttpEndpoints.Check>> checks = new LinkedHashMap<>();
        checks.put("database", () -> {
            try {
                db.query("SELECT 1");
                return HttpEndpoints.Check.pass();
            } catch (SQLException e) {
                return new HttpEndpoints.Check(false, HttpEndpoints.reason(e));
            }
        });
        server = HttpEndpoints.start(cfg.bind(), cfg.port(), metrics.registry, checks, () -> !db.outage());
        server.createContext("/api/", this::api);
        server.createContext("/admin/scenario", this::admin);
        log.info("simulated MES listening on http://{}:{} (metrics {})", cfg.bind(), port(), cfg.metricsOn() ? "on" : "off");
    }

    public int port() { return server.getAddress().getPort(); }

    public ScenarioEngine scenarios() { return scenarios; }

    private void api(HttpExchange ex) throws IOException {
        long t0 = System.nanoTime();
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        String endpoint = "unmatched"; // never the raw path: label cardinality stays bounded
        Route match = null;
        Matcher m = null;
        for (Route r : routes) {
            Matcher mm = r.pattern.matcher(path);
            if (mm.matches()) {
                if (r.method.equals(method)) {
                    match = r;
                    m = mm;
                    break;
                }
                endpoint = r.template;
            }
        }
        boolean wrongMethod = match == null && !endpoint.equals("unmatched");
        if (match != null) endpoint = match.template;
        // the caller's traceparent (if any) is the parent; the span is named by the route template, never the raw path
        Context parent = Tracing.extract(name -> ex.getRequestHeaders().getFirst(name));
        var sb = tracer.spanBuilder(method + " " + endpoint).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", method).setAttribute("http.method", method)
                .setAttribute("url.path", path).setAttribute("url.scheme", "http")
                .setAttribute("server.port", (long) port()).setAttribute("network.protocol.version", "1.1");
        if (match != null) sb.setAttribute("http.route", endpoint);
        Span span = sb.startSpan();
        int status;
        byte[] body;
        String correlation = header(ex, "X-Correlation-ID", UUID.randomUUID().toString());
        try (Scope ignored = Tracing.current(span)) {
            MDC.put("request_id", UUID.randomUUID().toString());
            MDC.put("correlation_id", correlation);
            MDC.put("user_id", header(ex, "X-User-ID", "anonymous"));
            MDC.put("method", method);
            try {
                if (match == null) {
                    throw new ApiError(wrongMethod ? 405 : 404, wrongMethod ? "method not allowed" : "no such endpoint");
                }
                MDC.put("endpoint", endpoint);
                if (scenarios.injectError()) throw new ApiError(503, "service temporarily unavailable (simulated)");
                body = operation(ex, match, m, method);
                status = method.equals("POST") ? 201 : 200;
            } catch (ApiError e) {
                status = e.status;
                body = JSON.writeValueAsBytes(Map.of("error", e.getMessage()));
                if (status >= 500) {
                    span.setStatus(StatusCode.ERROR, e.getMessage());
                    log.error("request failed: {}", e.getMessage());
                } else {
                    log.info("rejected request: {}", e.getMessage());
                }
            } catch (SQLException e) {
                status = 503;
                body = JSON.writeValueAsBytes(Map.of("error", "database unavailable"));
                Db.failed(span, e);
                log.error("database error on {} {}", method, endpoint, e);
            } catch (Exception e) {
                status = 500;
                body = JSON.writeValueAsBytes(Map.of("error", "internal error"));
                Tracing.fail(span, e, "internal error");
                log.error("unexpected error on {} {}", method, endpoint, e);
            }
            span.setAttribute("http.response.status_code", (long) status);
            span.setAttribute("http.status_code", (long) status);
            double seconds = (System.nanoTime() - t0) / 1e9;
            // observed while the server span is current: client_java takes its ids as the bucket's exemplar
            metrics.request(method, endpoint, status, seconds);
            MDC.put("status", Integer.toString(status));
            MDC.put("duration_ms", String.format(java.util.Locale.ROOT, "%.1f", seconds * 1000));
            if (status < 400 && seconds * 1000 >= SLOW_REQUEST_MS) {
                // the line a latency pivot lands on: without it a slow but successful request leaves no log at all
                log.warn("slow request: {} {} took {} ms (over {} ms)", method, endpoint, Math.round(seconds * 1000), SLOW_REQUEST_MS);
            } else if (status < 400 && log.isDebugEnabled()) {
                log.debug("{} {} -> {}", method, endpoint, status);
            }
            ex.getResponseHeaders().set("X-Correlation-ID", correlation);
            send(ex, status, body);
        } finally {
            span.end();
            MDC.clear();
        }
    }

    /**
     * The {@code business_operation} span: parse the request ({@code data_processing parse_request}), run the
     * handler (its SQL statements and external calls), shape the response ({@code data_processing build_response}).
     * The latency-spike scenario's delay is spent in build_response, so the slow step of a slowed trace is that span.
     */
    private byte[] operation(HttpExchange ex, Route match, Matcher m, String method) throws Exception {
        Span op = tracer.spanBuilder("business_operation").setAttribute(OPERATION, match.operation).startSpan();
        try (Scope ignored = Tracing.current(op)) {
            long slowSql = scenarios.extraSqlDelayMillis();
            if (slowSql > 0) db.delayNextStatement(slowSql);
            List<String> params = new ArrayList<>();
            for (int i = 1; i <= m.groupCount(); i++) params.add(URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
            JsonNode json = method.equals("GET") ? null : step("parse_request", 0, () -> readBody(ex));
            Object result = match.handler.handle(new Request(ex, params, query(ex), json, MDC.get("user_id")));
            return step("build_response", scenarios.extraDelayMillis(), () -> JSON.writeValueAsBytes(result));
        } catch (ApiError e) {
            if (e.status >= 500) op.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } catch (SQLException e) {
            op.setStatus(StatusCode.ERROR, HttpEndpoints.reason(e));
            throw e;
        } catch (Exception e) {
            op.setStatus(StatusCode.ERROR, "internal error");
            throw e;
        } finally {
            op.end();
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws Exception;
    }

    /** One {@code data_processing} span; {@code delayMillis} is a scenario's simulated slowness, spent inside it. */
    private <T> T step(String name, long delayMillis, Step<T> work) throws Exception {
        Span s = tracer.spanBuilder("data_processing").setAttribute(STEP, name).startSpan();
        try (Scope ignored = Tracing.current(s)) {
            if (delayMillis > 0) {
                s.setAttribute(SCENARIO, scenarios.current().id);
                s.setAttribute(SCENARIO_DELAY, delayMillis);
                Thread.sleep(delayMillis);
            }
            return work.run();
        } finally {
            s.end();
        }
    }

    private Object productionReport(Request r) throws Exception {
        long wo = longField(r.body(), "work_order_id");
        double good = numField(r.body(), "qty_good");
        double scrap = r.body().has("qty_scrap") ? numField(r.body(), "qty_scrap") : 0;
        if (good < 0 || scrap < 0) throw new ApiError(400, "quantities must not be negative");
        var before = one(db.query("SELECT qty_done, status FROM mes_core.work_orders WHERE work_order_id = ?", wo), "work order");
        db.update("insert", "INSERT INTO mes_core.production_reports (work_order_id, qty_good, qty_scrap, reported_by) VALUES (?, ?, ?, ?)",
                wo, good, scrap, r.userId());
        db.update("update", "UPDATE mes_core.work_orders SET qty_done = qty_done + ?, status = 'RUNNING', updated_at = now() WHERE work_order_id = ?", good, wo);
        var after = one(db.query("SELECT qty_done, status FROM mes_core.work_orders WHERE work_order_id = ?", wo), "work order");
        audit(r, "production_report", "work_order", String.valueOf(wo), before, after);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("work_order_id", wo);
        out.put("qty_done", after.get("qty_done"));
        if (erp != null) {
            // the ERP's quality check is advisory: when it is down the report is still recorded, the answer says so
            Map<String, Object> q = erp.post("/api/quality/inspections", Map.of("work_order_id", wo, "qty_good", good, "qty_scrap", scrap));
            out.put("quality_check", q == null ? "unavailable" : q.getOrDefault("result", "unknown"));
        }
        return out;
    }

    private Object inventoryMovement(Request r) throws Exception {
        long inv = longField(r.body(), "inventory_id");
        double delta = numField(r.body(), "qty_delta");
        String reason = textField(r.body(), "reason");
        var before = one(db.query("SELECT qty_on_hand FROM mes_core.inventory WHERE inventory_id = ?", inv), "inventory item");
        if (((java.math.BigDecimal) before.get("qty_on_hand")).doubleValue() + delta < 0) throw new ApiError(409, "not enough stock");
        db.update("insert", "INSERT INTO mes_core.inventory_movements (inventory_id, qty_delta, reason, moved_by) VALUES (?, ?, ?, ?)",
                inv, delta, reason, r.userId());
        db.update("update", "UPDATE mes_core.inventory SET qty_on_hand = qty_on_hand + ?, updated_at = now() WHERE inventory_id = ?", delta, inv);
        var after = one(db.query("SELECT qty_on_hand FROM mes_core.inventory WHERE inventory_id = ?", inv), "inventory item");
        audit(r, "inventory_movement", "inventory", String.valueOf(inv), before, after);
        return Map.of("inventory_id", inv, "qty_on_hand", after.get("qty_on_hand"));
    }

    private Object equipmentStatus(Request r) throws Exception {
        int eq = (int) id(r, 0);
        String status = textField(r.body(), "status");
        if (!List.of("ACTIVE", "IDLE", "DOWN", "MAINTENANCE").contains(status)) throw new ApiError(400, "status must be ACTIVE, IDLE, DOWN or MAINTENANCE");
        var before = one(db.query("SELECT status FROM mes_core.equipment WHERE equipment_id = ?", eq), "equipment");
        db.update("update", "UPDATE mes_core.equipment SET status = ?, updated_at = now() WHERE equipment_id = ?", status, eq);
        db.update("insert", "INSERT INTO mes_core.equipment_status_log (equipment_id, old_status, new_status, changed_by) VALUES (?, ?, ?, ?)",
                eq, before.get("status"), status, r.userId());
        audit(r, "equipment_status_change", "equipment", String.valueOf(eq), before, Map.of("status", status));
        return Map.of("equipment_id", eq, "status", status);
    }

    private static void audit(Request r, String action, String object, String id, Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("user", r.userId());
        a.put("action", action);
        a.put("object", object);
        a.put("object_id", id);
        a.put("before", before);
        a.put("after", after);
        audit.info(appendEntries(Map.of("audit", a)), "{} {} {}", action, object, id);
    }

    private void admin(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/admin/scenario")) {
            send(ex, 404, Map.of("error", "no such endpoint"));
            return;
        }
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("POST")) {
            ex.getResponseHeaders().set("Allow", "GET, POST");
            send(ex, 405, Map.of("error", "method not allowed"));
            return;
        }
        if (cfg.adminToken() != null) {
            // read raw: header() drops values with spaces, and "Bearer x" has one
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String given = auth == null ? "" : auth.replaceFirst("^Bearer\\s+", "").strip();
            if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), cfg.adminToken())) {
                send(ex, 401, Map.of("error", "admin token required"));
                return;
            }
        }
        try {
            if (ex.getRequestMethod().equals("POST")) {
                JsonNode b = readBody(ex);
                scenarios.switchTo(Scenario.of(textField(b, "name")));
            }
            send(ex, 200, Map.of("scenario", scenarios.current().id, "expected_alerts", scenarios.current().alerts));
        } catch (IllegalArgumentException | ApiError e) {
            send(ex, 400, Map.of("error", e.getMessage()));
        } catch (SQLException e) {
            log.error("scenario switch failed", e);
            send(ex, 500, Map.of("error", "scenario switch failed"));
        }
    }

    private static Map<String, Object> one(List<Map<String, Object>> rows, String what) throws ApiError {
        if (rows.isEmpty()) throw new ApiError(404, what + " not found");
        return rows.getFirst();
    }

    private static long id(Request r, int i) throws ApiError {
        try {
            return Long.parseLong(r.params().get(i));
        } catch (NumberFormatException e) {
            throw new ApiError(400, "id must be a number");
        }
    }

    private static String required(Map<String, String> q, String name) throws ApiError {
        String v = q.get(name);
        if (v == null || v.isBlank()) throw new ApiError(400, "query parameter '" + name + "' is required");
        return v;
    }

    private static long longField(JsonNode b, String f) throws ApiError {
        if (b == null || !b.path(f).canConvertToLong()) throw new ApiError(400, "field '" + f + "' must be an integer");
        return b.path(f).asLong();
    }

    private static double numField(JsonNode b, String f) throws ApiError {
        if (b == null || !b.path(f).isNumber()) throw new ApiError(400, "field '" + f + "' must be a number");
        return b.path(f).asDouble();
    }

    private static String textField(JsonNode b, String f) throws ApiError {
        if (b == null || !b.path(f).isTextual() || b.path(f).asText().isBlank()) throw new ApiError(400, "field '" + f + "' is required");
        return b.path(f).asText();
    }

    private static JsonNode readBody(HttpExchange ex) throws ApiError, IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) throw new ApiError(413, "request body too large");
            if (b.length == 0) return null;
            return JSON.readTree(b);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiError(400, "request body is not valid JSON");
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static String header(HttpExchange ex, String name, String def) {
        String v = ex.getRequestHeaders().getFirst(name);
        // ids end up in logs and response headers: keep them short and printable
        return v == null || v.isBlank() || v.length() > 128 || !v.matches("[\\x21-\\x7e]+") ? def : v;
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, byte[] b) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        scenarios.close();
        if (server != null) server.stop(0);
        db.close();
        if (erp != null) erp.close();
    }
}
