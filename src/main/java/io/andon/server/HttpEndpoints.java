package io.andon.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP side shared by the exporter and the simulated MES: /metrics from a registry, and the three
 * health endpoints. Health bodies carry fixed reason strings, never exception text.
 */
public final class HttpEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One named health check: ok, and a short reason that is safe to show to anyone. */
    public record Check(boolean ok, String reason) {
        public static Check pass() { return new Check(true, "ok"); }
    }

    private HttpEndpoints() {}

    public static HttpServer start(String bind, int port, PrometheusRegistry registry,
                                   Map<String, Supplier<Check>> checks, BooleanSupplier ready) throws IOException {
        return start(bind, port, registry, null, checks, ready);
    }

    /**
     * @param extraText families rendered elsewhere, appended to the registry's exposition; null for none, and then
     *                  a scraper that asks for OpenMetrics (Prometheus does) gets it, with the histograms' trace
     *                  exemplars, which the Prometheus text format cannot carry. With extra text the answer stays
     *                  Prometheus text: OpenMetrics ends with "# EOF" and appended families would come after it.
     */
    public static HttpServer start(String bind, int port, PrometheusRegistry registry, Supplier<String> extraText,
                                   Map<String, Supplier<Check>> checks, BooleanSupplier ready) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
        OpenMetricsTextFormatWriter openMetrics = extraText == null ? OpenMetricsTextFormatWriter.create() : null;
        // protobuf only to a scraper that asks for it (a Prometheus with native histograms on): the one format that
        // carries native histograms; extra text lines cannot be appended to it, so not where there are some
        io.prometheus.metrics.expositionformats.PrometheusProtobufWriter protobuf = new io.prometheus.metrics.expositionformats.PrometheusProtobufWriter();
        boolean protobufOk = extraText == null && protobuf.isAvailable();
        Supplier<String> extra = extraText == null ? () -> "" : extraText;
        server.createContext("/metrics", ex -> {
            try (ex) {
                byte[] body;
                var buf = new java.io.ByteArrayOutputStream(16 * 1024);
                String accept = java.util.Objects.requireNonNullElse(ex.getRequestHeaders().getFirst("Accept"), "");
                ExpositionFormatWriter writer = protobufOk && protobuf.accepts(accept) ? protobuf
                        : openMetrics != null && openMetrics.accepts(accept) ? openMetrics : text;
                writer.write(buf, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.ALLOW_UTF8);
                buf.write(extra.get().getBytes(StandardCharsets.UTF_8));
                body = buf.toByteArray();
                ex.getResponseHeaders().set("Content-Type", writer.getContentType());
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.createContext("/health/live", ex -> json(ex, 200, Map.of("status", "UP")));
        server.createContext("/health/ready", ex -> {
            boolean r = ready.getAsBoolean();
            json(ex, r ? 200 : 503, Map.of("status", r ? "UP" : "DOWN"));
        });
        server.createContext("/health", ex -> {
            if (!ex.getRequestURI().getPath().equals("/health")) {
                json(ex, 404, Map.of("error", "not found"));
                return;
            }
            Map<String, Object> results = new LinkedHashMap<>();
            boolean all = true;
            Map<String, Supplier<Check>> withStd = new LinkedHashMap<>(checks);
            withStd.put("disk", HttpEndpoints::disk);
            withStd.put("heap", HttpEndpoints::heap);
            for (var e : withStd.entrySet()) {
                Check c;
                try {
                    c = e.getValue().get();
                } catch (RuntimeException failure) {
                    c = new Check(false, "check failed");
                }
                all &= c.ok();
                results.put(e.getKey(), Map.of("status", c.ok() ? "UP" : "DOWN", "reason", c.reason()));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", all ? "UP" : "DOWN");
            body.put("checks", results);
            json(ex, all ? 200 : 503, body);
        });
        server.start();
        return server;
    }

    static Check disk() {
        try {
            var store = Files.getFileStore(Path.of("."));
            double free = (double) store.getUsableSpace() / store.getTotalSpace();
            return free > 0.10 ? Check.pass() : new Check(false, "less than 10 % disk free");
        } catch (IOException e) {
            return new Check(false, "disk not readable");
        }
    }

    static Check heap() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        double used = heap.getMax() > 0 ? (double) heap.getUsed() / heap.getMax() : 0;
        return used < 0.90 ? Check.pass() : new Check(false, "heap above 90 %");
    }

    public static void json(HttpExchange ex, int status, Object body) throws IOException {
        try (ex) {
            byte[] b = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    /** Maps a database failure to a fixed reason: the detail goes to the log, not to the health body. */
    public static String reason(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) return "connection refused";
            if (c instanceof java.net.SocketTimeoutException) return "timeout";
            if (c instanceof java.sql.SQLException s && s.getSQLState() != null) {
                String st = s.getSQLState();
                if (st.startsWith("28")) return "authentication failed";
                if (st.startsWith("08")) return "connection failure";
                if (st.equals("57014")) return "statement timeout";
                if (st.startsWith("57P")) return "server shutting down";
                if (st.startsWith("53")) return "server out of resources";
            }
        }
        return t instanceof java.sql.SQLTransientConnectionException ? "no connection available" : "database error";
    }
}
