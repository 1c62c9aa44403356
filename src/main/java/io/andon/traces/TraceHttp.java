package io.andon.traces;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.JsonProblem;
import io.andon.net.SourceException;
import okhttp3.HttpUrl;
import okhttp3.Request;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the three trace clients share: GETs through {@link HttpSource} (timeouts, credentials, site CA, the
 * endpoint's byte cap, retries), the body turned into JSON or into a message a person can read, and the span cap.
 * The byte cap bounds the tree Jackson builds; the span cap bounds what the waterfall is given.
 */
final class TraceHttp {
    /** More spans than this and the trace is cut: {@link Trace#truncated()}, the first ones kept. */
    static final int MAX_SPANS = 20_000;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** For reading one span at a time: the same, without the trailing-token check (the rest of the list follows). */
    private static final ObjectMapper STREAM = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{1,32}");

    final HttpSource http;

    TraceHttp(String name, Endpoint endpoint) {
        this.http = new HttpSource(name, endpoint);
    }

    String name() { return http.name(); }

    /** GET, every status returned as it came (callers decide what a 404 means). */
    HttpSource.Reply get(HttpUrl url) throws SourceException {
        return http.execute(new Request.Builder().url(url).get().header("Accept", "application/json").build(), true);
    }

    /** GET that must answer 2xx with JSON. */
    JsonNode getJson(HttpUrl url) throws SourceException {
        return parse(get(url));
    }

    JsonNode parse(HttpSource.Reply r) throws SourceException {
        checkAnswer(r);
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n == null || n.isMissingNode()) throw new IllegalArgumentException("empty");
            return n;
        } catch (Exception e) {
            throw badJson(r, e);
        }
    }

    /** A 2xx with a body, else the status and what the body says. */
    private void checkAnswer(HttpSource.Reply r) throws SourceException {
        if (r.status() / 100 != 2) {
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, name() + " answered HTTP " + r.status() + ": " + HttpSource.readable(r), r.status(), null);
        }
        if (r.body() == null || r.body().isBlank()) {
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, name() + " answered HTTP " + r.status() + " with an empty body", r.status(), null);
        }
    }

    private SourceException badJson(HttpSource.Reply r, Exception e) {
        String what = e instanceof JsonProcessingException j && JsonProblem.truncated(j) ? "a cut-off JSON body"
                : "no valid JSON" + (e instanceof JsonProcessingException j ? JsonProblem.detail(j) : "");
        return new SourceException(SourceException.Kind.BAD_RESPONSE, name() + " sent " + what + " ("
                + (r.contentType().isEmpty() ? "no content type" : r.contentType()) + "): " + HttpSource.readable(r), r.status(), null);
    }

    /**
     * A trace that is a JSON list of spans (Zipkin's), read span by span with Jackson's streaming parser: only one
     * span is a tree at a time, and spans past {@link #MAX_SPANS} are skipped without being built. The whole
     * list is still checked to be valid JSON (a cut-off answer is an error, not a shorter trace).
     */
    Trace spanList(HttpSource.Reply r, String id, java.util.function.BiConsumer<JsonNode, Sink> read) throws SourceException {
        checkAnswer(r);
        Sink sink = new Sink();
        try (com.fasterxml.jackson.core.JsonParser p = STREAM.createParser(r.body())) {
            com.fasterxml.jackson.core.JsonToken t = p.nextToken();
            if (t != com.fasterxml.jackson.core.JsonToken.START_ARRAY) throw shape("trace", "not a list of spans", parse(r));
            while ((t = p.nextToken()) != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                if (t == null) throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "Unexpected end-of-input: expected close marker for Array");
                if (sink.room()) {
                    JsonNode n = p.readValueAsTree();
                    read.accept(n, sink);
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) throw new com.fasterxml.jackson.core.JsonParseException(p, "Trailing token after the list of spans");
        } catch (SourceException e) {
            throw e;
        } catch (Exception e) {
            throw badJson(r, e);
        }
        return sink.trace(id);
    }

    /**
     * A 404 that means "no such trace": an empty body (Tempo), the id echoed (Zipkin's "{id} not found"), or the
     * words (Jaeger's "trace not found"). Any other 404 (Go's "404 page not found", a proxy's page) is a wrong URL
     * and is reported as the HTTP error it is, not as a missing trace.
     */
    static boolean traceMissing(HttpSource.Reply r, String id) {
        if (r.status() != 404) return false;
        String b = r.body() == null ? "" : r.body().toLowerCase(Locale.ROOT);
        // Zipkin echoes the id normalised (a 128-bit id with a zero upper half as 16 digits): match without leading zeros
        if (b.contains("page not found")) return false;
        return b.isBlank() || b.contains(strip(id)) || b.contains("trace not found") || b.contains("unable to find");
    }

    /** The JSON was fine but not what this API answers. */
    SourceException shape(String what, String problem, JsonNode n) {
        return new SourceException(SourceException.Kind.BAD_RESPONSE, name() + " sent unreadable " + what + " (" + problem + "): "
                + HttpSource.snippet(n == null ? "" : n.toString()), 200, null);
    }

    /**
     * A trace id as all three backends take it: hex, up to 32 digits (leading zeros may be left off), lower case.
     * Anything else is refused before a request: the id goes into the URL path.
     */
    static String traceId(String id) {
        String t = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        if (!HEX_ID.matcher(t).matches()) throw new IllegalArgumentException("not a trace id (1 to 32 hex digits): '" + HttpSource.snippet(id) + "'");
        return t;
    }

    /** Same id, whether a backend left off leading zeros or sent a 128-bit id for a 64-bit one. */
    static boolean sameId(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String id) {
        String s = id == null ? "" : id.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') i++;
        return s.substring(i);
    }

    /** A Go duration string (Jaeger's and Tempo's minDuration/maxDuration): whole microseconds. */
    static String goDuration(Duration d) {
        return Math.max(0, d.toNanos() / 1000) + "us";
    }

    /** A text value of a JSON node: strings as they are, numbers and booleans as their text, null for the rest. */
    static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode() || n.isContainerNode()) return null;
        return n.asText();
    }

    /** Collects the spans of one answer: unreadable ones listed, more than {@link #MAX_SPANS} cut. */
    static final class Sink {
        final List<Span> spans = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        int skipped;
        boolean truncated;
        int seen;

        /** False once the cap is reached: the caller stops reading spans. */
        boolean room() {
            if (spans.size() >= MAX_SPANS) {
                truncated = true;
                return false;
            }
            return true;
        }

        void add(Span s) { spans.add(s); }

        void skip(String why, JsonNode n) {
            skipped++;
            // the first few in full; a trace with thousands of broken spans must not carry thousands of messages
            if (problems.size() < 10) problems.add("span skipped: " + why + ": " + HttpSource.snippet(n == null ? "" : n.toString()));
        }

        Trace trace(String traceId) {
            List<String> p = new ArrayList<>(problems);
            if (skipped > problems.size()) p.add((skipped - problems.size()) + " more span(s) skipped");
            if (truncated) p.add("the trace has more than " + String.format(Locale.ROOT, "%,d", MAX_SPANS).replace(',', ' ')
                    + " spans: only the first " + String.format(Locale.ROOT, "%,d", MAX_SPANS).replace(',', ' ') + " are shown");
            String id = traceId;
            if (id == null && !spans.isEmpty()) id = spans.getFirst().traceId();
            return new Trace(id == null ? "" : id, spans, p, truncated);
        }
    }

    /**
     * One search hit from a whole trace's spans. Root: the earliest span without a parent; else the earliest whose
     * parent is not in the trace; else (a cycle) the earliest span.
     */
    static TraceSummary summary(List<Span> spans) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Span s : spans) ids.add(s.spanId());
        java.util.Comparator<Span> byStart = java.util.Comparator.comparingLong(Span::startMicros);
        Span root = spans.stream().filter(s -> s.parentId() == null).min(byStart)
                .or(() -> spans.stream().filter(s -> !ids.contains(s.parentId())).min(byStart))
                .orElseGet(() -> spans.stream().min(byStart).orElseThrow());
        long start = spans.stream().mapToLong(Span::startMicros).min().orElse(0);
        long end = spans.stream().mapToLong(Span::endMicros).max().orElse(0);
        int errors = (int) spans.stream().filter(Span::error).count();
        List<String> services = spans.stream().map(Span::service).filter(s -> s != null && !s.isEmpty()).distinct().sorted().toList();
        return new TraceSummary(root.traceId(), root.service(), root.name(), micros(start), end - start, spans.size(), errors, services);
    }

    static java.time.Instant micros(long us) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000), Math.floorMod(us, 1_000_000) * 1_000L);
    }

    static long micros(java.time.Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /** Kind from a Zipkin kind, Jaeger span.kind tag or OTLP kind name, any case; null/unknown = internal. */
    static Span.Kind kind(String k) {
        if (k == null) return Span.Kind.INTERNAL;
        String u = k.toUpperCase(Locale.ROOT).replace("SPAN_KIND_", "");
        return switch (u) {
            case "SERVER", "2" -> Span.Kind.SERVER;
            case "CLIENT", "3" -> Span.Kind.CLIENT;
            case "PRODUCER", "4" -> Span.Kind.PRODUCER;
            case "CONSUMER", "5" -> Span.Kind.CONSUMER;
            default -> Span.Kind.INTERNAL;
        };
    }

    /**
     * Zipkin and Jaeger apply min/max duration to single spans (a trace with one 7 ms span matches "at most
     * 10 ms" however long the trace): the Traces page plots trace durations, so hits outside the range are
     * dropped here. A search may then return fewer than its limit.
     */
    static List<TraceSummary> withinDurations(List<TraceSummary> l, TraceQuery q) {
        long min = q.minDuration() == null ? Long.MIN_VALUE : q.minDuration().toNanos() / 1000;
        long max = q.maxDuration() == null ? Long.MAX_VALUE : q.maxDuration().toNanos() / 1000;
        return l.stream().filter(s -> s.durationMicros() >= min && s.durationMicros() <= max).toList();
    }

    /** Newest first, as the interface promises. */
    static List<TraceSummary> newestFirst(List<TraceSummary> l) {
        List<TraceSummary> out = new ArrayList<>(l);
        out.sort(java.util.Comparator.comparing(TraceSummary::start).reversed());
        return out;
    }
}
