package io.andon.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Jaeger's query service HTTP JSON API ({@code /api/...} of jaeger-query or Jaeger v2's query extension, the one
 * its UI uses): services, operations, search and one trace. The plant's spec names Jaeger; it cannot run on these
 * machines, so the parsing is tested on answers recorded in Jaeger's own repositories.
 */
public final class JaegerTraceSource implements TraceSource {
    private final TraceHttp http;

    public JaegerTraceSource(String name, Endpoint endpoint) {
        this.http = new TraceHttp(name, endpoint);
    }

    public JaegerTraceSource(Endpoint endpoint) { this("Jaeger", endpoint); }

    @Override public String name() { return http.name(); }

    @Override
    public List<String> services() throws SourceException {
        return names(envelope(http.getJson(http.http.url("api/services").build()), "services"), "services");
    }

    @Override
    public List<String> operations(String service) throws SourceException {
        if (service == null || service.isBlank()) return List.of();
        return names(envelope(http.getJson(http.http.url("api/services").addPathSegment(service).addPathSegment("operations").build()), "operations"), "operations");
    }

    private List<String> names(JsonNode data, String what) throws SourceException {
        if (!data.isArray()) throw http.shape(what, "not a list of names", data);
        List<String> out = new ArrayList<>();
        for (JsonNode x : data) if (x.isTextual()) out.add(x.asText());
        return out;
    }

    /** Jaeger's {data, errors} envelope: its data, or its own error message when data is null. */
    private JsonNode envelope(JsonNode root, String what) throws SourceException {
        if (!root.isObject()) throw http.shape(what, "not a Jaeger answer {data, errors}", root);
        JsonNode data = root.get("data");
        if (data == null || data.isNull()) {
            String errors = errors(root);
            if (!errors.isEmpty()) throw new SourceException(SourceException.Kind.API_ERROR, name() + " rejected the request: " + errors, 200, null);
            throw http.shape(what, "no data", root);
        }
        return data;
    }

    private static String errors(JsonNode root) {
        List<String> m = new ArrayList<>();
        for (JsonNode e : root.path("errors")) m.add(e.path("msg").asText(e.toString()));
        return HttpSource.snippet(String.join("; ", m));
    }

    @Override
    public SearchResult search(TraceQuery q) throws SourceException {
        if (q.service() == null) throw new IllegalArgumentException("Jaeger searches within one service: choose a service");
        HttpUrl.Builder u = http.http.url("api/traces").addQueryParameter("service", q.service());
        if (q.operation() != null) u.addQueryParameter("operation", q.operation());
        if (!q.tags().isEmpty()) {
            // the tags parameter is a JSON object: built by Jackson, so a quote in a value stays a quote
            ObjectNode t = TraceHttp.JSON.createObjectNode();
            new java.util.TreeMap<>(q.tags()).forEach((k, v) -> t.put(k, v == null ? "" : v));
            u.addQueryParameter("tags", t.toString());
        }
        if (q.minDuration() != null) u.addQueryParameter("minDuration", TraceHttp.goDuration(q.minDuration()));
        if (q.maxDuration() != null) u.addQueryParameter("maxDuration", TraceHttp.goDuration(q.maxDuration()));
        u.addQueryParameter("start", Long.toString(TraceHttp.micros(q.from())));
        u.addQueryParameter("end", Long.toString(TraceHttp.micros(q.to())));
        u.addQueryParameter("limit", Integer.toString(q.limit()));
        JsonNode root = http.getJson(u.build());
        JsonNode data = envelope(root, "search results");
        if (!data.isArray()) throw http.shape("search results", "data is not a list of traces", data);
        List<TraceSummary> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode t : data) {
            Trace tr = readTrace(t, null);
            if (tr.spans().isEmpty()) {
                problems.add("a trace without a readable span: " + HttpSource.snippet(t.toString()));
                continue;
            }
            if (!tr.problems().isEmpty()) problems.add("trace " + tr.traceId() + ": " + tr.problems().getFirst());
            out.add(TraceHttp.summary(tr.spans()));
        }
        // Jaeger answers what it found and lists what failed (a storage shard, a trace it could not read) beside it
        String errors = errors(root);
        if (!errors.isEmpty()) problems.add(name() + ": " + errors);
        return new SearchResult(TraceHttp.newestFirst(TraceHttp.withinDurations(out, q)), problems);
    }

    @Override
    public Trace trace(String traceId) throws SourceException {
        String id = TraceHttp.traceId(traceId);
        HttpSource.Reply r = http.get(http.http.url("api/traces").addPathSegment(id).build());
        if (TraceHttp.traceMissing(r, id)) throw new TraceNotFoundException(name(), id);
        JsonNode root = http.parse(r);
        return parse(http, id, root);
    }

    /**
     * A trace from any of the shapes Jaeger answers it in: the API's {@code {"data":[trace]}}, the UI's
     * {@code {"data":trace}}, or the bare trace object {@code {traceID, spans, processes}}.
     */
    static Trace parse(TraceHttp http, String id, JsonNode root) throws SourceException {
        JsonNode t = root;
        if (root.isObject() && root.has("data")) {
            JsonNode data = root.get("data");
            if (data == null || data.isNull() || data.isArray() && data.isEmpty()) {
                String errors = errors(root);
                if (errors.contains("not found") && id != null) throw new TraceNotFoundException(http.name(), id);
                if (!errors.isEmpty()) throw new SourceException(SourceException.Kind.API_ERROR, http.name() + " rejected the request: " + errors, 200, null);
                if (id != null) throw new TraceNotFoundException(http.name(), id);
                throw http.shape("trace", "no data", root);
            }
            t = data.isArray() ? data.get(0) : data;
        }
        if (!t.isObject() || !t.path("spans").isArray()) throw http.shape("trace", "no list of spans", root);
        return readTrace(t, id);
    }

    /** One trace object: spans with their processes' services, CHILD_OF (else FOLLOWS_FROM) of the same trace as parent. */
    static Trace readTrace(JsonNode t, String id) {
        TraceHttp.Sink sink = new TraceHttp.Sink();
        if (!t.isObject()) {
            sink.skip("a trace that is not an object", t);
            return sink.trace(id);
        }
        Map<String, String> services = new LinkedHashMap<>();
        t.path("processes").properties().forEach(e -> services.put(e.getKey(), e.getValue().path("serviceName").asText("")));
        for (JsonNode w : t.path("warnings")) if (w.isTextual()) sink.problems.add("Jaeger: " + w.asText());
        for (JsonNode s : t.path("spans")) {
            if (!sink.room()) break;
            read(s, services, sink);
        }
        return sink.trace(id != null ? id : TraceHttp.text(t.get("traceID")));
    }

    static void read(JsonNode s, Map<String, String> services, TraceHttp.Sink sink) {
        if (!s.isObject()) {
            sink.skip("not an object", s);
            return;
        }
        String id = TraceHttp.text(s.get("spanID"));
        String traceId = TraceHttp.text(s.get("traceID"));
        if (id == null || id.isBlank() || traceId == null || traceId.isBlank()) {
            sink.skip("no spanID or traceID", s);
            return;
        }
        if (!s.path("startTime").canConvertToLong() || !s.path("duration").canConvertToLong()) {
            sink.skip("no startTime or duration in microseconds", s);
            return;
        }
        String parent = null;
        String follows = null;
        for (JsonNode ref : s.path("references")) {
            String rid = TraceHttp.text(ref.get("spanID"));
            String rtrace = TraceHttp.text(ref.get("traceID"));
            // a reference into another trace is a link, not a parent (Jaeger's own converter does the same)
            if (rid == null || rtrace != null && !TraceHttp.sameId(rtrace, traceId)) continue;
            if ("CHILD_OF".equals(ref.path("refType").asText()) && parent == null) parent = rid;
            else if ("FOLLOWS_FROM".equals(ref.path("refType").asText()) && follows == null) follows = rid;
        }
        if (parent == null) parent = follows;
        if (parent == null && s.hasNonNull("parentSpanID")) parent = TraceHttp.text(s.get("parentSpanID"));
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode kv : s.path("tags")) {
            String k = TraceHttp.text(kv.get("key"));
            if (k == null) continue;
            String v = TraceHttp.text(kv.get("value"));
            tags.put(k, v == null ? kv.path("value").toString() : v);
        }
        List<Span.Event> events = new ArrayList<>();
        for (JsonNode log : s.path("logs")) {
            if (!log.path("timestamp").canConvertToLong()) continue;
            String name = null;
            Map<String, String> attrs = new LinkedHashMap<>();
            for (JsonNode f : log.path("fields")) {
                String k = TraceHttp.text(f.get("key"));
                String v = TraceHttp.text(f.get("value"));
                if (k == null) continue;
                if (k.equals("event") && name == null) name = v;
                else attrs.put(k, v == null ? f.path("value").toString() : v);
            }
            events.add(new Span.Event(log.path("timestamp").asLong(), name == null ? "log" : name, attrs));
        }
        // Jaeger's own complaints about a span (clock skew it adjusted, an invalid parent): kept for the person
        for (JsonNode w : s.path("warnings")) if (w.isTextual() && sink.problems.size() < 10) sink.problems.add("Jaeger: span " + id + ": " + w.asText());
        String service = services.get(s.path("processID").asText(""));
        if (service == null) service = s.path("process").path("serviceName").asText("");
        boolean error = "true".equalsIgnoreCase(tags.get("error")) || "ERROR".equalsIgnoreCase(tags.get("otel.status_code"));
        sink.add(new Span(traceId, id, parent, s.path("operationName").asText(""), service, TraceHttp.kind(tags.get("span.kind")),
                s.path("startTime").asLong(), s.path("duration").asLong(), error, tags, events));
    }

    @Override
    public Optional<URI> uiLink(String traceId) {
        try {
            return Optional.of(http.http.url("trace").addPathSegment(TraceHttp.traceId(traceId)).build().uri());
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }
}
