package io.andon.traces;

import com.fasterxml.jackson.databind.JsonNode;
import io.andon.net.Endpoint;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jaeger's and Tempo's answers as recorded in their own repositories (upstream/README.md names file, path and
 * commit), read by the parsers the sources use; every value asserted is one visible in the file.
 */
class UpstreamFixturesTest {
    static final TraceHttp JAEGER = new TraceHttp("Jaeger", Endpoint.of("http://127.0.0.1:9"));
    static final TraceHttp TEMPO = new TraceHttp("Tempo", Endpoint.of("http://127.0.0.1:9"));

    static JsonNode json(String path) throws Exception {
        try (InputStream in = UpstreamFixturesTest.class.getResourceAsStream("upstream/" + path)) {
            assertThat(in).as(path).isNotNull();
            return TraceHttp.JSON.readTree(in);
        }
    }

    static Span span(Trace t, String name) {
        return t.spans().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no span " + name));
    }

    static Span byId(Trace t, String id) {
        return t.spans().stream().filter(s -> s.spanId().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no span " + id));
    }

    // ---- Jaeger ----

    @Test
    void jaegerQueryApiAnswer() throws Exception {
        // the query extension's answer to GET /api/traces/{id} for an OTLP trace: {"data":[trace],"errors":null,...}
        Trace t = JaegerTraceSource.parse(JAEGER, null, json("jaeger/otlp2jaeger-out.json"));
        assertThat(t.traceId()).isEqualTo("83a9efd15c1c98a977e0711cc93ee28b");
        assertThat(t.spans()).hasSize(2).allSatisfy(s -> {
            assertThat(s.spanId()).isEqualTo("e127af99e3b3e074");
            assertThat(s.parentId()).isEqualTo("909541b92cf05311");
            assertThat(s.name()).isEqualTo("okey-dokey-0");
            assertThat(s.service()).isEqualTo("telemetrygen");
            assertThat(s.kind()).isEqualTo(Span.Kind.SERVER);
            assertThat(s.startMicros()).isEqualTo(1706678909209712L);
            assertThat(s.durationMicros()).isEqualTo(123);
            assertThat(s.tag("peer.service")).isEqualTo("telemetrygen-client");
            assertThat(s.error()).isFalse();
        });
        // the same id twice and a parent that is not in the trace: both rows drawn, both problems named
        TraceTree tree = TraceTree.of(t);
        assertThat(tree.rows()).hasSize(2);
        assertThat(tree.problems()).contains("1 span(s) share an id with another span");
        assertThat(tree.rows()).allMatch(TraceTree.Row::orphan);
    }

    @Test
    void jaegerUiModelWithReferencesLogsAndWarnings() throws Exception {
        Trace t = JaegerTraceSource.parse(JAEGER, null, json("jaeger/ui_01.json"));
        assertThat(t.traceId()).isEqualTo("0000000000000001");
        assertThat(t.spans()).extracting(Span::spanId).containsExactly("0000000000000002", "0000000000000002", "0000000000000003", "0000000000000004", "0000000000000005");
        Span general = span(t, "test-general-conversion");
        assertThat(general.service()).isEqualTo("service-x");
        assertThat(general.events()).extracting(Span.Event::name).containsExactly("some-event", "log");
        assertThat(general.events().get(1).attributes()).isEqualTo(Map.of("x", "y"));
        assertThat(general.events().getFirst().timeMicros()).isEqualTo(1485467191639875L);
        Span tagged = t.spans().get(1);
        assertThat(tagged.error()).as("tag error=true (a bool)").isTrue();
        assertThat(tagged.tags()).containsEntry("peer.ipv4", "23456").containsEntry("temperature", "72.5").containsEntry("blob", "AAAwOQ==");
        assertThat(byId(t, "0000000000000003").service()).isEqualTo("service-y");
        assertThat(byId(t, "0000000000000003").parentId()).isEqualTo("0000000000000002");
        // span 4's first reference points into another trace (ff): a link, the CHILD_OF in its own trace is the parent
        assertThat(byId(t, "0000000000000004").parentId()).isEqualTo("0000000000000002");
        assertThat(byId(t, "0000000000000005").parentId()).isEqualTo("0000000000000004");
        assertThat(byId(t, "0000000000000005").durationMicros()).isEqualTo(4);
        assertThat(t.problems()).containsExactly("Jaeger: some trace warning", "Jaeger: span 0000000000000004: some span warning",
                "Jaeger: span 0000000000000005: some span warning");
        TraceTree tree = TraceTree.of(t);
        assertThat(tree.rows()).hasSize(5);
        assertThat(tree.rows()).filteredOn(r -> r.span().spanId().equals("0000000000000005")).singleElement().extracting(TraceTree.Row::depth).isEqualTo(2);
    }

    @Test
    void jaegerUiStateWithProducerConsumerChain() throws Exception {
        // jaeger-ui's critical-path test trace, as its redux state keeps it: {"data": trace, "id", "state"}
        Trace t = JaegerTraceSource.parse(JAEGER, null, json("jaeger-ui/criticalpath-testTrace.json"));
        assertThat(t.traceId()).isEqualTo("trace-123");
        assertThat(t.spans()).extracting(Span::spanId).containsExactly("span-1", "span-3", "span-5", "span-7", "span-8", "span-9");
        assertThat(t.spans()).extracting(Span::kind).containsExactly(Span.Kind.SERVER, Span.Kind.CLIENT, Span.Kind.SERVER,
                Span.Kind.PRODUCER, Span.Kind.CONSUMER, Span.Kind.INTERNAL);
        assertThat(span(t, "C").service()).isEqualTo("service2");
        assertThat(span(t, "C").durationMicros()).isEqualTo(240000);
        TraceSummary sum = TraceHttp.summary(t.spans());
        assertThat(sum.rootName()).isEqualTo("X");
        assertThat(sum.rootService()).isEqualTo("service1");
        assertThat(sum.services()).containsExactly("service1", "service2");
        assertThat(sum.spanCount()).isEqualTo(6);
        assertThat(sum.start()).isEqualTo(TraceHttp.micros(1542666452979000L));
        // the file's own endTime - startTime
        assertThat(sum.durationMicros()).isEqualTo(1542666453519000L - 1542666452979000L);
        TraceTree tree = TraceTree.of(t);
        assertThat(tree.rows()).extracting(TraceTree.Row::depth).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(tree.slowestBySelfTime().name()).isEqualTo("C");
    }

    @Test
    void jaegerNotFoundInsideAnOkAnswer() {
        // Jaeger v1 answers an unknown id with 404 and {"data":null,"errors":[{"code":404,"msg":"trace not found"}]}
        JsonNode n = TraceHttp.JSON.createObjectNode().putNull("data");
        assertThatThrownBy(() -> JaegerTraceSource.parse(JAEGER, "abc", n)).isInstanceOf(TraceNotFoundException.class)
                .hasMessage("Jaeger: trace abc not found (it may not have been sampled, or was already evicted)");
    }

    // ---- Tempo ----

    @Test
    void tempoBatchesWithUpperCaseHexIds() throws Exception {
        // Tempo's own pkg/tempopb/trace.json: the "batches" shape of Tempo up to 2.x, hex ids in capitals, kind 2
        Trace t = TempoTraceSource.parse(TEMPO, null, json("tempo/tempopb-trace.json"));
        assertThat(t.spans()).singleElement().satisfies(s -> {
            assertThat(s.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
            assertThat(s.spanId()).isEqualTo("eee19b7ec3c1b174");
            assertThat(s.parentId()).isEqualTo("eee19b7ec3c1b173");
            assertThat(s.name()).isEqualTo("I'm a server span");
            assertThat(s.service()).isEqualTo("my.service");
            assertThat(s.kind()).isEqualTo(Span.Kind.SERVER);
            assertThat(s.startMicros()).isEqualTo(1544712660000000L);
            assertThat(s.durationMicros()).isEqualTo(1_000_000);
        });
    }

    @Test
    void tempoResourceSpansWithBase64IdsAndErrors() throws Exception {
        Trace t = TempoTraceSource.parse(TEMPO, null, json("tempo/trace-with-failed-requests.json"));
        assertThat(t.spans()).hasSize(15);
        assertThat(t.problems()).isEmpty();
        assertThat(t.spans()).allMatch(s -> s.traceId().equals("e8b6dff9f8d44b28f1b22bc3bd2f6768"));
        Span requester = span(t, "requester");
        assertThat(requester.spanId()).isEqualTo("9007fea484554ad7");
        assertThat(requester.parentId()).isNull();
        assertThat(requester.kind()).isEqualTo(Span.Kind.CLIENT);
        assertThat(requester.error()).as("STATUS_CODE_ERROR").isTrue();
        assertThat(requester.service()).isEqualTo("mythical-requester");
        Span server = span(t, "POST /:endpoint");
        assertThat(server.spanId()).isEqualTo("2898383ecfa1a421");
        assertThat(server.parentId()).isEqualTo("9007fea484554ad7");
        assertThat(server.service()).isEqualTo("mythical-server");
        Span insert = span(t, "pg.query:INSERT");
        assertThat(insert.spanId()).isEqualTo("c1ae6cea39a8fc4b");
        assertThat(insert.error()).isTrue();
        assertThat(insert.tag("otel.status_description")).isEqualTo("null value in column \"name\" of relation \"illithid\" violates not-null constraint");
        assertThat(span(t, "HTTP POST").error()).as("STATUS_CODE_OK").isFalse();
        assertThat(t.spans()).filteredOn(Span::error).extracting(Span::name).containsExactlyInAnyOrder("requester", "POST /:endpoint", "pg.query:INSERT");
        TraceTree tree = TraceTree.of(t);
        assertThat(tree.rows().getFirst().span()).isSameAs(requester);
        assertThat(tree.problems()).isEmpty();
        assertThat(tree.rows()).filteredOn(r -> r.span() == insert).singleElement().extracting(TraceTree.Row::depth).isEqualTo(2);
        TraceSummary sum = TraceHttp.summary(t.spans());
        assertThat(sum.errorCount()).isEqualTo(3);
        assertThat(sum.services()).containsExactly("mythical-requester", "mythical-server");
    }

    @Test
    void tempoVultureTraceTwoRootsAndEvents() throws Exception {
        Trace t = TempoTraceSource.parse(TEMPO, null, json("tempo/vulture-trace.json"));
        assertThat(t.spans()).extracting(Span::name).containsExactly("vulture-68", "vulture-45", "vulture-96", "vulture-48", "vulture-36", "vulture-38");
        Span root = span(t, "vulture-68");
        assertThat(root.traceId()).isEqualTo("3149195ffb0bec05347b48efe8ecc1b0");
        assertThat(root.spanId()).isEqualTo("4b23de25d1fb6641");
        assertThat(span(t, "vulture-45").parentId()).isEqualTo("4b23de25d1fb6641");
        assertThat(root.tag("http.status_code")).as("an intValue").isEqualTo("110");
        assertThat(root.events()).hasSize(4);
        assertThat(root.events().getFirst().attributes()).containsEntry("vulture-event-0", "DCFUOSpzttNPFn").containsEntry("vulture-event-int-01", "424354");
        assertThat(root.durationMicros()).isEqualTo(92);
        TraceTree tree = TraceTree.of(t);
        assertThat(tree.rows()).filteredOn(r -> r.depth() == 0).extracting(r -> r.span().name())
                .as("both roots start at the same nanosecond: ordered by id, 083a27a2... before 4b23de25...").containsExactly("vulture-36", "vulture-68");
        assertThat(tree.rows()).extracting(TraceTree.Row::orphan).containsOnly(false);
    }

    @Test
    void tempoV2TraceAnswerWithBase64Id() throws Exception {
        // the docs' curl of /api/v2/traces/5b8efff798038103d269b633813fc700: the base64 id is that hex id
        Trace t = TempoTraceSource.parse(TEMPO, null, json("tempo/v2-trace.json"));
        assertThat(t.spans()).singleElement().satisfies(s -> {
            assertThat(s.traceId()).isEqualTo("5b8efff798038103d269b633813fc700");
            assertThat(s.name()).isEqualTo("I am a span!");
            assertThat(s.kind()).isEqualTo(Span.Kind.SERVER);
            assertThat(s.tag("my.span.attr")).isEqualTo("some value");
            assertThat(s.durationMicros()).isEqualTo(698_000_000L);
        });
    }

    @Test
    void otlpJsonWithHexIdsAndNumericKind() throws Exception {
        // OTLP/JSON as the spec writes it (hex ids, kind as a number), from Jaeger's OTLP conversion test
        Trace t = TempoTraceSource.parse(TEMPO, null, json("jaeger/otlp2jaeger-in.json"));
        assertThat(t.spans()).hasSize(2).allSatisfy(s -> {
            assertThat(s.traceId()).isEqualTo("83a9efd15c1c98a977e0711cc93ee28b");
            assertThat(s.spanId()).isEqualTo("e127af99e3b3e074");
            assertThat(s.parentId()).isEqualTo("909541b92cf05311");
            assertThat(s.kind()).isEqualTo(Span.Kind.SERVER);
            assertThat(s.service()).isEqualTo("telemetrygen");
            assertThat(s.durationMicros()).isEqualTo(123);
        });
    }

    @Test
    void tempoTagSearchAnswer() throws Exception {
        TraceSource.SearchResult r = TempoTraceSource.parseSearch(TEMPO, json("tempo/search-tags.json"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.traces()).extracting(TraceSummary::traceId).containsExactly("d6e9329d67b6146a", "1b1ba462b409200d");
        assertThat(r.traces()).allSatisfy(s -> {
            assertThat(s.rootService()).isEqualTo("frontend");
            assertThat(s.rootName()).isEqualTo("/cart");
            assertThat(s.durationMicros()).isEqualTo(611_000);
            assertThat(s.services()).containsExactly("frontend");
        });
        assertThat(r.traces().getFirst().start()).isEqualTo(Instant.ofEpochSecond(1634727903, 545_000_000));
    }

    @Test
    void tempoTraceQlSearchAnswer() throws Exception {
        TraceSource.SearchResult r = TempoTraceSource.parseSearch(TEMPO, json("tempo/search-traceql.json"));
        assertThat(r.traces()).singleElement().satisfies(s -> {
            assertThat(s.traceId()).isEqualTo("5b8efff798038103d269b633813fc700");
            assertThat(s.rootService()).isEqualTo("my.service");
            assertThat(s.rootName()).isEqualTo("I am a span!");
            assertThat(s.durationMicros()).isEqualTo(10_000_000);
            assertThat(s.spanCount()).as("spanSets matched").isEqualTo(1);
            assertThat(s.start()).isEqualTo(Instant.ofEpochSecond(1694718625, 557_000_000));
        });
    }

    @Test
    void everyFixtureIsNamedInTheReadme() throws Exception {
        String readme;
        try (InputStream in = getClass().getResourceAsStream("upstream/README.md")) {
            readme = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String f : List.of("jaeger/otlp2jaeger-out.json", "jaeger/otlp2jaeger-in.json", "jaeger/ui_01.json", "jaeger-ui/parent-cycle.legacy.json",
                "jaeger-ui/multiple-orphans.legacy.json", "jaeger-ui/criticalpath-testTrace.json", "tempo/tempopb-trace.json",
                "tempo/trace-with-failed-requests.json", "tempo/vulture-trace.json", "tempo/v2-trace.json", "tempo/search-traceql.json", "tempo/search-tags.json", "tempo/tag-values-v1.json", "tempo/tag-values-v2.json")) {
            assertThat(readme).contains("| " + f + " |");
            json(f);
        }
        assertThat(readme.lines().filter(l -> l.startsWith("| ") && l.contains(".json |")).collect(Collectors.toList())).hasSize(14);
    }
}
