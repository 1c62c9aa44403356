package io.andon.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** In-JVM receiver of Alertmanager webhook notifications (the "local webhook" of the tests and demo). */
public final class WebhookSink implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    WebhookSink() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/alerts", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                received.add(JSON.readTree(in));
                ex.sendResponseHeaders(200, -1);
            } catch (IOException e) {
                ex.sendResponseHeaders(400, -1);
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    }

    /** Every notification body received so far (Alertmanager webhook payloads). */
    public List<JsonNode> received() { return List.copyOf(received); }

    /** Waits for a firing notification of this alertname. */
    public Optional<JsonNode> awaitAlert(String alertname, Duration timeout) throws InterruptedException {
        return awaitAlert(alertname, "firing", timeout);
    }

    /** How many notifications carried this alertname with this status (HA pairs must send one, not two). */
    public long count(String alertname, String status) {
        return new ArrayList<>(received).stream().flatMap(n -> java.util.stream.StreamSupport.stream(n.path("alerts").spliterator(), false))
                .filter(a -> alertname.equals(a.path("labels").path("alertname").asText()) && status.equals(a.path("status").asText()))
                .count();
    }

    /** Waits for a notification that carries an alert with this alertname and status ("firing"/"resolved"). */
    public Optional<JsonNode> awaitAlert(String alertname, String status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode n : new ArrayList<>(received)) {
                for (JsonNode a : n.path("alerts")) {
                    if (alertname.equals(a.path("labels").path("alertname").asText()) && status.equals(a.path("status").asText())) {
                        return Optional.of(a);
                    }
                }
            }
            Thread.sleep(250);
        }
        return Optional.empty();
    }

    @Override
    public void close() { server.stop(0); }
}
