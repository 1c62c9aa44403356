package io.andon.traces;

import com.fasterxml.jackson.databind.JsonNode;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceException;
import okhttp3.HttpUrl;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Grafana Tempo's HTTP API: one trace as OTLP JSON ({@code /api/traces/{id}}), search by logfmt tags (every Tempo
 * version) or TraceQL ({@link #withTraceQl}), and the service.name values. Tempo has no UI of its own, so
 * {@link #uiLink} is empty unless a link template is configured.
 */
public final class TempoTraceSource implements TraceSource {
    private final TraceHttp http;
    private final boolean traceQl;
    private final String uiTemplate;

    public TempoTraceSource(String name, Endpoint endpoint) { this(name, endpoint, false, null); }

    /**
     * @param traceQl    search with TraceQL ({@code q}, Tempo 2+) instead of logfmt {@code tags}
     * @param uiTemplate a link with {@code {traceId}} in it (a Grafana Explore URL), or null for none
     */
    public TempoTraceSource(String name, Endpoint endpoint, boolean traceQl, String uiTemplate) {
        this.http = new TraceHttp(name, endpoint);
        this.traceQl = traceQl;
        this.uiTemplate = uiTemplate;
    }

    public TempoTraceSource withTraceQl(boolean on) { return new TempoTraceSource(name(), http.http.endpoint(), on, uiTemplate); }

    @Override public String name() { return http.name(); }

    @Override
    public List<String> services() throws SourceException {
        return tagValues("resource.service.name", "service.name", null);
    }

    @Override
    public List<String> operations(String service) throws SourceException {
        if (service == null || service.isBlank()) return List.of();
        return tagValues("name", null, "{ resource.service.name = " + quote(service) + " }");
    }

    /** Tempo 2's /api/v2/search/tag/{tag}/values; Tempo 1's /api/search/tag/{tag}/values when v2 is not there. */
    private List<String> tagValues(String v2Tag, String v1Tag, String q) throws SourceException {
        HttpUrl.Builder u = http.http.url("api/v2/search/tag").addPathSegment(v2Tag).addPathSegment("values");
        if (q != null) u.addQueryParameter("q", q);
        HttpSource.Reply r = http.get(u.build());
        if (r.status() == 404 && v1Tag != null) r = http.get(http.http.url("api/search/tag").addPathSegment(v1Tag).addPathSegment("values").build());
        JsonNode n = http.parse(r);
        JsonNode values = n.path("tagValues");
        if (!values.isArray()) throw http.shape("tag values", "no list of tagValues", n);
        List<String> out = new ArrayList<>();
        for (JsonNode v : values) {
            String s = v.isObject() ? TraceHttp.text(v.get("value")) : TraceHttp.text(v);
            if (s != null) out.add(s);
        }
        return out;
    }

    @Override
    public SearchResult search(TraceQuery q) throws SourceException {
        HttpUrl.Builder u = http.http.url("api/search");
        if (traceQl) {
            u.addQueryParameter("q", traceQl(q));
        } else {
            String tags = logfmt(q);
            if (!tags.isEmpty()) u.addQueryParameter("tags", tags);
            if (q.minDuration() != null) u.addQueryParameter("minDuration", TraceHttp.goDuration(q.minDuration()));
            if (q.maxDuration() != null) u.addQueryParameter("maxDuration", TraceHttp.goDuration(q.maxDuration()));
        }
        u.addQueryParameter("start", Long.toString(q.from().getEpochSecond()));
        // end is whole seconds too: rounded up so the last partial second is searched
        u.addQueryParameter("end", Long.toString(q.to().getEpochSecond() + (q.to().getNano() > 0 ? 1 : 0)));
        u.addQueryParameter("limit", Integer.toString(q.limit()));
        return parseSearch(http, http.getJson(u.build()));
    }

    static SearchResult parseSearch(TraceHttp http, JsonNode n) throws SourceException {
        if (!n.isObject() || !n.path("traces").isArray()) {
            if (n.isObject() && !n.has("traces")) return new SearchResult(List.of(), List.of()); // Tempo leaves the list out when nothing matched
            throw http.shape("search results", "no list of traces", n);
        }
        List<TraceSummary> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode t : n.get("traces")) {
            String id = TraceHttp.text(t.get("traceID"));
            JsonNode start = t.get("startTimeUnixNano");
            if (id == null || start == null || !start.asText("").matches("\\d+")) {
                problems.add("a search result without traceID or startTimeUnixNano: " + HttpSource.snippet(t.toString()));
                continue;
            }
            long ms = t.path("durationMs").asLong(0);
            List<String> services = new ArrayList<>();
            String root = t.path("rootServiceName").asText("");
            if (!root.isEmpty()) services.add(root);
            int matched = 0;
            for (JsonNode set : t.path("spanSets")) matched += set.path("matched").asInt(0);
            // Tempo's search says neither the span count nor the errors of a hit: the matched spans are the most it
            // tells (0 = unknown; the whole trace says the rest)
            out.add(new TraceSummary(id, root, t.path("rootTraceName").asText(""), nanos(start.asText()), ms * 1000, matched, 0, services));
        }
        return new SearchResult(TraceHttp.newestFirst(out), problems);
    }

    /**
     * Tempo's logfmt {@code tags}: service.name, name and each tag as {@code key="value"}, the value's backslashes
     * and quotes escaped. Keys cannot be quoted in logfmt, so a key with a space, '=' or '"' is refused.
     */
    public static String logfmt(TraceQuery q) {
        Map<String, String> all = new LinkedHashMap<>();
        if (q.service() != null) all.put("service.name", q.service());
        if (q.operation() != null) all.put("name", q.operation());
        new java.util.TreeMap<>(q.tags()).forEach(all::put);
        List<String> terms = new ArrayList<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            String k = key(e.getKey());
            terms.add(k + "=\"" + (e.getValue() == null ? "" : e.getValue()).replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"");
        }
        return String.join(" ", terms);
    }

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:/\\-]+");

    private static String key(String k) {
        String s = k == null ? "" : k.strip();
        if (!KEY.matcher(s).matches()) throw new IllegalArgumentException("tag name '" + HttpSource.snippet(k) + "' may hold only letters, digits and _ . : / -");
        return s;
    }

    /**
     * The same search as TraceQL: {@code { resource.service.name = "..." && name = "..." && .key = "..." &&
     * traceDuration >= 1500us }}, string values quoted with TraceQL's escapes. Tag values are compared as strings, so a
     * numeric attribute (http.status_code) is matched by its number when the value is one.
     */
    public static String traceQl(TraceQuery q) {
        List<String> terms = new ArrayList<>();
        if (q.service() != null) terms.add("resource.service.name = " + quote(q.service()));
        if (q.operation() != null) terms.add("name = " + quote(q.operation()));
        new java.util.TreeMap<>(q.tags()).forEach((k, v) -> {
            String val = v == null ? "" : v;
            terms.add("." + key(k) + " = " + (val.matches("-?\\d{1,18}") ? val : quote(val)));
        });
        // traceDuration (Tempo 2.2+): the whole trace, as the tags search's min/maxDuration and the scatter plot
        if (q.minDuration() != null) terms.add("traceDuration >= " + TraceHttp.goDuration(q.minDuration()));
        if (q.maxDuration() != null) terms.add("traceDuration <= " + TraceHttp.goDuration(q.maxDuration()));
        return terms.isEmpty() ? "{}" : "{ " + String.join(" && ", terms) + " }";
    }

    /** A TraceQL string literal: backslash, quote and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    @Override
    public Trace trace(String traceId) throws SourceException {
        String id = TraceHttp.traceId(traceId);
        HttpSource.Reply r = http.get(http.http.url("api/traces").addPathSegment(id).build());
        if (TraceHttp.traceMissing(r, id)) throw new TraceNotFoundException(name(), id);
        return parse(http, id, http.parse(r));
    }

    /** OTLP JSON: {@code batches} (Tempo up to 2.x), {@code resourceSpans}, or /api/v2's {@code {"trace": ...}}. */
    static Trace parse(TraceHttp http, String id, JsonNode root) throws SourceException {
        JsonNode n = root.isObject() && root.path("trace").isObject() ? root.get("trace") : root;
        JsonNode batches = n.isObject() ? (n.has("batches") ? n.get("batches") : n.get("resourceSpans")) : null;
        if (batches == null || !batches.isArray()) {
            // Tempo 2's v2 answer for an unknown id in a search window: {} or {"trace":{}}
            if (n.isObject() && n.isEmpty() && id != null) throw new TraceNotFoundException(http.name(), id);
            throw http.shape("trace", "no batches or resourceSpans", root);
        }
        TraceHttp.Sink sink = new TraceHttp.Sink();
        outer:
        for (JsonNode b : batches) {
            String service = "";
            for (JsonNode a : b.path("resource").path("attributes")) {
                if ("service.name".equals(a.path("key").asText())) service = value(a.path("value"));
            }
            JsonNode scopes = b.has("scopeSpans") ? b.get("scopeSpans") : b.path("instrumentationLibrarySpans");
            for (JsonNode scope : scopes) {
                for (JsonNode s : scope.path("spans")) {
                    if (!sink.room()) break outer;
                    read(s, service, sink);
                }
            }
        }
        return sink.trace(id);
    }

    static void read(JsonNode s, String service, TraceHttp.Sink sink) {
        if (!s.isObject()) {
            sink.skip("not an object", s);
            return;
        }
        String id = id(TraceHttp.text(s.get("spanId")));
        String traceId = id(TraceHttp.text(s.get("traceId")));
        if (id == null || traceId == null) {
            sink.skip("no readable spanId or traceId", s);
            return;
        }
        String start = TraceHttp.text(s.get("startTimeUnixNano"));
        String end = TraceHttp.text(s.get("endTimeUnixNano"));
        if (start == null || end == null || !start.matches("\\d+") || !end.matches("\\d+")) {
            sink.skip("no startTimeUnixNano or endTimeUnixNano", s);
            return;
        }
        long startUs = Long.parseUnsignedLong(start) / 1000;
        long endUs = Long.parseUnsignedLong(end) / 1000;
        Map<String, String> tags = attributes(s.path("attributes"));
        List<Span.Event> events = new ArrayList<>();
        for (JsonNode e : s.path("events")) {
            String t = TraceHttp.text(e.get("timeUnixNano"));
            if (t == null || !t.matches("\\d+")) continue;
            events.add(new Span.Event(Long.parseUnsignedLong(t) / 1000, e.path("name").asText(""), attributes(e.path("attributes"))));
        }
        String code = s.path("status").path("code").asText("");
        boolean error = code.equals("2") || code.equalsIgnoreCase("STATUS_CODE_ERROR");
        String msg = TraceHttp.text(s.path("status").get("message"));
        if (msg != null && !msg.isEmpty()) tags.put("otel.status_description", msg);
        String parent = TraceHttp.text(s.get("parentSpanId"));
        sink.add(new Span(traceId, id, parent == null || parent.isEmpty() ? null : id(parent), s.path("name").asText(""), service,
                TraceHttp.kind(TraceHttp.text(s.get("kind"))), startUs, Math.max(0, endUs - startUs), error, tags, events));
    }

    private static Map<String, String> attributes(JsonNode list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode a : list) {
            String k = TraceHttp.text(a.get("key"));
            if (k != null) out.put(k, value(a.path("value")));
        }
        return out;
    }

    /** An OTLP AnyValue as text: the one field it carries; arrays and maps as their JSON. */
    static String value(JsonNode v) {
        if (!v.isObject() || v.isEmpty()) return TraceHttp.text(v) == null ? "" : v.asText();
        Map.Entry<String, JsonNode> e = v.properties().iterator().next();
        return switch (e.getKey()) {
            case "arrayValue", "kvlistValue" -> e.getValue().toString();
            default -> e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString();
        };
    }

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{16}|[0-9a-fA-F]{32}");

    /**
     * An OTLP id as lower-case hex: protobuf's JSON mapping sends bytes as base64 (Tempo does), the OTLP/JSON spec
     * as hex. 16 or 32 hex digits are hex (no base64 of 8 or 16 bytes is that long without padding); else base64.
     */
    static String id(String s) {
        if (s == null || s.isBlank()) return null;
        if (HEX.matcher(s).matches()) return s.toLowerCase(Locale.ROOT);
        try {
            byte[] b = Base64.getDecoder().decode(s);
            return b.length == 0 ? null : HexFormat.of().formatHex(b);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private static Instant nanos(String n) {
        long v = Long.parseUnsignedLong(n);
        return Instant.ofEpochSecond(Long.divideUnsigned(v, 1_000_000_000L), Long.remainderUnsigned(v, 1_000_000_000L));
    }

    @Override
    public Optional<URI> uiLink(String traceId) {
        if (uiTemplate == null || uiTemplate.isBlank()) return Optional.empty();
        try {
            return Optional.of(URI.create(uiTemplate.replace("{traceId}", TraceHttp.traceId(traceId))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
