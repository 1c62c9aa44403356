package io.andon.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceException;
import okhttp3.FormBody;
import okhttp3.Request;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Client of the Prometheus HTTP query API — also what Thanos Query, Mimir and VictoriaMetrics answer, so a
 * site that outgrows one Prometheus changes a URL. Queries go as POST forms (long expressions fit).
 */
public final class PrometheusClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpSource http;

    public PrometheusClient(String name, Endpoint endpoint) {
        this.http = new HttpSource(name, endpoint);
    }

    public String name() { return http.name(); }

    public Endpoint endpoint() { return http.endpoint(); }

    public QueryResult query(String expr) throws SourceException {
        return query(expr, null);
    }

    public QueryResult query(String expr, Instant time) throws SourceException {
        FormBody.Builder form = new FormBody.Builder().add("query", expr);
        if (time != null) form.add("time", seconds(time));
        JsonNode data = call("api/v1/query", form.build());
        String type = data.path("data").path("resultType").asText();
        List<Sample> samples = new ArrayList<>();
        JsonNode result = data.path("data").path("result");
        switch (type) {
            case "vector" -> {
                for (JsonNode s : result) samples.add(new Sample(labels(s.path("metric")), time(s.path("value").get(0)), value(s.path("value").get(1))));
            }
            case "scalar", "string" -> samples.add(new Sample(Map.of(), time(result.get(0)), "scalar".equals(type) ? value(result.get(1)) : Double.NaN));
            case "matrix" -> {
                for (JsonNode s : result) {
                    JsonNode last = s.path("values").get(s.path("values").size() - 1);
                    if (last != null) samples.add(new Sample(labels(s.path("metric")), time(last.get(0)), value(last.get(1))));
                }
            }
            default -> throw bad("unknown resultType '" + type + "'", data);
        }
        return new QueryResult(type, samples, warnings(data));
    }

    public List<Series> queryRange(String expr, Instant start, Instant end, Duration step) throws SourceException {
        FormBody form = new FormBody.Builder().add("query", expr).add("start", seconds(start)).add("end", seconds(end))
                .add("step", BigDecimal.valueOf(step.toMillis()).movePointLeft(3).toPlainString()).build();
        JsonNode data = call("api/v1/query_range", form);
        List<Series> out = new ArrayList<>();
        for (JsonNode s : data.path("data").path("result")) {
            List<Series.Point> pts = new ArrayList<>();
            for (JsonNode v : s.path("values")) pts.add(new Series.Point(time(v.get(0)), value(v.get(1))));
            out.add(new Series(labels(s.path("metric")), pts));
        }
        return out;
    }

    /** Active scrape targets: job, instance, health, last scrape and its error. */
    public java.util.List<Target> targets() throws SourceException {
        JsonNode root = getApi("api/v1/targets?state=active");
        java.util.List<Target> out = new ArrayList<>();
        for (JsonNode t : root.path("data").path("activeTargets")) {
            Map<String, String> labels = labels(t.path("labels"));
            Instant last = null;
            try {
                String ls = t.path("lastScrape").asText("");
                if (!ls.isEmpty() && !ls.startsWith("0001")) last = Instant.parse(ls);
            } catch (RuntimeException ignored) {
                // no scrape yet
            }
            out.add(new Target(labels.getOrDefault("job", t.path("scrapePool").asText()), labels.getOrDefault("instance", ""),
                    t.path("health").asText("unknown"), last, Duration.ofMillis((long) (t.path("lastScrapeDuration").asDouble() * 1000)),
                    t.path("lastError").asText(""), labels));
        }
        return out;
    }

    /** Rule groups with their last evaluation time (P9: evaluation cost of the SLO rules). */
    public Map<String, Duration> ruleGroupEvaluationTimes() throws SourceException {
        Map<String, Duration> out = new LinkedHashMap<>();
        for (JsonNode g : getApi("api/v1/rules").path("data").path("groups")) {
            out.put(g.path("name").asText(), Duration.ofNanos((long) (g.path("evaluationTime").asDouble() * 1e9)));
        }
        return out;
    }

    /** Raw JSON of a GET API (rules, targets): parsed into records by their callers. */
    public JsonNode getApi(String path) throws SourceException {
        String[] pq = path.split("\\?", 2);
        okhttp3.HttpUrl.Builder u = http.url(pq[0]);
        if (pq.length > 1) for (String kv : pq[1].split("&")) {
            String[] p = kv.split("=", 2);
            u.addQueryParameter(p[0], p.length > 1 ? p[1] : "");
        }
        Request req = new Request.Builder().url(u.build()).get().build();
        return parse(http.execute(req, true));
    }

    private JsonNode call(String path, FormBody form) throws SourceException {
        Request req = new Request.Builder().url(http.url(path).build()).post(form).build();
        return parse(http.execute(req, true));
    }

    private JsonNode parse(HttpSource.Reply r) throws SourceException {
        JsonNode root;
        try {
            root = JSON.readTree(r.body());
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isObject() || !root.has("status")) {
            String what = r.body().isBlank() ? "an empty body" : "no Prometheus JSON (" + (r.contentType().isEmpty() ? "no content type" : r.contentType()) + "): " + HttpSource.snippet(r.body());
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " answered HTTP " + r.status() + " with " + what, r.status(), null);
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new SourceException(SourceException.Kind.API_ERROR, http.name() + " rejected the query (" + root.path("errorType").asText("error")
                    + "): " + root.path("error").asText("no reason given"), r.status(), null);
        }
        return root;
    }

    private SourceException bad(String what, JsonNode root) {
        return new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + ": " + what + ": " + HttpSource.snippet(root.toString()));
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> m = new LinkedHashMap<>();
        metric.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static List<String> warnings(JsonNode root) {
        List<String> w = new ArrayList<>();
        root.path("warnings").forEach(n -> w.add(n.asText()));
        root.path("infos").forEach(n -> w.add(n.asText()));
        return w;
    }

    static Instant time(JsonNode t) {
        if (t == null) return Instant.EPOCH;
        BigDecimal s = t.decimalValue();
        return Instant.ofEpochSecond(s.longValue(), s.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }

    /** Prometheus sends values as strings: "NaN", "+Inf", "-Inf" included. */
    static double value(JsonNode v) {
        if (v == null || v.isNull()) return Double.NaN;
        String s = v.asText();
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static String seconds(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9)).toPlainString();
    }
}
