package io.andon.server.mes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.server.HttpEndpoints;
import io.andon.server.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The MES's calls to the ERP/quality service: one CLIENT span {@code external_api_call} per call with the W3C
 * {@code traceparent} injected, short timeouts (0.5 s connect, 1 s in all) so a dead or slow ERP costs one request
 * at most a second and never more: the caller gets null and carries on.
 */
final class ErpClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("io.andon.mes.erp");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final Tracer tracer;
    private final HttpClient http;

    ErpClient(URI base, Tracer tracer) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.tracer = tracer;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /** POSTs {@code body} as JSON; the answer's JSON object, or null when the service failed or did not answer in time. */
    @SuppressWarnings("unchecked")
    Map<String, Object> post(String path, Object body) {
        URI uri = URI.create(base + path);
        Span span = tracer.spanBuilder("external_api_call").setSpanKind(SpanKind.CLIENT)
                .setAttribute("peer.service", "mes-erp").setAttribute("http.request.method", "POST").setAttribute("http.method", "POST")
                .setAttribute("url.full", uri.toString()).setAttribute("http.url", uri.toString())
                .setAttribute("server.address", uri.getHost()).setAttribute("server.port", (long) uri.getPort()).startSpan();
        try (Scope ignored = Tracing.current(span)) {
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            Tracing.inject(req::header);
            HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            span.setAttribute("http.response.status_code", (long) r.statusCode());
            span.setAttribute("http.status_code", (long) r.statusCode());
            if (r.statusCode() >= 400) {
                span.setStatus(StatusCode.ERROR, "HTTP " + r.statusCode());
                log.warn("ERP service answered {} to {}", r.statusCode(), path);
                return null;
            }
            return JSON.readValue(r.body(), Map.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Tracing.fail(span, e, "interrupted");
            return null;
        } catch (Exception e) {
            String reason = e instanceof java.net.http.HttpTimeoutException ? "timeout"
                    : HttpEndpoints.reason(e).equals("database error") ? e.getClass().getSimpleName() : HttpEndpoints.reason(e);
            Tracing.fail(span, e, "ERP service unreachable: " + reason);
            log.warn("ERP service call {} failed: {}", path, reason);
            return null;
        } finally {
            span.end();
        }
    }

    @Override
    public void close() { http.close(); }
}
