package io.andon.badinput;

import io.andon.badinput.BadResponses.Api;
import io.andon.badinput.BadResponses.Case;
import io.andon.badinput.BadResponses.Outcome;
import io.andon.net.Endpoint;
import io.andon.net.SourceException;
import io.andon.traces.JaegerTraceSource;
import io.andon.traces.Span;
import io.andon.traces.TempoTraceSource;
import io.andon.traces.Trace;
import io.andon.traces.TraceNotFoundException;
import io.andon.traces.TraceQuery;
import io.andon.traces.TraceSource;
import io.andon.traces.TraceTree;
import io.andon.traces.ZipkinTraceSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every catalogue case against the three trace clients' {@code trace(id)} ({@code search} for ids starting
 * "search-"), plus the trace-specific ones: a span with missing or wrongly typed fields among good ones (reported
 * and skipped, the others kept), duplicates, missing parents, a cycle, 10 000 spans, more spans than the cap.
 * Zipkin gets the whole catalogue; Jaeger and Tempo share its protocol handling (HttpSource, the same body
 * checks), so they get it without the slow trickle cases but with one timeout.
 */
class TraceBadResponsesTest {
    static final String T = "0af7651916cd43dd8448eb211c80319c";
    static final long START = 1_700_000_000_000_000L;

    /** One backend's format: how a trace with these spans is written, and a span in it. */
    enum Src {
        ZIPKIN, JAEGER, TEMPO;

        String span(int i, String parent, String extra) {
            String id = String.format("%016x", i + 1);
            return switch (this) {
                case ZIPKIN -> "{\"traceId\":\"" + T + "\",\"id\":\"" + id + "\"" + (parent == null ? "" : ",\"parentId\":\"" + parent + "\"")
                        + ",\"name\":\"op" + i + "\",\"timestamp\":" + (START + i) + ",\"duration\":" + (1000 - (i % 900)) + ",\"localEndpoint\":{\"serviceName\":\"mes\"}"
                        + ",\"tags\":{\"db.statement\":\"SELECT " + i + "\"}" + extra + "}";
                case JAEGER -> "{\"traceID\":\"" + T + "\",\"spanID\":\"" + id + "\",\"operationName\":\"op" + i + "\",\"references\":["
                        + (parent == null ? "" : "{\"refType\":\"CHILD_OF\",\"traceID\":\"" + T + "\",\"spanID\":\"" + parent + "\"}")
                        + "],\"startTime\":" + (START + i) + ",\"duration\":" + (1000 - (i % 900)) + ",\"tags\":[{\"key\":\"db.statement\",\"type\":\"string\",\"value\":\"SELECT " + i
                        + "\"}],\"logs\":[],\"processID\":\"p1\"" + extra + "}";
                case TEMPO -> "{\"traceId\":\"" + T + "\",\"spanId\":\"" + id + "\"" + (parent == null ? "" : ",\"parentSpanId\":\"" + parent + "\"")
                        + ",\"name\":\"op" + i + "\",\"kind\":\"SPAN_KIND_SERVER\",\"startTimeUnixNano\":\"" + (START + i) * 1000 + "\",\"endTimeUnixNano\":\""
                        + (START + i + 1000 - (i % 900)) * 1000 + "\",\"attributes\":[{\"key\":\"db.statement\",\"value\":{\"stringValue\":\"SELECT " + i + "\"}}]"
                        + extra + "}";
            };
        }

        String trace(List<String> spans) {
            String list = String.join(",", spans);
            return switch (this) {
                case ZIPKIN -> "[" + list + "]";
                case JAEGER -> "{\"data\":[{\"traceID\":\"" + T + "\",\"spans\":[" + list + "],\"processes\":{\"p1\":{\"serviceName\":\"mes\",\"tags\":[]}}}],"
                        + "\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}";
                case TEMPO -> "{\"batches\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"mes\"}}]},"
                        + "\"scopeSpans\":[{\"scope\":{},\"spans\":[" + list + "]}]}]}";
            };
        }

        /** A chain of n spans (each the child of the one before), the first the root. */
        String chain(int n) {
            return trace(IntStream.range(0, n).mapToObj(i -> span(i, i == 0 ? null : String.format("%016x", i), "")).toList());
        }

        String label() { return switch (this) { case ZIPKIN -> "Zipkin"; case JAEGER -> "Jaeger"; case TEMPO -> "Tempo"; }; }

        TraceSource client(String url, long maxBytes) {
            Endpoint e = Endpoint.of(url).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)).withMaxResponseBytes(maxBytes);
            return switch (this) {
                case ZIPKIN -> new ZipkinTraceSource(label(), e);
                case JAEGER -> new JaegerTraceSource(label(), e);
                case TEMPO -> new TempoTraceSource(label(), e);
            };
        }

        String errorBody() {
            return switch (this) {
                case ZIPKIN, TEMPO -> "{\"error\":\"storage unavailable: cassandra timeout\"}";
                case JAEGER -> "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":500,\"msg\":\"storage unavailable: cassandra timeout\"}]}";
            };
        }

        Api api() { return new Api(chain(3), List.of(), errorBody(), "storage unavailable: cassandra timeout"); }
    }

    static final String CONNECTION = "unreachable at 127\\.0\\.0\\.1:\\d+ \\(connection failed: (connection reset|connection closed early|not an HTTP answer: )";
    static final Map<Outcome, String> WORDS = Map.ofEntries(
            Map.entry(Outcome.NOT_JSON, "sent no valid JSON"),
            Map.entry(Outcome.TRUNCATED, "sent a cut-off JSON body"),
            Map.entry(Outcome.EMPTY, "answered HTTP 20[04] with an empty body"),
            Map.entry(Outcome.WRONG_SHAPE, "sent unreadable (trace|search results) \\("),
            Map.entry(Outcome.HTTP_ERROR, "answered HTTP \\d+: "),
            Map.entry(Outcome.REDIRECT, "answered HTTP 30\\d with a redirect to \\S+, not followed"),
            Map.entry(Outcome.AUTH, "(refused the credentials|requires credentials|denied access) \\(HTTP 40[13]\\)"),
            Map.entry(Outcome.API_ERROR, "(answered HTTP 500: |rejected the request: )"),
            Map.entry(Outcome.TOO_LARGE, "response too large: more than 2 MB"),
            Map.entry(Outcome.TIMEOUT, "did not answer within [23] s"),
            Map.entry(Outcome.CONNECTION, CONNECTION),
            Map.entry(Outcome.CUT, "answered HTTP 200 with a broken body \\((connection reset|connection closed early|broken chunked encoding|not valid gzip although declared so)\\)"));

    /** The Jaeger/Tempo runs leave out the slow cases the Zipkin run already proves for the shared HttpSource. */
    static final Set<String> SLOW = Set.of("trickle-body-1-byte-per-s", "trickle-headers-1-byte-per-s", "silent-after-request", "fifty-mb-close-delimited", "fifty-mb-chunked");

    static final Map<Src, MockHttp> MOCKS = new java.util.EnumMap<>(Src.class);

    @BeforeAll
    static void start() throws Exception {
        for (Src s : Src.values()) MOCKS.put(s, new MockHttp((r, x) -> x.respond(200, BadResponses.JSON, s.api().validBody())));
    }

    @AfterAll
    static void stop() {
        MOCKS.values().forEach(MockHttp::close);
    }

    record SrcCase(Src src, Case c) {
        @Override public String toString() { return src.name() + ": " + c.id(); }
    }

    static Stream<SrcCase> cases() {
        List<SrcCase> all = new ArrayList<>();
        for (Src s : Src.values()) {
            for (Case c : BadResponses.generic(s.api())) if (s == Src.ZIPKIN || !SLOW.contains(c.id())) all.add(new SrcCase(s, c));
            for (Case c : specific(s)) all.add(new SrcCase(s, c));
        }
        return all.stream();
    }

    static Trace trace(Object r) { return (Trace) r; }

    static void isValid(Object r) {
        Trace t = trace(r);
        assertThat(t.spans()).extracting(Span::name).containsExactly("op0", "op1", "op2");
        assertThat(t.spans()).extracting(Span::service).containsOnly("mes");
        assertThat(t.spans().get(2).parentId()).isEqualTo("0000000000000002");
        assertThat(t.spans().get(1).tag("db.statement")).isEqualTo("SELECT 1");
        assertThat(t.problems()).isEmpty();
        assertThat(t.truncated()).isFalse();
    }

    static Case ok(Src s, String id, String body, Consumer<Object> check) { return BadResponses.ok(id, s.api(), body, check); }

    static List<Case> specific(Src s) {
        List<Case> c = new ArrayList<>();
        String extraBad = switch (s) {
            case ZIPKIN -> ",\"timestamp\":\"yesterday\"";
            case JAEGER -> ",\"startTime\":\"yesterday\"";
            case TEMPO -> ",\"startTimeUnixNano\":\"yesterday\"";
        };
        // a span without its id among good ones: listed, skipped, the rest kept
        String noId = s.span(1, "0000000000000001", "").replaceFirst("\"(id|spanID|spanId)\":\"0000000000000002\",", "");
        c.add(ok(s, "span-without-id-among-good", s.trace(List.of(s.span(0, null, ""), noId, s.span(2, "0000000000000001", ""))), r -> {
            assertThat(trace(r).spans()).extracting(Span::name).containsExactly("op0", "op2");
            assertThat(trace(r).problems()).singleElement().asString().startsWith("span skipped: no ").contains("op1");
        }));
        // a span whose start is a word: the same (a duplicate key is refused by the parser; so it is the only start)
        String wrongType = s.span(1, "0000000000000001", "").replaceFirst("\"(timestamp|startTime|startTimeUnixNano)\":(\"?)\\d+(\"?)", extraBad.substring(1));
        c.add(ok(s, "span-start-not-a-number", s.trace(List.of(s.span(0, null, ""), wrongType, s.span(2, "0000000000000001", ""))), r -> {
            assertThat(trace(r).spans()).extracting(Span::name).containsExactly("op0", "op2");
            assertThat(trace(r).problems()).singleElement().asString().containsPattern("^span skipped: no (timestamp|startTime|startTimeUnixNano)\\b");
        }));
        c.add(ok(s, "span-that-is-a-number", s.trace(List.of(s.span(0, null, ""), "42", s.span(2, "0000000000000001", ""))), r -> {
            assertThat(trace(r).spans()).hasSize(2);
            assertThat(trace(r).problems()).singleElement().asString().isEqualTo("span skipped: not an object: 42");
        }));
        c.add(ok(s, "duplicate-span-ids", s.trace(List.of(s.span(0, null, ""), s.span(1, "0000000000000001", ""), s.span(1, "0000000000000001", ""))), r -> {
            assertThat(trace(r).spans()).hasSize(3);
            TraceTree tree = TraceTree.of(trace(r));
            assertThat(tree.rows()).hasSize(3);
            assertThat(tree.problems()).contains("1 span(s) share an id with another span");
        }));
        c.add(ok(s, "missing-parents-drawn-as-orphans", s.trace(List.of(s.span(0, null, ""), s.span(1, "00000000000000aa", ""), s.span(2, "00000000000000bb", ""))), r -> {
            TraceTree tree = TraceTree.of(trace(r));
            assertThat(tree.rows()).extracting(TraceTree.Row::orphan).containsExactly(false, true, true);
            assertThat(tree.rows()).extracting(TraceTree.Row::depth).containsOnly(0);
        }));
        c.add(ok(s, "parent-cycle", s.trace(List.of(s.span(0, "0000000000000002", ""), s.span(1, "0000000000000001", ""))), r -> {
            TraceTree tree = TraceTree.of(trace(r));
            assertThat(tree.rows()).extracting(TraceTree.Row::depth).containsExactly(0, 1);
            assertThat(tree.problems()).contains("2 span(s) in a cycle of parent ids");
        }));
        c.add(ok(s, "no-spans-at-all", s.trace(List.of()), r -> assertThat(trace(r).spans()).isEmpty()));
        // big answers: through a client with a 20 MB cap ("big-" ids)
        c.add(ok(s, "big-ten-thousand-spans", s.chain(10_000), r -> {
            assertThat(trace(r).spans()).hasSize(10_000);
            assertThat(trace(r).truncated()).isFalse();
            TraceTree tree = TraceTree.of(trace(r));
            assertThat(tree.rows().getLast().depth()).isEqualTo(9_999);
        }));
        c.add(ok(s, "big-more-spans-than-the-cap", s.chain(25_000), r -> {
            assertThat(trace(r).spans()).hasSize(20_000);
            assertThat(trace(r).truncated()).isTrue();
            assertThat(trace(r).problems()).contains("the trace has more than 20 000 spans: only the first 20 000 are shown");
            assertThat(TraceTree.of(trace(r)).rows()).hasSize(20_000);
        }));
        c.add(BadResponses.json("search-not-a-list", Outcome.WRONG_SHAPE, s.api(), 200, "{\"traces\":7,\"data\":7}"));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badResponse(SrcCase sc) {
        Src s = sc.src();
        Case c = sc.c();
        MockHttp mock = MOCKS.get(s);
        mock.behaviour(c.behaviour());
        String id = c.id();
        TraceSource client = s.client(mock.url(), id.startsWith("big-") ? 20L * 1024 * 1024 : 2L * 1024 * 1024);
        Verdict.Run run = Verdict.run(() -> {
            if (id.startsWith("search-")) return client.search(TraceQuery.last(Duration.ofHours(1), 20).withService("mes"));
            return client.trace(T);
        });
        Verdict.judge(c, run, mock, SourceException.class, s.label(), WORDS, TraceBadResponsesTest::isValid);
        if (c.outcome() == Outcome.TOO_LARGE) {
            assertThat(run.allocatedBytes()).as("the caller never held the 50 MB").isLessThan(24L * 1024 * 1024);
        }
        if (id.startsWith("big-")) {
            System.out.printf("[%s %s] %,d spans read, %,d bytes allocated by the caller%n", s.label(), id, trace(run.result()).spans().size(), run.allocatedBytes());
        }
        if (c.outcome() != Outcome.OK) assertThat(run.error()).as("a broken answer is not a missing trace").isNotInstanceOf(TraceNotFoundException.class);
    }

    /** 404 means "no such trace" only when the backend says so; a wrong URL's 404 is an HTTP error. */
    @Test
    void notFoundOnlyWhenTheBackendSaysSo() throws Exception {
        Map<Src, String> notFound = Map.of(Src.ZIPKIN, T + " not found", Src.JAEGER,
                "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}", Src.TEMPO, "");
        for (Src s : Src.values()) {
            try (MockHttp m = new MockHttp((r, x) -> x.respond(404, "text/plain", notFound.get(s)))) {
                assertThatThrownBy(() -> s.client(m.url(), 1 << 20).trace(T)).isInstanceOf(TraceNotFoundException.class)
                        .hasMessage(s.label() + ": trace " + T + " not found (it may not have been sampled, or was already evicted)");
                m.behaviour((r, x) -> x.respond(404, "text/plain", "404 page not found"));
                assertThatThrownBy(() -> s.client(m.url(), 1 << 20).trace(T)).isNotInstanceOf(TraceNotFoundException.class)
                        .hasMessage(s.label() + " answered HTTP 404: 404 page not found");
            }
        }
    }

    /** What the clients send: every value through the URL encoding, tags in each API's own quoting. */
    @Test
    void searchRequestsEncodeUserText() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (MockHttp m = new MockHttp((r, x) -> {
            seen.add(r.target());
            x.respond(200, BadResponses.JSON, r.path().contains("/api/v2/traces") ? "[]" : r.path().contains("/api/traces") ? "{\"data\":[]}" : "{\"traces\":[]}");
        })) {
            TraceQuery q = new TraceQuery("mes", "GET /orders?x=1&y=2", Duration.ofMillis(5), Duration.ofSeconds(2),
                    Map.of("db.statement", "SELECT * FROM t WHERE a = 'x\" || 1=1 --' AND b = \\\\"), java.time.Instant.ofEpochSecond(1_700_000_000),
                    java.time.Instant.ofEpochSecond(1_700_000_600), 20);
            for (Src s : Src.values()) s.client(m.url(), 1 << 20).search(q);
            assertThat(seen).hasSize(3);
            okhttp3.HttpUrl zipkin = okhttp3.HttpUrl.get("http://h" + seen.get(0));
            assertThat(zipkin.queryParameter("spanName")).isEqualTo("GET /orders?x=1&y=2");
            assertThat(zipkin.queryParameter("annotationQuery")).isEqualTo("db.statement=SELECT * FROM t WHERE a = 'x\" || 1=1 --' AND b = \\\\");
            assertThat(zipkin.queryParameter("minDuration")).isEqualTo("5000");
            assertThat(zipkin.queryParameter("maxDuration")).isEqualTo("2000000");
            assertThat(zipkin.queryParameter("endTs")).isEqualTo("1700000600000");
            assertThat(zipkin.queryParameter("lookback")).isEqualTo("600000");
            okhttp3.HttpUrl jaeger = okhttp3.HttpUrl.get("http://h" + seen.get(1));
            assertThat(jaeger.queryParameter("tags")).isEqualTo("{\"db.statement\":\"SELECT * FROM t WHERE a = 'x\\\" || 1=1 --' AND b = \\\\\\\\\"}");
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(jaeger.queryParameter("tags")).get("db.statement").asText())
                    .isEqualTo(q.tags().get("db.statement"));
            assertThat(jaeger.queryParameter("minDuration")).isEqualTo("5000us");
            assertThat(jaeger.queryParameter("start")).isEqualTo("1700000000000000");
            okhttp3.HttpUrl tempo = okhttp3.HttpUrl.get("http://h" + seen.get(2));
            assertThat(tempo.queryParameter("tags")).isEqualTo("service.name=\"mes\" name=\"GET /orders?x=1&y=2\" db.statement=\"SELECT * FROM t WHERE a = 'x\\\" || 1=1 --' AND b = \\\\\\\\\"");
            assertThat(tempo.queryParameter("start")).isEqualTo("1700000000");
            assertThat(tempo.queryParameter("end")).isEqualTo("1700000600");
            assertThat(TempoTraceSource.traceQl(q)).isEqualTo("{ resource.service.name = \"mes\" && name = \"GET /orders?x=1&y=2\" && .db.statement = "
                    + "\"SELECT * FROM t WHERE a = 'x\\\" || 1=1 --' AND b = \\\\\\\\\" && traceDuration >= 5000us && traceDuration <= 2000000us }");
        }
        assertThatThrownBy(() -> ZipkinTraceSource.annotationQuery(Map.of("k", "a and b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZipkinTraceSource.annotationQuery(Map.of("a=b", "c"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TempoTraceSource.logfmt(TraceQuery.last(Duration.ofMinutes(1), 1).withTags(Map.of("a b", "c"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag name 'a b'");
    }

    @Test
    void atLeastSixtyCasesPerSource() {
        Map<Src, Long> n = cases().collect(Collectors.groupingBy(SrcCase::src, Collectors.counting()));
        assertThat(n.values()).allMatch(x -> x >= 60);
        assertThat(cases().map(SrcCase::toString).distinct().count()).as("ids unique").isEqualTo(cases().count());
    }
}
