package io.andon.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceError;
import io.andon.net.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad answers from a "Prometheus" (a local mock on 127.0.0.1, the only place mocks belong): each gives a clear
 * message, bounded in time, never a hang or an OutOfMemoryError.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest {
    interface Responder { void respond(HttpExchange ex) throws Exception; }

    private HttpServer server;
    private final AtomicReference<Responder> responder = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private PrometheusClient client;
    private Endpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve(server);
        endpoint = Endpoint.of("http://127.0.0.1:" + server.getAddress().getPort())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        client = new PrometheusClient("Prometheus", endpoint, new HttpSource.Retry(2, Duration.ofMillis(20)));
    }

    private void serve(HttpServer s) {
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/", ex -> {
            requests.incrementAndGet();
            try {
                responder.get().respond(ex);
            } catch (Exception e) {
                // connection reset etc. are part of the test
            } finally {
                ex.close();
            }
        });
        s.start();
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

    private SourceException fail() { return fail(client); }

    private static SourceException fail(PrometheusClient c) {
        try {
            c.query("up");
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
        assertThat(e.getMessage()).startsWith("Prometheus answered HTTP 200 with truncated JSON (application/json)");
        answer(200, "application/json", "{\"status\":\"success\",,}");
        assertThat(fail().getMessage()).contains("malformed JSON");
    }

    @Test
    void htmlErrorPageFromAProxyIsRetriedThenShown() {
        answer(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        SourceException e = fail();
        assertThat(e.getMessage()).contains("HTTP 502").contains("text/html").contains("502 Bad Gateway");
        assertThat(e.error()).isInstanceOf(SourceError.BadResponse.class);
        assertThat(requests.get()).as("idempotent query: 1 try + 2 retries").isEqualTo(3);
    }

    @Test
    void unavailableThenBackIsRetriedToSuccess() throws Exception {
        AtomicInteger n = new AtomicInteger();
        responder.set(ex -> {
            byte[] b = (n.incrementAndGet() == 1 ? "Service Unavailable"
                    : "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"7\"]}}").getBytes();
            ex.sendResponseHeaders(n.get() == 1 ? 503 : 200, b.length);
            try (OutputStream o = ex.getResponseBody()) { o.write(b); }
        });
        assertThat(client.query("7").samples().getFirst().value()).isEqualTo(7.0);
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void clientErrorsAreNotRetried() {
        answer(400, "application/json", "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:4: parse error: unexpected \\\"}\\\"\"}");
        SourceException e = fail();
        assertThat(e.kind()).isEqualTo(SourceException.Kind.API_ERROR);
        assertThat(e.error()).isEqualTo(new SourceError.ApiError("bad_data", "1:4: parse error: unexpected \"}\""));
        assertThat(e.getMessage()).isEqualTo("Prometheus rejected the request (bad_data): 1:4: parse error: unexpected \"}\"");
        assertThat(requests.get()).isEqualTo(1);
        answer(404, "text/plain", "404 page not found");
        assertThat(fail().getMessage()).isEqualTo("Prometheus answered HTTP 404 with no Prometheus JSON (text/plain): 404 page not found");
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void emptyOk() {
        answer(200, "application/json", "");
        assertThat(fail().getMessage()).isEqualTo("Prometheus answered HTTP 200 with an empty body (application/json)");
        answer(200, null, "");
        assertThat(fail().getMessage()).contains("empty body (no content type)");
    }

    @Test
    void wrongContentTypeWithText() {
        answer(200, "text/plain; version=0.0.4", "# HELP up\nup 1");
        assertThat(fail().getMessage()).contains("no Prometheus JSON").contains("text/plain").contains("# HELP up up 1");
    }

    @Test
    void oddUnicodeInLabelsAndBodies() throws Exception {
        answer(200, "application/json; charset=utf-8", """
                {"status":"success","data":{"resultType":"vector","result":[
                 {"metric":{"plant":"上海 \\u0000 ☃ 🏭 \\ud83d","k\\"\\n":"v"},"value":[1700000000.5,"1"]}]}}""");
        QueryResult r = client.query("x");
        assertThat(r.samples().getFirst().labels().get("plant")).startsWith("上海 \u0000 ☃ 🏭");
        assertThat(r.samples().getFirst().labels()).containsEntry("k\"\n", "v");
        answer(502, "text/html", "<h1>网关错误 \u202e evil</h1>" + "x".repeat(1000));
        SourceException e = fail();
        assertThat(e.getMessage()).contains("网关错误").endsWith("…").hasSizeLessThan(400);
    }

    @Test
    void fiftyMegabytesAreRefusedNotLoaded() {
        Endpoint defaults = Endpoint.of("http://127.0.0.1:" + server.getAddress().getPort());
        assertThat(defaults.maxResponseBytes()).isEqualTo(20L * 1024 * 1024);
        AtomicInteger sentMb = new AtomicInteger();
        responder.set(ex -> {
            ex.sendResponseHeaders(200, 0); // chunked, no length: the cap must still hold
            byte[] chunk = new byte[1024 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try (OutputStream o = ex.getResponseBody()) {
                o.write("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[".getBytes());
                for (int i = 0; i < 50; i++) {
                    o.write(chunk);
                    sentMb.incrementAndGet();
                }
            }
        });
        SourceException e = fail(new PrometheusClient("Prometheus", defaults, HttpSource.Retry.NONE));
        assertThat(e.kind()).isEqualTo(SourceException.Kind.TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("Prometheus response too large: more than 20 MB (narrow the query or raise the limit)");
        answer(200, "application/json", "{\"status\":\"success\"," + " ".repeat(6 * 1024 * 1024) + "}");
        assertThat(fail(new PrometheusClient("Prometheus", endpoint.withMaxResponseBytes(5L * 1024 * 1024))).error())
                .as("declared Content-Length over the limit").isEqualTo(new SourceError.TooLarge(5L * 1024 * 1024));
    }

    @Test
    void slowTrickleTimesOutWithinTheCallTimeout() {
        responder.set(ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream o = ex.getResponseBody()) {
                for (int i = 0; i < 30; i++) {
                    o.write(' ');
                    o.flush();
                    Thread.sleep(500); // never silent for the 2 s read timeout
                }
            }
        });
        long t0 = System.nanoTime();
        SourceException e = fail();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(e.kind()).isEqualTo(SourceException.Kind.TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("Prometheus 127.0.0.1:" + server.getAddress().getPort() + " did not answer within 4 s");
        assertThat(requests.get()).as("a timeout is not retried").isEqualTo(1);
        // bound, not a benchmark: 15 s of trickle would mean the call timeout did not apply
        assertThat(took).isLessThan(Duration.ofSeconds(12));
    }

    @Test
    void silentServerTimesOutOnRead() {
        responder.set(ex -> Thread.sleep(10_000));
        SourceException e = fail();
        assertThat(e.kind()).isEqualTo(SourceException.Kind.TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("Prometheus 127.0.0.1:" + server.getAddress().getPort() + " did not answer within 2 s");
    }

    @Test
    void connectionResetAndRefused() throws Exception {
        responder.set(ex -> { throw new java.io.IOException("drop"); }); // closes without an answer
        SourceException reset = fail();
        assertThat(reset.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
        assertThat(reset.getMessage()).startsWith("Prometheus unreachable at 127.0.0.1:" + server.getAddress().getPort() + " (connection failed: ");
        assertThat(requests.get()).as("network errors are retried twice").isEqualTo(3);
        int port = server.getAddress().getPort();
        server.stop(0);
        SourceException e = fail();
        assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
        assertThat(e.error()).isEqualTo(new SourceError.Unreachable("127.0.0.1:" + port, "connection refused"));
        assertThat(e.getMessage()).isEqualTo("Prometheus unreachable at 127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void credentialsAreSentAndRejectionIsClear() throws Exception {
        AtomicReference<String> auth = new AtomicReference<>();
        responder.set(ex -> {
            auth.set(ex.getRequestHeaders().getFirst("Authorization"));
            ex.sendResponseHeaders(401, -1);
        });
        char[] pw = "hunter2-secret".toCharArray();
        PrometheusClient basic = new PrometheusClient("Prometheus", endpoint.withAuth(Endpoint.Auth.basic("ops", pw)));
        java.util.Arrays.fill(pw, '\0'); // the endpoint holds its own copy
        SourceException e = fail(basic);
        assertThat(e.kind()).isEqualTo(SourceException.Kind.AUTH_FAILED);
        assertThat(e.getMessage()).isEqualTo("Prometheus refused the credentials (HTTP 401): check user/password or token");
        assertThat(auth.get()).isEqualTo("Basic " + Base64.getEncoder().encodeToString("ops:hunter2-secret".getBytes()));
        assertThat(requests.get()).isEqualTo(1);
        responder.set(ex -> {
            auth.set(ex.getRequestHeaders().getFirst("Authorization"));
            ex.sendResponseHeaders(403, -1);
        });
        SourceException f = fail(new PrometheusClient("Prometheus", endpoint.withAuth(Endpoint.Auth.bearer("tok-123".toCharArray()))));
        assertThat(f.error()).isEqualTo(new SourceError.AuthFailed(403));
        assertThat(auth.get()).isEqualTo("Bearer tok-123");
    }

    @Test
    void secretsNeverPrint() {
        Endpoint ep = Endpoint.of("http://127.0.0.1:1").withAuth(new Endpoint.Auth.Basic("ops", new Endpoint.Secret("hunter2-secret".toCharArray())));
        assertThat(ep.toString()).doesNotContain("hunter2-secret").contains("***");
        assertThat(Endpoint.of("http://127.0.0.1:1").withAuth(Endpoint.Auth.bearer("tok-123".toCharArray())).toString()).doesNotContain("tok-123");
        assertThat(new Datasource("vm", ep, Duration.ofSeconds(45)).toString()).doesNotContain("hunter2");
        assertThatThrownBy(() -> Endpoint.of("http://ops:hunter2@127.0.0.1:1")).hasMessageNotContaining("hunter2")
                .hasMessageContaining("must not carry credentials");
    }

    @Test
    void unknownCaAndWrongHostNameAreTlsFailures(@TempDir Path dir) throws Exception {
        server.stop(0);
        // two self-signed certificates made here with the JDK's keytool: one for 127.0.0.1, one for another name
        String pass = UUID.randomUUID().toString();
        Path good = keystore(dir, "good", "ip:127.0.0.1", pass);
        Path wrong = keystore(dir, "wrong", "dns:prometheus.invalid", pass);
        for (Path ks : List.of(good, wrong)) {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(ks, pass)));
            server = https;
            serve(https);
            answer(200, "application/json", "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}}");
            Endpoint e = Endpoint.of("https://127.0.0.1:" + https.getAddress().getPort()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
            SourceException unknown = fail(new PrometheusClient("Prometheus", e));
            assertThat(unknown.kind()).isEqualTo(SourceException.Kind.TLS_FAILED);
            assertThat(unknown.getMessage()).contains("TLS handshake failed").contains("unknown CA");
            Path pem = dir.resolve(ks.getFileName() + ".pem");
            PrometheusClient withCa = new PrometheusClient("Prometheus", e.withCa(pem));
            if (ks == good) {
                assertThat(withCa.query("1").samples().getFirst().value()).as("trusted through the site CA").isEqualTo(1.0);
            } else {
                SourceException host = fail(withCa);
                assertThat(host.kind()).isEqualTo(SourceException.Kind.TLS_FAILED);
                assertThat(host.getMessage()).contains("does not match the host name");
            }
            https.stop(0);
        }
    }

    private static Path keystore(Path dir, String name, String san, String pass) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "srv", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=andon-test",
                "-ext", "SAN=" + san, "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", pass);
        run(keytool, "-exportcert", "-rfc", "-alias", "srv", "-keystore", ks.toString(), "-storepass", pass,
                "-file", dir.resolve(name + ".p12.pem").toString());
        return ks;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("keytool failed: " + out);
    }

    private static SSLContext sslContext(Path ks, String pass) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, pass.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, pass.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
