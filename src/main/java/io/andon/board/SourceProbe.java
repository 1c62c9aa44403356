package io.andon.board;

import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceException;
import okhttp3.Request;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Health page: is each source reachable, and how fast does it answer its cheapest meaningful call?
 * Prometheus answers a trivial query, Alertmanager its status, Elasticsearch its cluster health,
 * the exporter its /health.
 */
public final class SourceProbe {
    public record Result(String name, boolean ok, Duration latency, String detail) {}

    public record Check(String name, Endpoint endpoint, String path) {}

    private final List<Check> checks;

    public SourceProbe(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    public static Check prometheus(Endpoint e) { return new Check("Prometheus", e, "api/v1/query?query=1"); }

    public static Check alertmanager(String name, Endpoint e) { return new Check(name, e, "api/v2/status"); }

    public static Check elasticsearch(Endpoint e) { return new Check("Elasticsearch", e, "_cluster/health"); }

    public static Check exporter(Endpoint e) { return new Check("Exporter", e, "health"); }

    /** The trace backend: Zipkin answers its health check with 200 when its storage is up. */
    public static Check zipkin(Endpoint e) { return new Check("Zipkin", e, "health"); }

    public List<Result> probe() {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Result>> fs = new ArrayList<>();
            for (Check c : checks) fs.add(pool.submit(() -> one(c)));
            List<Result> out = new ArrayList<>();
            for (Future<Result> f : fs) {
                try {
                    out.add(f.get());
                } catch (Exception e) {
                    out.add(new Result("?", false, Duration.ZERO, e.toString()));
                }
            }
            return out;
        }
    }

    static Result one(Check c) {
        HttpSource http = new HttpSource(c.name(), c.endpoint());
        String[] pq = c.path().split("\\?", 2);
        okhttp3.HttpUrl.Builder u = http.url(pq[0]);
        if (pq.length > 1) {
            String[] kv = pq[1].split("=", 2);
            u.addQueryParameter(kv[0], kv[1]);
        }
        long t0 = System.nanoTime();
        try {
            HttpSource.Reply r = http.execute(new Request.Builder().url(u.build()).get().build(), false);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            boolean ok = r.status() / 100 == 2;
            String detail = ok ? "HTTP " + r.status() : "HTTP " + r.status() + ": " + HttpSource.snippet(r.body());
            if (ok && c.path().startsWith("_cluster/health")) detail = "cluster " + statusOf(r.body());
            return new Result(c.name(), ok, took, detail);
        } catch (SourceException e) {
            return new Result(c.name(), false, Duration.ofNanos(System.nanoTime() - t0), e.getMessage());
        }
    }

    private static String statusOf(String body) {
        var m = java.util.regex.Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"").matcher(body);
        return m.find() ? m.group(1) : "?";
    }

    public List<Check> checks() { return checks; }

    static Map<String, String> none() { return Map.of(); }
}
