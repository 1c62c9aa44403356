package io.andon.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceException;
import okhttp3.FormBody;
import okhttp3.Request;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal {@link RangeQuery} on Prometheus' {@code /api/v1/query_range} (POSTed form, so the expression
 * is a form value, never part of the URL). The console may wire the full Prometheus client instead.
 */
public final class PrometheusRangeQuery implements RangeQuery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpSource http;

    public PrometheusRangeQuery(String name, Endpoint endpoint) { this.http = new HttpSource(name, endpoint); }

    @Override
    public List<Series> query(String expr, Instant start, Instant end, Duration step) throws SourceException {
        FormBody form = new FormBody.Builder().add("query", expr)
                .add("start", seconds(start)).add("end", seconds(end)).add("step", Math.max(1, step.toSeconds()) + "s").build();
        HttpSource.Reply r = http.execute(new Request.Builder().url(http.url("api/v1/query_range").build()).post(form).build(), true);
        JsonNode root;
        try {
            root = JSON.readTree(r.body() == null ? "" : r.body());
        } catch (Exception e) {
            root = null;
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " answered HTTP " + r.status() + " without a valid JSON body: "
                    + io.andon.net.HttpSource.readable(r), r.status(), null);
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new SourceException(SourceException.Kind.API_ERROR, http.name() + " could not run the history query: "
                    + root.path("error").asText("no reason given"), r.status(), null);
        }
        List<Series> out = new ArrayList<>();
        for (JsonNode s : root.path("data").path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            s.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<Point> pts = new ArrayList<>();
            for (JsonNode v : s.path("values")) {
                pts.add(new Point(Instant.ofEpochMilli(Math.round(v.get(0).asDouble() * 1000)), Double.parseDouble(v.get(1).asText())));
            }
            out.add(new Series(labels, pts));
        }
        return out;
    }

    private static String seconds(Instant t) {
        return String.format(java.util.Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }
}
