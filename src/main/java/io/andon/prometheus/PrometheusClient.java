package io.andon.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceException;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
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
 * site that outgrows one Prometheus changes a URL. The dashboards' hot path uses only /api/v1/query and
 * /api/v1/query_range, always as POST forms (long expressions fit, nothing lands in proxy access logs);
 * /api/v1/rules and /api/v1/targets serve the health page and may be missing on some compatible servers.
 */
public final class PrometheusClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpSource http;

    public PrometheusClient(String name, Endpoint endpoint) {
        this(name, endpoint, HttpSource.Retry.DEFAULT);
    }

    public PrometheusClient(String name, Endpoint endpoint, HttpSource.Retry retry) {
        this.http = new HttpSource(name, endpoint, retry);
    }

    public PrometheusClient(Datasource ds) {
        this(ds.name(), ds.endpoint());
    }

    /**
     * Loads and initialises what the first query needs (okhttp, the JSON parser, the result records) by building
     * a request and parsing a canned answer; sends nothing. The console calls it on a spare thread while JavaFX
     * starts, so the first refresh does not pay for it on the way to the first paint.
     */
    public static void warmUp() {
        try {
            HttpSource http = new HttpSource("warm-up", Endpoint.of("http://127.0.0.1:9"));
            new Request.Builder().url(http.url("api/v1/query").build())
                    .post(new FormBody.Builder().add("query", "up").build()).header("Accept", "application/json").build();
            PromJson.query("warm-up", new HttpSource.Reply(200, "application/json",
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"job\":\"a\"},\"value\":[1700000000.5,\"1\"]}]}}"));
        } catch (SourceException e) {
            throw new IllegalStateException("canned answer not understood", e);
        }
    }

    public String name() { return http.name(); }

    public Endpoint endpoint() { return http.endpoint(); }

    public QueryResult query(String expr) throws SourceException {
        return query(expr, null);
    }

    /** Instant query at {@code time} (the server's now when null). */
    public QueryResult query(String expr, Instant time) throws SourceException {
        FormBody.Builder form = new FormBody.Builder().add("query", expr);
        if (time != null) form.add("time", seconds(time));
        return PromJson.query(http.name(), post("api/v1/query", form.build()));
    }

    /** The series only; callers that show the answer use {@link #range} for its warnings and skipped series. */
    public List<Series> queryRange(String expr, Instant start, Instant end, Duration step) throws SourceException {
        return range(expr, start, end, step).series();
    }

    /** A range query with everything the server said besides the series (warnings, infos, partial, unreadable series). */
    public RangeResult range(String expr, Instant start, Instant end, Duration step) throws SourceException {
        if (!step.isPositive()) throw new IllegalArgumentException("range query step must be positive");
        FormBody form = new FormBody.Builder().add("query", expr).add("start", seconds(start)).add("end", seconds(end))
                .add("step", BigDecimal.valueOf(step.toMillis()).movePointLeft(3).toPlainString()).build();
        return PromJson.range(http.name(), post("api/v1/query_range", form));
    }

    /**
     * Every exemplar of the series the expression selects in [start, end] (Prometheus with
     * {@code --enable-feature=exemplar-storage}): all of them, not one per step. A server without exemplar storage
     * answers with an empty list.
     */
    public Exemplar.Result exemplars(String expr, Instant start, Instant end) throws SourceException {
        FormBody form = new FormBody.Builder().add("query", expr).add("start", seconds(start)).add("end", seconds(end)).build();
        return PromJson.exemplars(http.name(), post("api/v1/query_exemplars", form));
    }

    /** Pending and firing alerts from the {@code ALERTS} series (works on every compatible query API). */
    public List<ActiveAlert> activeAlerts() throws SourceException {
        List<ActiveAlert> out = new ArrayList<>();
        for (Sample s : query("ALERTS").samples()) {
            Map<String, String> labels = new LinkedHashMap<>(s.labels());
            labels.remove("__name__");
            String name = labels.remove("alertname");
            String state = labels.remove("alertstate");
            out.add(new ActiveAlert(name == null ? "" : name, state == null ? "" : state, labels));
        }
        return out;
    }

    /** Active scrape targets: job, instance, health, last scrape, its duration and error. */
    public List<Target> targets() throws SourceException {
        return PromJson.targets(http.name(), get("api/v1/targets", Map.of("state", "active")));
    }

    /** Rule groups with evaluation time and last evaluation, their rules with health, state and alerts. */
    public List<RuleGroup> rules() throws SourceException {
        return PromJson.rules(http.name(), get("api/v1/rules", Map.of()));
    }

    /** Rule groups with their last evaluation time (P9: evaluation cost of the SLO rules). */
    public Map<String, Duration> ruleGroupEvaluationTimes() throws SourceException {
        Map<String, Duration> out = new LinkedHashMap<>();
        for (RuleGroup g : rules()) out.put(g.name(), g.evaluationTime());
        return out;
    }

    /** Raw JSON of a GET API, for callers that need a field no record carries. */
    public JsonNode getApi(String path) throws SourceException {
        String[] pq = path.split("\\?", 2);
        Map<String, String> params = new LinkedHashMap<>();
        if (pq.length > 1) for (String kv : pq[1].split("&")) {
            String[] p = kv.split("=", 2);
            params.put(p[0], p.length > 1 ? p[1] : "");
        }
        HttpSource.Reply r = get(pq[0], params);
        PromJson.envelope(http.name(), r);
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw PromJson.bad(http.name(), r, "no Prometheus JSON");
        }
    }

    private HttpSource.Reply get(String path, Map<String, String> params) throws SourceException {
        HttpUrl.Builder u = http.url(path);
        params.forEach(u::addQueryParameter);
        return http.execute(new Request.Builder().url(u.build()).get().header("Accept", "application/json").build(), true);
    }

    private HttpSource.Reply post(String path, FormBody form) throws SourceException {
        // queries only read: safe to retry
        return http.execute(new Request.Builder().url(http.url(path).build()).post(form).header("Accept", "application/json").build(), true);
    }

    private static String seconds(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9)).toPlainString();
    }
}
