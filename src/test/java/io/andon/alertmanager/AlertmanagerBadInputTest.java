package io.andon.alertmanager;

import com.sun.net.httpserver.HttpExchange;
import io.andon.badinput.JdkMockServer;
import io.andon.net.Endpoint;
import io.andon.net.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broken answers (a proxy's HTML, cut-off or empty bodies, a trickling server) give clear messages and never hang. */
@Timeout(60)
class AlertmanagerBadInputTest {
    private JdkMockServer server;

    private AlertmanagerClient serve(JdkMockServer.Handler h) throws IOException {
        if (server != null) server.close();
        server = new JdkMockServer(h);
        return new AlertmanagerClient("am-test", Endpoint.of("http://127.0.0.1:" + server.port())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (type != null) x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) x.getResponseBody().write(b);
    }

    @Test
    void malformedJson() throws Exception {
        AlertmanagerClient c = serve(x -> send(x, 200, "application/json", "{not json]"));
        assertThatThrownBy(c::alerts).isInstanceOf(SourceException.class).hasMessage("am-test sent no valid JSON (application/json): {not json]");
    }

    @Test
    void jsonOfTheWrongShape() throws Exception {
        AlertmanagerClient c = serve(x -> send(x, 200, "application/json", "{\"status\":\"ok\"}"));
        assertThatThrownBy(c::alerts).isInstanceOf(SourceException.class).hasMessageContaining("am-test sent unreadable alerts (not a list of alerts)");
        assertThatThrownBy(c::status).isInstanceOf(SourceException.class).hasMessageContaining("am-test sent unreadable status (not a status object with a cluster)");
    }

    @Test
    void htmlFromAProxyIsReducedToItsText() throws Exception {
        AlertmanagerClient c = serve(x -> send(x, 502, "text/html", "<html><head><title>502 Bad Gateway</title><style>body{}</style></head><body><h1>Bad Gateway</h1><hr>nginx</body></html>"));
        assertThatThrownBy(c::alerts).isInstanceOf(SourceException.class)
                .hasMessageStartingWith("am-test answered HTTP 502: 502 Bad Gateway Bad Gateway nginx").hasMessageNotContaining("<");
    }

    @Test
    void emptyOk() throws Exception {
        AlertmanagerClient c = serve(x -> send(x, 200, "application/json", ""));
        assertThatThrownBy(c::alerts).isInstanceOf(SourceException.class).hasMessage("am-test answered HTTP 200 with an empty body");
    }

    @Test
    void truncatedBody() throws Exception {
        String full = "[{\"fingerprint\":\"abc\",\"labels\":{\"alertname\":\"X\"},\"status\":{\"state\":\"active\"}}]";
        AlertmanagerClient c = serve(x -> {
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, full.length());
            x.getResponseBody().write(full.substring(0, 30).getBytes(StandardCharsets.UTF_8));
            x.getResponseBody().flush();
            x.getHttpContext().getServer(); // then the connection is dropped
            throw new IOException("cut");
        });
        assertThatThrownBy(c::alerts).isInstanceOf(SourceException.class)
                .satisfies(e -> System.out.println("truncated: " + e.getMessage()))
                .hasMessage("am-test answered HTTP 200 with a broken body (connection closed early) (application/json)");
    }

    @Test
    void truncatedJsonWithoutLength() throws Exception {
        AlertmanagerClient c = serve(x -> {
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, 0); // chunked: the server ends the body early but cleanly
            x.getResponseBody().write("[{\"fingerprint\":\"abc\",\"labels\":{\"alert".getBytes(StandardCharsets.UTF_8));
        });
        assertThatThrownBy(c::alerts).isInstanceOf(SourceException.class).hasMessageStartingWith("am-test sent a cut-off JSON body");
    }

    @Test
    void tricklingServerHitsTheTimeoutInsteadOfHanging() throws Exception {
        AlertmanagerClient c = serve(x -> {
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, 0);
            OutputStream out = x.getResponseBody();
            out.write('[');
            for (int i = 0; i < 600; i++) { // a byte every 200 ms: never idle long enough for a read timeout
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                out.write(' ');
                out.flush();
            }
        });
        assertThatThrownBy(c::alerts).isInstanceOf(SourceException.class)
                .satisfies(e -> assertThat(((SourceException) e).kind()).isEqualTo(SourceException.Kind.TIMEOUT))
                .hasMessageContaining("am-test").hasMessageContaining("did not answer");
    }

    @Test
    void silenceRejectionAsJsonObjectOrPlainText() throws Exception {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        AlertmanagerClient c = serve(x -> {
            if (n.getAndIncrement() == 0) {
                send(x, 400, "application/json", "\"Failed to create silence: start time must be before end time\"");
            } else {
                send(x, 422, "application/json", "{\"code\":602,\"message\":\"matchers in body is required\"}");
            }
        });
        assertThatThrownBy(() -> c.createSilence(List.of(Silence.Matcher.equal("a", "b")), java.time.Instant.now(), java.time.Instant.now(), "t", "c"))
                .hasMessage("am-test rejected the silence: Failed to create silence: start time must be before end time");
        assertThatThrownBy(() -> c.createSilence(List.of(), java.time.Instant.now(), java.time.Instant.now().plusSeconds(9), "t", "c"))
                .hasMessage("am-test rejected the silence: matchers in body is required");
    }
}
