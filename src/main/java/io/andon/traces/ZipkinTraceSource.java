package io.andon.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceError;
import io.andon.net.SourceException;
import okhttp3.HttpUrl;
import okhttp3.Request;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Zipkin's v2 query API (the stack's trace backend). A minimal reader for the console side: services, span names,
 * search, one trace. The {@code client} branch carries the fuller one (large answers, more checks); this keeps its
 * constructor shape. Query values go in as query parameters (okhttp encodes them), never into a URL string.
 */
public final class ZipkinTraceSource implements TraceSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The exporter writes a stack trace's line breaks and tabs into the event's JSON unescaped. */
    private static final ObjectMapper EVENT_JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();
    private final HttpSource http;
    private final Endpoint endpoint;

    public ZipkinTraceSource(String name, Endpoint endpoint) {
        this.http = new HttpSource(name, endpoint);
        this.endpoint = endpoint;
    }

    @Override public String name() { return http.name(); }

    @Override
    public List<String> services() throws SourceException {
        return strings(get(http.url("api/v2/services")));
    }

    @Override
    public List<String> operations(String service) throws SourceException {
        if (service == null || service.isBlank()) return List.of();
        return strings(get(http.url("api/v2/spans").addQueryParameter("serviceName", service)));
    }

    @Override
    public SearchResult search(TraceQuery q) throws SourceException {
        HttpUrl.Builder u = http.url("api/v2/traces");
        if (q.service() != null) u.addQueryParameter("serviceName", q.service());
        if (q.operation() != null) u.addQueryParameter("spanName", q.operation());
        if (q.minDuration() != null) u.addQueryParameter("minDuration", Long.toString(q.minDuration().toNanos() / 1000));
        if (q.maxDuration() != null) u.addQueryParameter("maxDuration", Long.toString(q.maxDuration().toNanos() / 1000));
        if (!q.tags().isEmpty()) {
            // Zipkin's annotationQuery joins terms with " and ": a value holding that word would split into two terms
            List<String> terms = new ArrayList<>();
            q.tags().forEach((k, v) -> {
                if (k.contains("=") || k.toLowerCase(java.util.Locale.ROOT).contains(" and ") || v.toLowerCase(java.util.Locale.ROOT).contains(" and ")) {
                    throw new IllegalArgumentException("tag " + k + ": Zipkin cannot search a key with '=' or a text with ' and '");
                }
                terms.add(v.isEmpty() ? k : k + "=" + v);
            });
            u.addQueryParameter("annotationQuery", String.join(" and ", terms));
        }
        u.addQueryParameter("endTs", Long.toString(q.to().toEpochMilli()));
        u.addQueryParameter("lookback", Long.toString(Math.max(1, q.to().toEpochMilli() - q.from().toEpochMilli())));
        u.addQueryParameter("limit", Integer.toString(q.limit()));
        JsonNode root = get(u);
        if (!root.isArray()) throw bad("a trace search answer that is not a list");
        List<TraceSummary> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int i = 0;
        for (JsonNode t : root) {
            i++;
            try {
                List<Span> spans = spans(t, problems);
                if (spans.isEmpty()) continue;
                out.add(summary(spans));
            } catch (RuntimeException e) {
                problems.add("trace " + i + " of the answer could not be read: " + e.getMessage());
            }
        }
        out.sort(java.util.Comparator.comparing(TraceSummary::start).reversed());
        return new SearchResult(out, problems);
    }

    @Override
    public Trace trace(String traceId) throws SourceException {
        String id = traceId == null ? "" : traceId.strip().toLowerCase(java.util.Locale.ROOT);
        // Zipkin ids are 16 or 32 hex digits; anything else cannot be a trace of it (and never reaches the URL)
        if (!id.matches("[0-9a-f]{16}|[0-9a-f]{32}")) throw new TraceNotFoundException(name(), traceId);
        HttpSource.Reply r = http.execute(new Request.Builder().url(http.url("api/v2/trace").addPathSegment(id).build()).get().build(), true);
        if (r.status() == 404) throw new TraceNotFoundException(name(), id);
        JsonNode root = parse(r);
        if (!root.isArray()) throw bad("a trace answer that is not a list of spans");
        List<String> problems = new ArrayList<>();
        List<Span> spans = spans(root, problems);
        if (spans.isEmpty() && problems.isEmpty()) throw new TraceNotFoundException(name(), id);
        return new Trace(id, spans, problems, false);
    }

    @Override
    public Optional<URI> uiLink(String traceId) {
        if (traceId == null || !traceId.matches("[0-9a-fA-F]{16,32}")) return Optional.empty();
        return Optional.of(URI.create(http.url("zipkin/traces").addPathSegment(traceId).build().toString()));
    }

    private static TraceSummary summary(List<Span> spans) {
        Span root = spans.stream().filter(s -> s.parentId() == null).min(java.util.Comparator.comparingLong(Span::startMicros))
                .orElse(spans.stream().min(java.util.Comparator.comparingLong(Span::startMicros)).orElseThrow());
        long start = spans.stream().mapToLong(Span::startMicros).min().orElse(0);
        long end = spans.stream().mapToLong(Span::endMicros).max().orElse(0);
        LinkedHashSet<String> services = new LinkedHashSet<>();
        spans.forEach(s -> { if (s.service() != null) services.add(s.service()); });
        int errors = (int) spans.stream().filter(Span::error).count();
        return new TraceSummary(root.traceId(), root.service(), root.name(), Instant.ofEpochSecond(start / 1_000_000, (start % 1_000_000) * 1000),
                end - start, spans.size(), errors, List.copyOf(services));
    }

    /** One unreadable span is reported and skipped; the rest of the trace is kept. */
    private static List<Span> spans(JsonNode arr, List<String> problems) {
        List<Span> out = new ArrayList<>();
        if (!arr.isArray()) {
            problems.add("a trace that is not a list of spans");
            return out;
        }
        for (JsonNode s : arr) {
            try {
                out.add(span(s));
            } catch (RuntimeException e) {
                problems.add("span " + s.path("id").asText("?") + " skipped: " + e.getMessage());
            }
        }
        return out;
    }

    static Span span(JsonNode s) {
        String traceId = text(s, "traceId"), id = text(s, "id");
        if (traceId == null || id == null) throw new IllegalArgumentException("no traceId or id");
        Map<String, String> tags = new LinkedHashMap<>();
        s.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        List<Span.Event> events = new ArrayList<>();
        for (JsonNode a : s.path("annotations")) {
            String v = a.path("value").asText("");
            events.add(event(a.path("timestamp").asLong(), v));
        }
        Span.Kind kind;
        try {
            kind = s.hasNonNull("kind") ? Span.Kind.valueOf(s.get("kind").asText()) : Span.Kind.INTERNAL;
        } catch (IllegalArgumentException e) {
            kind = Span.Kind.INTERNAL;
        }
        String service = s.path("localEndpoint").path("serviceName").asText(null);
        return new Span(traceId, id, text(s, "parentId"), s.path("name").asText(""), service, kind,
                s.path("timestamp").asLong(0), s.path("duration").asLong(0), tags.containsKey("error"), tags, events);
    }

    /**
     * The OpenTelemetry Zipkin exporter writes an event as one annotation {@code "name":{attributes as JSON}};
     * the attributes are unpacked so an exception's type, message and stack read as fields. Any other annotation
     * keeps its text as the event's name.
     */
    static Span.Event event(long ts, String value) {
        int sep = value.indexOf("\":{");
        if (value.startsWith("\"") && sep > 0 && value.endsWith("}")) {
            try {
                JsonNode attrs = EVENT_JSON.readTree(value.substring(sep + 2));
                Map<String, String> m = new LinkedHashMap<>();
                attrs.properties().forEach(e -> m.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
                return new Span.Event(ts, value.substring(1, sep), m);
            } catch (Exception notJson) {
                // a plain annotation that only looks like one
            }
        }
        return new Span.Event(ts, value, Map.of());
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private JsonNode get(HttpUrl.Builder u) throws SourceException {
        HttpSource.Reply r = http.execute(new Request.Builder().url(u.build()).get().build(), true);
        return parse(r);
    }

    private JsonNode parse(HttpSource.Reply r) throws SourceException {
        if (r.status() != 200) throw new SourceException(name(), new SourceError.BadResponse(r.status(), r.contentType(), snippet(r.body()), "HTTP " + r.status()));
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new SourceException(name(), new SourceError.BadResponse(r.status(), r.contentType(), snippet(r.body()), "not JSON"), e);
        }
    }

    private SourceException bad(String what) {
        return new SourceException(name(), new SourceError.BadResponse(200, "application/json", "", what));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : n) if (s.isTextual()) out.add(s.asText());
        return out;
    }

    private static String snippet(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @Override public String toString() { return name() + " " + endpoint.url(); }
}
