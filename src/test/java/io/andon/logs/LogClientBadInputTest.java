package io.andon.logs;

import com.sun.net.httpserver.HttpExchange;
import io.andon.badinput.JdkMockServer;
import io.andon.net.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broken answers from "Elasticsearch" (a proxy, a cut-off body, a trickle) and auth errors give clear messages, never a hang. */
@Timeout(60)
class LogClientBadInputTest {
    private JdkMockServer server;

    private LogClient serve(JdkMockServer.Handler h) throws IOException {
        if (server != null) server.close();
        server = new JdkMockServer(h);
        return client(server.port());
    }

    static LogClient client(int port) {
        return new LogClient("Elasticsearch", List.of(Endpoint.of("http://127.0.0.1:" + port).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    static void send(HttpExchange x, int status, boolean product, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (product) x.getResponseHeaders().set("X-Elastic-Product", "Elasticsearch");
        if (type != null) x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) x.getResponseBody().write(b);
    }

    private static LogException fail(LogClient c) {
        try {
            String h = c.health();
            throw new AssertionError("expected a failure, got health " + h);
        } catch (LogException e) {
            System.out.println(e.kind() + ": " + e.getMessage());
            assertThat(e.getMessage()).doesNotContain("\tat ").hasSizeLessThan(400);
            return e;
        } finally {
            c.close();
        }
    }

    @Test
    void malformedJson() throws Exception {
        LogException e = fail(serve(x -> send(x, 200, true, "application/json", "{not json")));
        assertThat(e.kind()).isEqualTo(LogException.Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).startsWith("Elasticsearch (127.0.0.1:" + server.port() + ") sent an answer that could not be read")
                .doesNotContain("Source:");
    }

    @Test
    void htmlFromAProxy() throws Exception {
        LogException e = fail(serve(x -> send(x, 502, false, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>")));
        assertThat(e.kind()).isEqualTo(LogException.Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).isEqualTo("Elasticsearch (127.0.0.1:" + server.port() + ") answered HTTP 502: 502 Bad Gateway");
    }

    @Test
    void notElasticsearchAtAll() throws Exception {
        LogException e = fail(serve(x -> send(x, 200, false, "application/json", "{\"status\":\"green\"}")));
        assertThat(e.getMessage()).contains("did not answer as Elasticsearch");
    }

    @Test
    void emptyOk() throws Exception {
        LogException e = fail(serve(x -> send(x, 200, true, "application/json", "")));
        assertThat(e.kind()).isEqualTo(LogException.Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).isEqualTo("Elasticsearch (127.0.0.1:" + server.port() + ") sent an empty or cut-off answer");
    }

    @Test
    void truncatedBody() throws Exception {
        String full = "{\"cluster_name\":\"x\",\"status\":\"green\",\"timed_out\":false,\"number_of_nodes\":1}";
        LogException e = fail(serve(x -> {
            x.getResponseHeaders().set("X-Elastic-Product", "Elasticsearch");
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, full.length());
            x.getResponseBody().write(full.substring(0, 25).getBytes(StandardCharsets.UTF_8));
            x.getResponseBody().flush();
            throw new IOException("cut");
        }));
        assertThat(e.kind()).isEqualTo(LogException.Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).isEqualTo("Elasticsearch (127.0.0.1:" + server.port()
                + ") sent an empty or cut-off answer (the connection closed in the middle of it)");
    }

    /**
     * A page disposed while its search runs: the client is closed under it, and the requests still to go are refused
     * by the closed HTTP client with a CancellationException. That is "cancelled" (a LogException the view model
     * handles), not an uncaught exception on the search's thread.
     */
    @Test
    void aRequestOnAClosedClientIsCancelledNotAnUncaughtException() throws Exception {
        LogClient c = serve(x -> send(x, 200, true, "application/json", "{}"));
        c.close();
        Throwable t = null;
        try {
            c.search(LogQuery.last(Duration.ofHours(1)), null, 10);
        } catch (Throwable e) {
            t = e;
        }
        assertThat(t).isInstanceOf(LogException.class);
        assertThat(((LogException) t).kind()).isEqualTo(LogException.Kind.CANCELLED);
    }

    @Test
    void tricklingServerHitsTheDeadlineAndTheRequestIsCancelled() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        LogClient c = serve(x -> {
            x.getResponseHeaders().set("X-Elastic-Product", "Elasticsearch");
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, 0);
            OutputStream out = x.getResponseBody();
            out.write('{');
            try {
                for (int i = 0; i < 600; i++) { // a byte every 200 ms: never idle long enough for the socket timeout
                    Thread.sleep(200);
                    out.write(' ');
                    out.flush();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                clientGone.countDown();
                throw e;
            }
        });
        LogException e = fail(c);
        assertThat(e.kind()).isEqualTo(LogException.Kind.TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("Elasticsearch did not answer within 4 s (127.0.0.1:" + server.port() + ")");
        assertThat(clientGone.await(20, TimeUnit.SECONDS)).as("the late request was cancelled, its connection closed").isTrue();
    }

    @Test
    void authFailureAndForbidden() throws Exception {
        LogException e = fail(serve(x -> send(x, 401, true, "application/json",
                "{\"error\":{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"unable to authenticate user [andon]\"}],\"type\":\"security_exception\",\"reason\":\"unable to authenticate user [andon]\"},\"status\":401}")));
        assertThat(e.kind()).isEqualTo(LogException.Kind.AUTH_FAILED);
        // this client sends no credentials: the message says so instead of blaming a password nobody typed
        assertThat(e.getMessage()).isEqualTo("Elasticsearch requires credentials (HTTP 401) and none are configured: set user and password or an API key");
        server.close();
        LogException f = fail(serve(x -> send(x, 403, true, "application/json",
                "{\"error\":{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"action [cluster:monitor/health] is unauthorized\"}],\"type\":\"security_exception\",\"reason\":\"action [cluster:monitor/health] is unauthorized\"},\"status\":403}")));
        assertThat(f.kind()).isEqualTo(LogException.Kind.AUTH_FAILED);
        assertThat(f.getMessage()).isEqualTo("Elasticsearch denied access (HTTP 403): the user or API key lacks a privilege — action [cluster:monitor/health] is unauthorized");
    }

    @Test
    void shardsNotReadyAfterARestartAreAnOutageNotABadQuery() throws Exception {
        // what Elasticsearch answers for a few seconds after it restarts, before its shards are assigned: the page
        // must treat it as an outage that clears by itself, not as the user's query being wrong (which sticks)
        LogException e = fail(serve(x -> send(x, 503, true, "application/json",
                "{\"error\":{\"root_cause\":[{\"type\":\"no_shard_available_action_exception\",\"reason\":\"[vm][127.0.0.1:9300][indices:data/read/search[phase/query]]\"}],"
                        + "\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\",\"phase\":\"query\",\"grouped\":true,\"failed_shards\":[]},\"status\":503}")));
        assertThat(e.kind()).isEqualTo(LogException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("no copy of the logs ready yet");
        server.close();
        LogException bad = fail(serve(x -> send(x, 400, true, "application/json",
                "{\"error\":{\"root_cause\":[{\"type\":\"query_shard_exception\",\"reason\":\"failed to create query: For input string: \\\"abc\\\"\"}],"
                        + "\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\",\"phase\":\"query\",\"grouped\":true,\"failed_shards\":[]},\"status\":400}")));
        assertThat(bad.kind()).isEqualTo(LogException.Kind.BAD_QUERY);
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        LogException e = fail(client(port));
        assertThat(e.kind()).isEqualTo(LogException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).isEqualTo("Elasticsearch unreachable at 127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void searchTextProblemsInPlainWords() {
        assertThat(LogQuery.textProblem("error AND \"disk full")).hasValueSatisfying(m -> assertThat(m).contains("quotation mark"));
        assertThat(LogQuery.textProblem("(a | b")).hasValue("search text problem: 1 '(' is not closed");
        assertThat(LogQuery.textProblem("a) b")).hasValueSatisfying(m -> assertThat(m).contains("')' without a '('"));
        assertThat(LogQuery.textProblem("error +")).hasValueSatisfying(m -> assertThat(m).contains("operator '+'"));
        assertThat(LogQuery.textProblem("\"disk full\" -debug (a | b) 设备 \\\" mes-app")).isEmpty();
        assertThat(LogClient.interval(Duration.ofMinutes(15))).hasSeconds(10);
        assertThat(LogClient.interval(Duration.ofHours(1))).hasSeconds(30);
        assertThat(LogClient.interval(Duration.ofHours(2))).hasMinutes(1);
        assertThat(LogClient.interval(Duration.ofDays(1))).as("144 buckets is closer to the band than 48").hasMinutes(10);
        assertThat(LogClient.interval(Duration.ofDays(7))).hasHours(3);
        assertThat(LogClient.interval(Duration.ofDays(30))).hasHours(12);
        assertThat(LogClient.csv("=SUM(A1)")).isEqualTo("'=SUM(A1)");
        assertThat(LogClient.csv("a,\"b\"\nc")).isEqualTo("\"a,\"\"b\"\"\nc\"");
    }
}
