package io.andon.traces;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import zipkin2.reporter.urlconnection.URLConnectionSender;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Traces for the console's tests, made the way the MES makes them: with the OpenTelemetry SDK, exported by its
 * Zipkin exporter to the real Zipkin of the harness. Two services (an app and the external service it calls),
 * SQL client spans with parameterised statements, error traces with an exception event, and a clock-skewed
 * server span (the external service's clock 3 ms behind).
 */
public final class TestTraces implements AutoCloseable {
    public final String app;
    public final String external;
    private final SdkTracerProvider appProvider;
    private final SdkTracerProvider extProvider;
    private final Tracer appTracer;
    private final Tracer extTracer;
    /** Trace ids made, in order; the error ones separately. */
    public final List<String> traceIds = new ArrayList<>();
    public final List<String> errorTraceIds = new ArrayList<>();

    public TestTraces(URI spansEndpoint, String suffix) {
        this.app = "trc-app-" + suffix;
        this.external = "trc-ext-" + suffix;
        appProvider = provider(spansEndpoint, app);
        extProvider = provider(spansEndpoint, external);
        appTracer = appProvider.get("andon-test");
        extTracer = extProvider.get("andon-test");
    }

    private static SdkTracerProvider provider(URI endpoint, String service) {
        var exporter = ZipkinSpanExporter.builder().setSender(URLConnectionSender.create(endpoint.toString())).build();
        return SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    }

    /**
     * One request: GET /api/orders/{id} (server) → SELECT (client, db) with process (internal) beside it → GET /rates (client)
     * → the external service's server span. Returns the trace id.
     */
    public String request(Instant start, long rootMillis, boolean error) {
        long t0 = start.toEpochMilli() * 1000; // µs
        var root = appTracer.spanBuilder("GET /api/orders/{id}").setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(t0, TimeUnit.MICROSECONDS)
                .setAttribute("http.method", "GET").setAttribute("http.route", "/api/orders/{id}")
                .setAttribute("http.status_code", error ? 500L : 200L).startSpan();
        Context rc = Context.root().with(root);
        long dbStart = t0 + 2_000, dbLen = rootMillis * 400; // 40 % of the request in SQL
        var db = appTracer.spanBuilder("SELECT mes_core.orders").setParent(rc).setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(dbStart, TimeUnit.MICROSECONDS)
                .setAttribute("db.system", "postgresql").setAttribute("db.operation", "SELECT")
                .setAttribute("db.statement", "SELECT id, status FROM mes_core.orders WHERE id = ?").setAttribute("db.rows", error ? 0L : 1L)
                .startSpan();
        if (error) {
            // what recordException writes, at the span's own (test) time rather than the wall clock
            var ex = new java.sql.SQLException("connection refused: PostgreSQL is not answering");
            var trace = new java.io.StringWriter();
            ex.printStackTrace(new java.io.PrintWriter(trace));
            db.addEvent("exception", Attributes.builder().put("exception.type", ex.getClass().getName())
                    .put("exception.message", ex.getMessage()).put("exception.stacktrace", trace.toString()).build(),
                    dbStart + dbLen - 1_000, TimeUnit.MICROSECONDS);
            db.setStatus(StatusCode.ERROR, "connection refused");
            root.setStatus(StatusCode.ERROR);
        }
        db.end(dbStart + dbLen, TimeUnit.MICROSECONDS);
        // processing runs beside the SQL statement (a prefetch): it is not on the critical path
        long pStart = dbStart + 1_000, pLen = dbLen / 2;
        var proc = appTracer.spanBuilder("process order").setParent(rc).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(pStart, TimeUnit.MICROSECONDS).startSpan();
        proc.end(pStart + pLen, TimeUnit.MICROSECONDS);
        long cStart = dbStart + dbLen + 500, cLen = rootMillis * 500;
        var call = appTracer.spanBuilder("GET /rates").setParent(rc).setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(cStart, TimeUnit.MICROSECONDS).setAttribute("http.method", "GET").startSpan();
        // the external service's clock is 3 ms behind: its server span starts "before" the client span
        var ext = extTracer.spanBuilder("GET /rates").setParent(Context.root().with(call)).setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(cStart - 3_000, TimeUnit.MICROSECONDS).setAttribute("http.status_code", 200L).startSpan();
        ext.end(cStart - 3_000 + cLen - 1_000, TimeUnit.MICROSECONDS);
        call.end(cStart + cLen, TimeUnit.MICROSECONDS);
        root.end(t0 + rootMillis * 1000, TimeUnit.MICROSECONDS);
        String id = root.getSpanContext().getTraceId();
        traceIds.add(id);
        if (error) errorTraceIds.add(id);
        return id;
    }

    /** {@code n} requests over the last minute, {@code errors} of them failing; durations 40..400 ms. */
    public void requests(int n, int errors, long seed) {
        Random r = new Random(seed);
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            request(now.minusSeconds(60 - i * 50L / n).minusMillis(r.nextInt(900)), 40 + r.nextInt(360), i < errors);
        }
        flush();
    }

    public void flush() {
        appProvider.forceFlush().join(10, TimeUnit.SECONDS);
        extProvider.forceFlush().join(10, TimeUnit.SECONDS);
    }

    /**
     * A trace of {@code n} spans as the console's own domain objects (too big to push through the test Zipkin in a
     * UI test): a root and a wide, deep tree below it (each span has up to 8 children), one error, one orphan.
     */
    public static Trace big(int n) {
        String tid = "0af7651916cd43dd8448eb211c80319c";
        List<Span> spans = new ArrayList<>(n);
        long t0 = Instant.now().minusSeconds(30).toEpochMilli() * 1000;
        long total = 5_000_000; // 5 s
        spans.add(new Span(tid, id(0), null, "GET /api/batch", "mes-app", Span.Kind.SERVER, t0, total, false, Map.of("http.status_code", "200"), List.of()));
        Random r = new Random(7);
        for (int i = 1; i < n; i++) {
            int parent = (i - 1) / 8;
            Span p = spans.get(parent);
            long len = Math.max(10, p.durationMicros() / 10);
            long start = p.startMicros() + (long) (r.nextDouble() * (p.durationMicros() - len));
            boolean err = i == n / 2;
            String parentId = i == n - 1 ? "ffffffffffffffff" : p.spanId(); // the last one lost its parent
            spans.add(new Span(tid, id(i), parentId, i % 3 == 0 ? "SELECT mes_core.items" : "process item " + i, i % 5 == 0 ? "mes-ext" : "mes-app",
                    i % 3 == 0 ? Span.Kind.CLIENT : Span.Kind.INTERNAL, start, len, err,
                    i % 3 == 0 ? Map.of("db.system", "postgresql", "db.statement", "SELECT * FROM mes_core.items WHERE batch = ?") : Map.of(), List.of()));
        }
        return new Trace(tid, spans);
    }

    private static String id(int i) {
        return String.format("%016x", 0x1000L + i);
    }

    @Override
    public void close() {
        appProvider.close();
        extProvider.close();
    }
}
