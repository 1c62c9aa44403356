package io.andon.compat;

import io.andon.badinput.JdkMockServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A server replaying answers recorded in the upstream projects' repositories (src/test/resources/upstream/README.md),
 * with the headers the real server sends (Elasticsearch's product header). Every request is kept, body included, so a
 * test can check what the client sent as well as what it made of the answer.
 */
final class Replay implements AutoCloseable {
    record Request(String method, String path, String query, String body) {
        /** The form (POST body) or query string as name → value, decoded. */
        Map<String, String> form() {
            Map<String, String> m = new LinkedHashMap<>();
            String s = body.isEmpty() ? (query == null ? "" : query) : body;
            for (String kv : s.split("&")) {
                if (kv.isEmpty()) continue;
                String[] p = kv.split("=", 2);
                m.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
            }
            return m;
        }
    }

    final List<Request> seen = new CopyOnWriteArrayList<>();
    private final JdkMockServer server;

    /** {@code route}: request path → fixture path under upstream/ (null: 404). */
    Replay(Function<String, String> route) throws IOException {
        this(route, Map.of());
    }

    Replay(Function<String, String> route, Map<String, String> headers) throws IOException {
        server = new JdkMockServer(x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Request(x.getRequestMethod(), x.getRequestURI().getPath(), x.getRequestURI().getRawQuery(), body));
            String f = route.apply(x.getRequestURI().getPath());
            byte[] out = f == null ? "404 page not found".getBytes(StandardCharsets.UTF_8)
                    : f.startsWith(MATRIX_OF) ? matrixOf(f.substring(MATRIX_OF.length())) : fixture(f);
            x.getResponseHeaders().add("Content-Type", f == null ? "text/plain" : "application/json");
            headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
            x.sendResponseHeaders(f == null ? 404 : 200, out.length);
            x.getResponseBody().write(out);
        });
    }

    /**
     * client_golang records single series objects (its SampleStream JSON), not whole answers: "matrix-of:" serves such
     * a file as the only element of a matrix answer's result list, the envelope being the API's documented one.
     */
    static final String MATRIX_OF = "matrix-of:";

    static byte[] matrixOf(String fragment) throws IOException {
        return ("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + text(fragment).strip() + "]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] fixture(String path) throws IOException {
        try (InputStream in = Replay.class.getResourceAsStream("/upstream/" + path)) {
            if (in == null) throw new IOException("no fixture upstream/" + path);
            return in.readAllBytes();
        }
    }

    static String text(String path) throws IOException {
        return new String(fixture(path), StandardCharsets.UTF_8);
    }

    String url() { return server.url(); }

    @Override
    public void close() { server.close(); }
}
