package io.andon.server.erp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.andon.server.Args;
import io.andon.server.HttpEndpoints;
import io.andon.server.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code mes-erp --port 8090 [--bind 127.0.0.1] [--zipkin-url URL] [--trace-sampling RATIO]}: the simulated
 * ERP/quality service the MES calls on every production report ({@code POST /api/quality/inspections}), traced
 * as service {@code mes-erp} so one trace crosses two services. It answers in 1-2 ms: the scenarios slow the MES,
 * never this service, so a slowed trace has exactly one slow step.
 */
public final class ErpMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErpMain() {}

    public static void main(String[] argv) throws Exception {
        Args a;
        Tracing tracing;
        try {
            a = new Args(argv, Set.of());
            tracing = Tracing.create(Tracing.config(a, "mes-erp"));
        } catch (IllegalArgumentException e) {
            System.err.println("mes-erp: " + e.getMessage());
            System.exit(2);
            return;
        }
        HttpServer server = start(a.get("bind", "127.0.0.1"), a.getInt("port", 8090), tracing);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            tracing.close();
        }));
        System.out.println("mes-erp listening on http://" + a.get("bind", "127.0.0.1") + ":" + server.getAddress().getPort());
        Thread.currentThread().join();
    }

    static HttpServer start(String bind, int port, Tracing tracing) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        tracing.register(registry, "erp");
        HttpServer server = HttpEndpoints.start(bind, port, registry, Map.of(), () -> true);
        Tracer tracer = tracing.tracer();
        server.createContext("/api/quality/inspections", ex -> inspect(ex, tracer));
        return server;
    }

    private static void inspect(HttpExchange ex, Tracer tracer) throws IOException {
        String method = ex.getRequestMethod();
        Span span = tracer.spanBuilder(method + " /api/quality/inspections").setSpanKind(SpanKind.SERVER)
                .setParent(Tracing.extract(n -> ex.getRequestHeaders().getFirst(n)))
                .setAttribute("http.request.method", method).setAttribute("http.method", method)
                .setAttribute("http.route", "/api/quality/inspections").setAttribute("url.path", ex.getRequestURI().getPath()).startSpan();
        int status = 200;
        Object body;
        try (Scope ignored = Tracing.current(span)) {
            if (!method.equals("POST") || !ex.getRequestURI().getPath().equals("/api/quality/inspections")) {
                status = method.equals("POST") ? 404 : 405;
                body = Map.of("error", status == 404 ? "no such endpoint" : "method not allowed");
            } else {
                JsonNode req;
                try {
                    req = JSON.readTree(ex.getRequestBody().readNBytes(16 * 1024));
                } catch (IOException bad) {
                    req = null;
                }
                if (req == null || !req.path("work_order_id").canConvertToLong() || !req.path("qty_good").isNumber()) {
                    status = 400;
                    body = Map.of("error", "work_order_id and qty_good are required");
                } else {
                    body = check(tracer, req);
                }
            }
            span.setAttribute("http.response.status_code", (long) status);
            span.setAttribute("http.status_code", (long) status);
            if (status >= 500) span.setStatus(StatusCode.ERROR);
            HttpEndpoints.json(ex, status, body);
        } finally {
            span.end();
        }
    }

    /** The quality rule: more than 10 % scrap puts the work order on hold. */
    private static Map<String, Object> check(Tracer tracer, JsonNode req) {
        Span s = tracer.spanBuilder("quality_check").setAttribute("mes.work_order_id", req.path("work_order_id").asLong()).startSpan();
        try (Scope ignored = Tracing.current(s)) {
            double good = req.path("qty_good").asDouble(), scrap = req.path("qty_scrap").asDouble(0);
            Thread.sleep(1 + ThreadLocalRandom.current().nextInt(2)); // the rule engine's lookup
            String result = good + scrap > 0 && scrap / (good + scrap) > 0.10 ? "hold" : "pass";
            s.setAttribute("mes.quality_result", result);
            return Map.of("work_order_id", req.path("work_order_id").asLong(), "result", result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of("result", "unknown");
        } finally {
            s.end();
        }
    }
}
