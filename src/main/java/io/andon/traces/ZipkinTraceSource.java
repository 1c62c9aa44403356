package io.andon.traces;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceException;
import okhttp3.HttpUrl;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zipkin's v2 query API (the stack's trace backend): services, span names, trace search and one trace. Search
 * values go through the URL's query encoding; tags become Zipkin's {@code annotationQuery}, where a value holding
 * the query's own separator would change its meaning and is refused instead.
 */
public final class ZipkinTraceSource implements TraceSource {
    private final TraceHttp http;

    public ZipkinTraceSource(String name, Endpoint endpoint) {
        this.http = new TraceHttp(name, endpoint);
    }

    public ZipkinTraceSource(Endpoint endpoint) { this("Zipkin", endpoint); }

    @Override public String name() { return http.name(); }

    @Override
    public List<String> services() throws SourceException {
        return strings(http.getJson(http.http.url("api/v2/services").build()), "services");
    }

    @Override
    public List<String> operations(String service) throws SourceException {
        if (service == null || service.isBlank()) return List.of();
        return strings(http.getJson(http.http.url("api/v2/spans").addQueryParameter("serviceName", service).build()), "span names");
    }

    private List<String> strings(JsonNode n, String what) throws SourceException {
        if (!n.isArray()) throw http.shape(what, "not a list of names", n);
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) if (x.isTextual()) out.add(x.asText());
        return out;
    }

    @Override
    public SearchResult search(TraceQuery q) throws SourceException {
        HttpUrl.Builder u = http.http.url("api/v2/traces");
        if (q.service() != null) u.addQueryParameter("serviceName", q.service());
        if (q.operation() != null) u.addQueryParameter("spanName", q.operation());
        // Zipkin wants minDuration positive and refuses maxDuration without it: "at most" is sent as 1 µs .. max
        long min = q.minDuration() == null ? 0 : q.minDuration().toNanos() / 1000;
        if (min > 0 || q.maxDuration() != null) u.addQueryParameter("minDuration", Long.toString(Math.max(1, min)));
        if (q.maxDuration() != null) u.addQueryParameter("maxDuration", Long.toString(Math.max(1, q.maxDuration().toNanos() / 1000)));
        String aq = annotationQuery(q.tags());
        if (!aq.isEmpty()) u.addQueryParameter("annotationQuery", aq);
        long end = q.to().toEpochMilli();
        u.addQueryParameter("endTs", Long.toString(end));
        u.addQueryParameter("lookback", Long.toString(Math.max(1, end - q.from().toEpochMilli())));
        u.addQueryParameter("limit", Integer.toString(q.limit()));
        JsonNode n = http.getJson(u.build());
        if (!n.isArray()) throw http.shape("search results", "not a list of traces", n);
        List<TraceSummary> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode t : n) {
            if (!t.isArray()) {
                problems.add("a search result that is not a list of spans: " + HttpSource.snippet(t.toString()));
                continue;
            }
            TraceHttp.Sink sink = new TraceHttp.Sink();
            for (JsonNode s : t) {
                if (!sink.room()) break;
                read(s, sink);
            }
            if (sink.spans.isEmpty()) {
                problems.add("a trace without a readable span: " + HttpSource.snippet(t.toString()));
                continue;
            }
            if (sink.skipped > 0) problems.add("trace " + sink.spans.getFirst().traceId() + ": " + sink.skipped + " unreadable span(s) left out");
            out.add(TraceHttp.summary(sink.spans));
        }
        return new SearchResult(TraceHttp.newestFirst(TraceHttp.withinDurations(out, q)), problems);
    }

    /**
     * Zipkin's annotationQuery: {@code key=value} (or a bare key) joined by {@code " and "}. Zipkin splits on that
     * separator and on the first '=', and has no escape: a key with '=' or a key or value holding " and " would be
     * read as another term, so it is refused rather than pasted.
     */
    public static String annotationQuery(Map<String, String> tags) {
        List<String> terms = new ArrayList<>();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(tags).entrySet()) {
            String k = e.getKey() == null ? "" : e.getKey().strip();
            String v = e.getValue();
            if (k.isEmpty()) throw new IllegalArgumentException("a tag needs a name");
            if (k.contains("=")) throw new IllegalArgumentException("tag name '" + k + "' must not contain '=' (Zipkin reads it as the value's start)");
            if (separates(k) || (v != null && separates(v))) {
                throw new IllegalArgumentException("tag " + k + ": Zipkin cannot search for text containing ' and ' (it separates the query's terms)");
            }
            terms.add(v == null || v.isEmpty() ? k : k + "=" + v);
        }
        return String.join(" and ", terms);
    }

    /** Zipkin splits with String.split(" and "): case-sensitive, so SQL's " AND " is safe and searchable. */
    private static boolean separates(String s) {
        return s.contains(" and ");
    }

    @Override
    public Trace trace(String traceId) throws SourceException {
        String id = TraceHttp.traceId(traceId);
        HttpSource.Reply r = http.get(http.http.url("api/v2/trace").addPathSegment(id).build());
        if (TraceHttp.traceMissing(r, id)) throw new TraceNotFoundException(name(), id);
        return http.spanList(r, id, ZipkinTraceSource::read);
    }

    /** One Zipkin v2 span into the sink, or a problem when its id, trace id or timestamp is missing. */
    static void read(JsonNode s, TraceHttp.Sink sink) {
        if (!s.isObject()) {
            sink.skip("not an object", s);
            return;
        }
        String id = TraceHttp.text(s.get("id"));
        String traceId = TraceHttp.text(s.get("traceId"));
        JsonNode ts = s.get("timestamp");
        if (id == null || id.isBlank() || traceId == null || traceId.isBlank()) {
            sink.skip("no id or trace id", s);
            return;
        }
        if (ts == null || !ts.canConvertToLong()) {
            sink.skip("no timestamp", s);
            return;
        }
        JsonNode dur = s.get("duration");
        if (dur != null && !dur.isNull() && !dur.canConvertToLong()) {
            sink.skip("a duration that is not a number", s);
            return;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode t = s.path("tags");
        if (t.isObject()) t.properties().forEach(e -> {
            String v = TraceHttp.text(e.getValue());
            tags.put(e.getKey(), v == null ? e.getValue().toString() : v);
        });
        List<Span.Event> events = new ArrayList<>();
        for (JsonNode a : s.path("annotations")) {
            if (!a.path("timestamp").canConvertToLong()) continue;
            events.add(event(a.path("timestamp").asLong(), a.path("value").asText("")));
        }
        boolean error = tags.containsKey("error") || "ERROR".equalsIgnoreCase(tags.get("otel.status_code"));
        String service = TraceHttp.text(s.path("localEndpoint").get("serviceName"));
        sink.add(new Span(traceId, id, TraceHttp.text(s.get("parentId")), s.path("name").asText(""), service == null ? "" : service,
                TraceHttp.kind(TraceHttp.text(s.get("kind"))), ts.asLong(), dur == null || dur.isNull() ? 0 : dur.asLong(), error, tags, events));
    }

    // the OpenTelemetry exporter writes an event as "name":{attributes} (older ones and the brief: name: {...}),
    // without escaping the values: a stack trace's newlines and quotes arrive raw
    private static final Pattern OTEL_EVENT = Pattern.compile("(?s)^\"?([^\"{]*?)\"?\\s*:\\s*(\\{.*})\\s*$");
    private static final Pattern KEY = Pattern.compile("(?<=[{,])\\s*\"([A-Za-z0-9_.\\-]+)\"\\s*:");
    private static final ObjectMapper LENIENT = JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER).build();

    /** A Zipkin annotation as an event: plain text is the event's name; an OpenTelemetry event keeps its attributes. */
    static Span.Event event(long ts, String value) {
        Matcher m = OTEL_EVENT.matcher(value);
        if (!m.matches() || m.group(1).isBlank()) return new Span.Event(ts, value, Map.of());
        return new Span.Event(ts, m.group(1).strip(), attributes(m.group(2)));
    }

    static Map<String, String> attributes(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode n = LENIENT.readTree(json);
            if (n != null && n.isObject()) {
                n.properties().forEach(e -> out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
                return out;
            }
        } catch (Exception notJson) {
            // a value with a raw quote inside: split on the keys instead (below)
        }
        // "k1":"v1","k2":"v2"}: each value runs to the comma before the next key
        Matcher k = KEY.matcher(json);
        List<int[]> keys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (k.find()) {
            keys.add(new int[]{k.start(), k.end()});
            names.add(k.group(1));
        }
        for (int i = 0; i < keys.size(); i++) {
            int from = keys.get(i)[1];
            int to = i + 1 < keys.size() ? keys.get(i + 1)[0] - 1 : json.lastIndexOf('}');
            String v = json.substring(from, Math.max(from, to)).strip();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            out.put(names.get(i), v);
        }
        return out;
    }

    @Override
    public Optional<URI> uiLink(String traceId) {
        try {
            return Optional.of(http.http.url("zipkin/traces").addPathSegment(TraceHttp.traceId(traceId)).build().uri());
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }
}
