package io.andon.prometheus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.andon.net.HttpSource;
import io.andon.net.SourceError;
import io.andon.net.SourceException;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the Prometheus HTTP API envelope ({@code status}, {@code data}, {@code errorType}, {@code error},
 * {@code warnings}) and its payloads into records. Anything that is not that envelope becomes a
 * {@link SourceError.BadResponse} naming status, content type and the start of the body.
 */
final class PromJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            // Prometheus never sends these, but a broken proxy might: fail cleanly instead of guessing
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            // two "data" keys or text after the JSON: no way to tell which part is the answer, so no answer
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private PromJson() {}

    /** The envelope's root when {@code status} is success; the server's own words when it is an error. */
    static JsonNode envelope(String source, HttpSource.Reply r) throws SourceException {
        String body = r.body();
        if (body == null || body.isBlank()) {
            throw new SourceException(source, new SourceError.BadResponse(r.status(), r.contentType(), "", "an empty body"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            if (io.andon.net.JsonProblem.truncated(e)) throw bad(source, r, "truncated JSON");
            throw bad(source, r, looksLikeJson(r) ? "malformed JSON" + io.andon.net.JsonProblem.detail(e) : "no Prometheus JSON");
        }
        if (root == null || !root.isObject() || !root.path("status").isTextual()) throw bad(source, r, "no Prometheus JSON");
        String status = root.get("status").asText();
        if ("error".equals(status)) {
            throw new SourceException(source, new SourceError.ApiError(root.path("errorType").asText("error"),
                    root.path("error").asText("no reason given")));
        }
        if (!"success".equals(status)) throw bad(source, r, "unknown status '" + status + "'");
        if (r.status() / 100 != 2) throw bad(source, r, "success in an HTTP error");
        return root;
    }

    private static boolean looksLikeJson(HttpSource.Reply r) {
        String t = r.body().stripLeading();
        return r.contentType().contains("json") || t.startsWith("{") || t.startsWith("[");
    }

    static SourceException bad(String source, HttpSource.Reply r, String problem) {
        return new SourceException(source, new SourceError.BadResponse(r.status(), r.contentType(), HttpSource.snippet(r.body()), problem));
    }

    /** How many unreadable series the summary line names before "…". */
    private static final int NAMED = 3;

    /**
     * An instant query's answer. One series that cannot be read (a label with a null value, a broken sample, a native
     * histogram in an unknown shape) is reported and skipped: the others are the answer, and the warnings say
     * "N series could not be read: …". Only a broken envelope or an unreadable scalar/string fails the whole answer.
     */
    static QueryResult query(String source, HttpSource.Reply r) throws SourceException {
        JsonNode root = envelope(source, r);
        try {
            JsonNode data = root.path("data");
            String type = data.path("resultType").asText("");
            JsonNode result = data.path("result");
            List<Sample> samples = new ArrayList<>();
            List<Series> series = new ArrayList<>();
            List<NativeHistogram.Sample> histograms = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            Optional<String> text = Optional.empty();
            switch (type) {
                case "vector" -> {
                    int i = 0;
                    for (JsonNode s : array(result)) {
                        i++;
                        try {
                            Map<String, String> labels = labels(s.path("metric"));
                            boolean any = false;
                            // Prometheus sends "value" or "histogram"; read both should a server send both
                            if (s.has("value")) {
                                JsonNode v = pair(s.path("value"));
                                samples.add(new Sample(labels, time(v.get(0)), value(v.get(1))));
                                any = true;
                            }
                            if (s.has("histogram")) {
                                JsonNode h = pair(s.path("histogram"));
                                histograms.add(new NativeHistogram.Sample(labels, time(h.get(0)), histogram(h.get(1))));
                                any = true;
                            }
                            if (!any) throw new IllegalArgumentException("neither value nor histogram (expected [time, value])");
                        } catch (IllegalArgumentException e) {
                            unreadable.add(item(i, s, e));
                        }
                    }
                    noneReadable(source, r, i, unreadable);
                }
                case "scalar" -> samples.add(new Sample(Map.of(), time(pair(result).get(0)), value(pair(result).get(1))));
                case "string" -> text = Optional.of(pair(result).get(1).asText());
                case "matrix" -> {
                    int i = 0;
                    for (JsonNode s : array(result)) {
                        i++;
                        try {
                            Series one = series(s);
                            series.add(one);
                            if (!one.points().isEmpty()) {
                                Series.Point last = one.points().getLast();
                                samples.add(new Sample(one.labels(), last.time(), last.value()));
                            }
                        } catch (IllegalArgumentException e) {
                            unreadable.add(item(i, s, e));
                        }
                    }
                    noneReadable(source, r, i, unreadable);
                }
                default -> throw bad(source, r, type.isEmpty() ? "no resultType" : "unknown resultType '" + type + "'");
            }
            boolean partial = partial(root);
            return new QueryResult(type, samples, series, text, warnings(root, partial, unreadable), histograms, unreadable, partial);
        } catch (IllegalArgumentException e) {
            throw bad(source, r, "an unreadable result (" + e.getMessage() + ")");
        }
    }

    /** A range query's answer; an unreadable series is reported and skipped, as for {@link #query}. */
    static RangeResult range(String source, HttpSource.Reply r) throws SourceException {
        JsonNode root = envelope(source, r);
        JsonNode data = root.path("data");
        if (!"matrix".equals(data.path("resultType").asText())) {
            throw bad(source, r, "resultType '" + data.path("resultType").asText() + "' for a range query (matrix expected)");
        }
        JsonNode list;
        try {
            list = array(data.path("result"));
        } catch (IllegalArgumentException e) {
            throw bad(source, r, "an unreadable result (" + e.getMessage() + ")");
        }
        List<Series> out = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        int i = 0;
        for (JsonNode s : list) {
            i++;
            try {
                out.add(series(s));
            } catch (IllegalArgumentException e) {
                unreadable.add(item(i, s, e));
            }
        }
        noneReadable(source, r, i, unreadable);
        boolean partial = partial(root);
        return new RangeResult(out, warnings(root, partial, unreadable), unreadable, partial);
    }

    /**
     * Every series unreadable: there is no answer left to show beside a warning, so it is a bad response (a tile then
     * keeps its last value, greyed, instead of claiming "no data").
     */
    private static void noneReadable(String source, HttpSource.Reply r, int total, List<String> unreadable) throws SourceException {
        if (total > 0 && unreadable.size() == total) {
            throw bad(source, r, "an unreadable result (" + (total == 1 ? "" : "none of " + total + " series could be read; ") + unreadable.getFirst() + ")");
        }
    }

    /** VictoriaMetrics (cluster) marks an answer some storage nodes did not contribute to with "isPartial": true. */
    private static boolean partial(JsonNode root) {
        return root.path("isPartial").asBoolean(false);
    }

    /** "series 2 {job="x"}: why" (the labels when they could be read, the position always). */
    private static String item(int i, JsonNode s, IllegalArgumentException e) {
        String name;
        try {
            name = " " + labels(s.path("metric"));
        } catch (IllegalArgumentException unreadableLabels) {
            name = "";
        }
        return "series " + i + name + ": " + e.getMessage();
    }

    /** query_exemplars: [{seriesLabels, exemplars: [{labels, value, timestamp}]}]; an unreadable item is reported and skipped. */
    static Exemplar.Result exemplars(String source, HttpSource.Reply r) throws SourceException {
        JsonNode root = envelope(source, r);
        JsonNode data = root.path("data");
        if (!data.isArray() && !data.isNull() && !data.isMissingNode()) throw bad(source, r, "exemplar data is not a list");
        List<Exemplar> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int i = 0;
        for (JsonNode s : array(data)) {
            i++;
            Map<String, String> series;
            try {
                series = labels(s.path("seriesLabels"));
            } catch (IllegalArgumentException e) {
                problems.add("series " + i + ": " + e.getMessage());
                continue;
            }
            JsonNode list = s.path("exemplars");
            if (!list.isArray()) {
                problems.add("series " + i + " " + series + ": exemplars is not a list");
                continue;
            }
            for (JsonNode e : list) {
                try {
                    out.add(new Exemplar(series, labels(e.path("labels")), value(e.get("value")), time(e.path("timestamp"))));
                } catch (IllegalArgumentException ex) {
                    problems.add("an exemplar of " + series + ": " + ex.getMessage());
                }
            }
        }
        return new Exemplar.Result(out, problems);
    }

    static List<Target> targets(String source, HttpSource.Reply r) throws SourceException {
        JsonNode root = envelope(source, r);
        try {
            return targets(root);
        } catch (IllegalArgumentException e) {
            throw bad(source, r, "an unreadable result (" + e.getMessage() + ")");
        }
    }

    private static List<Target> targets(JsonNode root) {
        List<Target> out = new ArrayList<>();
        for (JsonNode t : root.path("data").path("activeTargets")) {
            Map<String, String> labels = labels(t.path("labels"));
            out.add(new Target(labels.getOrDefault("job", t.path("scrapePool").asText()), labels.getOrDefault("instance", ""),
                    t.path("health").asText("unknown"), rfc3339(t.path("lastScrape")).orElse(null),
                    seconds(t.path("lastScrapeDuration")), t.path("lastError").asText(""), labels));
        }
        return out;
    }

    static List<RuleGroup> rules(String source, HttpSource.Reply r) throws SourceException {
        JsonNode root = envelope(source, r);
        try {
            return rules(root);
        } catch (IllegalArgumentException e) {
            throw bad(source, r, "an unreadable result (" + e.getMessage() + ")");
        }
    }

    private static List<RuleGroup> rules(JsonNode root) {
        List<RuleGroup> groups = new ArrayList<>();
        for (JsonNode g : root.path("data").path("groups")) {
            List<RuleGroup.Rule> rules = new ArrayList<>();
            for (JsonNode rule : g.path("rules")) {
                List<RuleGroup.Alert> alerts = new ArrayList<>();
                for (JsonNode a : rule.path("alerts")) {
                    double v;
                    try {
                        v = a.hasNonNull("value") ? value(a.get("value")) : Double.NaN;
                    } catch (IllegalArgumentException e) {
                        v = Double.NaN;
                    }
                    alerts.add(new RuleGroup.Alert(labels(a.path("labels")), labels(a.path("annotations")), a.path("state").asText(""),
                            rfc3339(a.path("activeAt")), v));
                }
                boolean alerting = "alerting".equals(rule.path("type").asText());
                rules.add(new RuleGroup.Rule(rule.path("name").asText(), alerting ? RuleGroup.Rule.Type.ALERTING : RuleGroup.Rule.Type.RECORDING,
                        rule.path("query").asText(""), rule.path("health").asText("unknown"), rule.path("lastError").asText(""),
                        rule.path("state").asText(""), seconds(rule.path("evaluationTime")), rfc3339(rule.path("lastEvaluation")),
                        labels(rule.path("labels")), alerts));
            }
            groups.add(new RuleGroup(g.path("name").asText(), g.path("file").asText(""), seconds(g.path("interval")),
                    seconds(g.path("evaluationTime")), rfc3339(g.path("lastEvaluation")), rules));
        }
        return groups;
    }

    /** A matrix series: float "values", native-histogram "histograms", or both (Prometheus sends both for a mixed series). */
    private static Series series(JsonNode s) {
        if (!s.isObject()) throw new IllegalArgumentException("not an object: " + HttpSource.snippet(s.toString()));
        Map<String, String> labels = labels(s.path("metric"));
        List<Series.Point> pts = new ArrayList<>();
        for (JsonNode v : array(s.path("values"))) pts.add(new Series.Point(time(pair(v).get(0)), value(pair(v).get(1))));
        List<Series.HistogramPoint> hs = new ArrayList<>();
        for (JsonNode v : array(s.path("histograms"))) hs.add(new Series.HistogramPoint(time(pair(v).get(0)), histogram(pair(v).get(1))));
        return new Series(labels, pts, hs);
    }

    /** {"count": "12.5", "sum": "42.1", "buckets": [[boundaries, "lower", "upper", "count"], ...]} (buckets may be absent). */
    static NativeHistogram histogram(JsonNode h) {
        if (!h.isObject()) throw new IllegalArgumentException("native histogram is not an object: " + HttpSource.snippet(h.toString()));
        List<NativeHistogram.Bucket> buckets = new ArrayList<>();
        for (JsonNode b : array(h.path("buckets"))) {
            if (!b.isArray() || b.size() != 4 || !b.get(0).canConvertToInt()) {
                throw new IllegalArgumentException("histogram bucket is not [boundaries, lower, upper, count]: " + HttpSource.snippet(b.toString()));
            }
            buckets.add(new NativeHistogram.Bucket(b.get(0).asInt(), value(b.get(1)), value(b.get(2)), value(b.get(3))));
        }
        return new NativeHistogram(value(h.get("count")), value(h.get("sum")), buckets);
    }

    private static JsonNode array(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) return JSON.createArrayNode();
        if (!n.isArray()) throw new IllegalArgumentException("expected a list, got " + n.getNodeType());
        return n;
    }

    /** A [time, "value"] pair. */
    private static JsonNode pair(JsonNode n) {
        if (!n.isArray() || n.size() != 2) throw new IllegalArgumentException("expected [time, value], got " + HttpSource.snippet(n.toString()));
        return n;
    }

    static Map<String, String> labels(JsonNode metric) {
        Map<String, String> m = new LinkedHashMap<>();
        if (metric.isObject()) metric.properties().forEach(e -> {
            // asText() of null is "null" and of an object "": both would be invented label values
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new IllegalArgumentException("label '" + e.getKey() + "' is not a string: " + HttpSource.snippet(e.getValue().toString()));
            }
            m.put(e.getKey(), e.getValue().asText());
        });
        return m;
    }

    private static List<String> warnings(JsonNode root, boolean partial, List<String> unreadable) {
        List<String> w = warnings(root);
        if (partial) w.add("partial result: the server says some of its storage did not answer (isPartial)");
        if (!unreadable.isEmpty()) {
            String named = String.join("; ", unreadable.subList(0, Math.min(NAMED, unreadable.size())));
            w.add(unreadable.size() + " series could not be read: " + named + (unreadable.size() > NAMED ? "; …" : ""));
        }
        return w;
    }

    private static List<String> warnings(JsonNode root) {
        List<String> w = new ArrayList<>();
        for (String key : new String[]{"warnings", "infos"}) {
            JsonNode n = root.path(key);
            // a server that sends one string instead of a list still said something: keep it
            if (n.isTextual()) w.add(n.asText());
            else n.forEach(x -> w.add(x.isValueNode() ? x.asText() : x.toString()));
        }
        return w;
    }

    /** Unix seconds with a fraction, exactly (no double rounding of the milliseconds). */
    static Instant time(JsonNode t) {
        if (!t.isNumber()) throw new IllegalArgumentException("timestamp is not a number: " + t);
        if (t.isDouble() && !Double.isFinite(t.doubleValue())) throw new IllegalArgumentException("timestamp out of range: " + t);
        BigDecimal s = t.decimalValue();
        // longValue() would wrap silently and invent a date
        if (s.abs().compareTo(BigDecimal.valueOf(Instant.MAX.getEpochSecond())) > 0) throw new IllegalArgumentException("timestamp out of range: " + t);
        return Instant.ofEpochSecond(s.longValue(), s.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }

    /** Prometheus sends sample values as strings: "NaN", "+Inf", "-Inf" included. */
    static double value(JsonNode v) {
        if (v == null || v.isNull()) throw new IllegalArgumentException("value missing");
        if (!v.isValueNode()) throw new IllegalArgumentException("sample value is not a number: " + HttpSource.snippet(v.toString()));
        String s = v.asText();
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("sample value is not a number: '" + HttpSource.snippet(s) + "'");
                }
            }
        };
    }

    private static Duration seconds(JsonNode n) {
        double s = n.asDouble(0);
        return Double.isFinite(s) && s > 0 ? Duration.ofNanos((long) (s * 1e9)) : Duration.ZERO;
    }

    /** RFC 3339 time; Prometheus' zero time (year 1) means "never". */
    private static Optional<Instant> rfc3339(JsonNode n) {
        String s = n.asText("");
        if (s.isEmpty() || s.startsWith("0001-")) return Optional.empty();
        try {
            return Optional.of(Instant.parse(s));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
