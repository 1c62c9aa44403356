package io.andon.prometheus;

import com.sun.net.httpserver.HttpServer;
import io.andon.net.Endpoint;
import io.andon.net.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad answers from a "Prometheus" (a local mock, the only place mocks belong): each gives a clear message,
 * bounded in time, never a hang or an OutOfMemoryError.
 */
class BadInputTest {
    interface Responder { void respond(com.sun.net.httpserver.HttpExchange ex) throws Exception; }

    private HttpServer server;
    private final AtomicReference<Responder> responder = new AtomicReference<>();
    private PrometheusClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            try {
                responder.get().respond(ex);
            } catch (Exception e) {
                // connection reset etc. are part of the test
            } finally {
                ex.close();
            }
        });
        server.start();
        client = new PrometheusClient("Prometheus", Endpoint.of("http://127.0.0.1:" + server.getAddress().getPort())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).withMaxResponseBytes(5L * 1024 * 1024));
    }

    @AfterEach
    void stop() { server.stop(0); }

    private void answer(int status, String type, String body) {
        responder.set(ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            if (type != null) ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            if (b.length > 0) try (OutputStream o = ex.getResponseBody()) { o.write(b); }
        });
    }

    private SourceException fail() {
        try {
            client.query("up");
        } catch (SourceException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void malformedAndTruncatedJson() {
        answer(200, "application/json", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{}");
        SourceException e = fail();
        assertThat(e.kind()).isEqualTo(SourceException.Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("Prometheus").contains("no Prometheus JSON");
    }

    @Test
    void htmlErrorPageFromAProxy() {
        answer(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        SourceException e = fail();
        assertThat(e.getMessage()).contains("HTTP 502").contains("text/html").contains("502 Bad Gateway");
    }

    @Test
    void emptyOk() {
        answer(200, "application/json", "");
        assertThat(fail().getMessage()).contains("empty body");
    }

    @Test
    void wrongContentTypeWithText() {
        answer(200, "text/plain", "up 1");
        assertThat(fail().getMessage()).contains("text/plain");
    }

    @Test
    void apiErrorIsShownWithPrometheusOwnWords() {
        answer(400, "application/json", "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:4: parse error: unexpected \\\"}\\\"\"}");
        SourceException e = fail();
        assertThat(e.kind()).isEqualTo(SourceException.Kind.API_ERROR);
        assertThat(e.getMessage()).contains("bad_data").contains("parse error");
    }

    @Test
    void nanAndInfinitiesAreValues() throws Exception {
        answer(200, "application/json", """
                {"status":"success","warnings":["result may be partial"],"data":{"resultType":"vector","result":[
                 {"metric":{"k":"a"},"value":[1700000000.5,"NaN"]},{"metric":{"k":"b"},"value":[1700000000.5,"+Inf"]},
                 {"metric":{"k":"c"},"value":[1700000000.5,"-Inf"]},{"metric":{"k":"设备 \\u0000 ☃"},"value":[1700000000.5,"1e3"]}]}}""");
        QueryResult r = client.query("x");
        assertThat(r.samples()).extracting(Sample::value).containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1000.0);
        assertThat(r.samples().getFirst().time().toEpochMilli()).isEqualTo(1700000000500L);
        assertThat(r.warnings()).containsExactly("result may be partial");
        assertThat(r.samples().get(3).labels()).containsKey("k");
    }

    @Test
    void hugeBodyIsRefusedNotLoaded() {
        responder.set(ex -> {
            ex.sendResponseHeaders(200, 0); // chunked, no length: the cap must still hold
            byte[] chunk = new byte[1024 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try (OutputStream o = ex.getResponseBody()) {
                o.write("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[".getBytes());
                for (int i = 0; i < 50; i++) o.write(chunk);
            }
        });
        SourceException e = fail();
        assertThat(e.kind()).isEqualTo(SourceException.Kind.TOO_LARGE);
        assertThat(e.getMessage()).contains("larger than 5 MB");
    }

    @Test
    void slowTrickleTimesOut() {
        responder.set(ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream o = ex.getResponseBody()) {
                for (int i = 0; i < 30; i++) {
                    o.write(' ');
                    o.flush();
                    Thread.sleep(1000);
                }
            }
        });
        long t0 = System.nanoTime();
        SourceException e = fail();
        assertThat(e.kind()).isEqualTo(SourceException.Kind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("bounded by the call timeout, not 30 s").isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void connectionResetAndRefused() throws Exception {
        responder.set(ex -> { throw new java.io.IOException("drop"); }); // closes without an answer
        assertThat(fail().getMessage()).contains("Prometheus");
        int port = server.getAddress().getPort();
        server.stop(0);
        SourceException e = fail();
        assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("unreachable at 127.0.0.1:" + port);
    }

    @Test
    void credentialsRejected() {
        answer(401, "text/plain", "Unauthorized");
        SourceException e = fail();
        assertThat(e.kind()).isEqualTo(SourceException.Kind.AUTH_FAILED);
        assertThat(e.getMessage()).contains("refused the credentials");
    }

    @Test
    void secretsNeverPrint() {
        Endpoint ep = Endpoint.of("http://127.0.0.1:1").withAuth(new Endpoint.Auth.Basic("ops", new Endpoint.Secret("hunter2-secret")));
        assertThat(ep.toString()).doesNotContain("hunter2-secret").contains("***");
    }

    @Test
    void promqlValuesAreEscapedIntoStringLiterals() {
        String q = PromQL.render("up{plant=\"$plant\"}", java.util.Map.of("plant", "P01\"} or vector(1) or up{x=\"\\"));
        assertThat(q).isEqualTo("up{plant=\"P01\\\"} or vector(1) or up{x=\\\"\\\\\"}");
        assertThat(PromQL.render("rate(x[$w])", java.util.Map.of("w", "5m"))).as("variables outside quotes are not substituted").isEqualTo("rate(x[$w])");
        assertThatThrownBy(() -> PromQL.render("up{plant=\"$plant\"}", java.util.Map.of())).hasMessageContaining("$plant");
    }
}
