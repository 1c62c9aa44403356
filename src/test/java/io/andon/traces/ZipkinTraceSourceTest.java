package io.andon.traces;

import io.andon.net.Endpoint;
import io.andon.net.SourceException;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.stack.Zipkin;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zipkin2.reporter.urlconnection.URLConnectionSender;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ZipkinTraceSource} on the harness's real Zipkin: spans made by the OpenTelemetry SDK and its Zipkin
 * exporter (as the MES sends them), read back by id and by every search the Traces page offers.
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
class ZipkinTraceSourceTest {
    static Zipkin zipkin;
    static ZipkinTraceSource source;
    // service names unique per run: the harness's Zipkin is shared by every test of the JVM
    static final String RUN = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    static final String MES = "it-mes-" + RUN;
    static final String EXT = "it-ext-" + RUN;
    static final String SQL = "SELECT o.id, o.state FROM orders o WHERE o.line = ? AND o.state = 'open'";
    static Instant t0;
    static String slowId;
    static String fastId;

    @BeforeAll
    static void produce(Stack stack) throws Exception {
        zipkin = stack.zipkin();
        source = new ZipkinTraceSource(Endpoint.of(zipkin.baseUri().toString()));
        t0 = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        try (SdkTracerProvider mesTp = provider(MES); SdkTracerProvider extTp = provider(EXT)) {
            Tracer mes = mesTp.get("io.andon.it");
            Tracer ext = extTp.get("io.andon.it");
            // the slow, failing trace: server 120 ms > SQL 80 ms, processing with an exception, a call to the
            // external service whose server span lives in the other service
            var server = mes.spanBuilder("post /orders").setSpanKind(SpanKind.SERVER).setStartTimestamp(at(0))
                    .setAttribute("http.method", "POST").setAttribute(AttributeKey.longKey("http.status_code"), 500L).startSpan();
            Context sc = Context.root().with(server);
            mes.spanBuilder("select orders").setParent(sc).setSpanKind(SpanKind.CLIENT).setStartTimestamp(at(2))
                    .setAttribute("db.system", "postgresql").setAttribute("db.statement", SQL).setAttribute("db.operation", "SELECT")
                    .startSpan().end(at(82));
            var proc = mes.spanBuilder("process order").setParent(sc).setStartTimestamp(at(83)).startSpan();
            proc.recordException(new IllegalStateException("line 7 has no \"open\" order"), Attributes.empty());
            proc.setStatus(StatusCode.ERROR, "no open order");
            proc.end(at(90));
            var call = mes.spanBuilder("get /rates").setParent(sc).setSpanKind(SpanKind.CLIENT).setStartTimestamp(at(91)).startSpan();
            ext.spanBuilder("get /rates").setParent(Context.root().with(call)).setSpanKind(SpanKind.SERVER).setStartTimestamp(at(93))
                    .setAttribute(AttributeKey.longKey("http.status_code"), 200L).startSpan().end(at(116));
            call.end(at(118));
            server.end(at(120));
            slowId = server.getSpanContext().getTraceId();
            // a fast healthy trace 1 s later
            var health = mes.spanBuilder("get /health").setSpanKind(SpanKind.SERVER).setStartTimestamp(at(1000))
                    .setAttribute(AttributeKey.longKey("http.status_code"), 200L).startSpan();
            health.end(at(1002));
            fastId = health.getSpanContext().getTraceId();
            assertThat(mesTp.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            assertThat(extTp.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        // Zipkin stores asynchronously: wait (bounded) until both traces read back whole
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (source.trace(slowId).spans().size() == 5 && source.trace(fastId).spans().size() == 1) break;
            } catch (TraceNotFoundException notYet) {
                // keep waiting
            }
            if (System.nanoTime() > end) throw new AssertionError("Zipkin did not store the spans within 20 s");
            Thread.sleep(200);
        }
    }

    static SdkTracerProvider provider(String service) {
        ZipkinSpanExporter exporter = ZipkinSpanExporter.builder().setSender(URLConnectionSender.create(zipkin.spansEndpoint().toString())).build();
        return SdkTracerProvider.builder().setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service))))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    }

    static Instant at(long ms) { return t0.plusMillis(ms); }

    static long us(long ms) { return (t0.toEpochMilli() + ms) * 1000; }

    @AfterAll
    static void close() {
        if (source != null) source.close();
    }

    static Span named(Trace t, String name, String service) {
        return t.spans().stream().filter(s -> s.name().equals(name) && s.service().equals(service)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + service + "/" + name + " in " + t.spans()));
    }

    @Test
    void traceById() throws Exception {
        Trace t = source.trace(slowId);
        assertThat(t.traceId()).isEqualTo(slowId);
        assertThat(t.problems()).isEmpty();
        assertThat(t.truncated()).isFalse();
        Span server = named(t, "post /orders", MES);
        assertThat(server.parentId()).isNull();
        assertThat(server.kind()).isEqualTo(Span.Kind.SERVER);
        assertThat(server.startMicros()).isEqualTo(us(0));
        assertThat(server.durationMicros()).isEqualTo(120_000);
        assertThat(server.tag("http.status_code")).isEqualTo("500");
        Span sql = named(t, "select orders", MES);
        assertThat(sql.kind()).isEqualTo(Span.Kind.CLIENT);
        assertThat(sql.parentId()).isEqualTo(server.spanId());
        assertThat(sql.tag("db.statement")).isEqualTo(SQL);
        assertThat(sql.isDatabase()).isTrue();
        assertThat(sql.durationMicros()).isEqualTo(80_000);
        Span proc = named(t, "process order", MES);
        assertThat(proc.kind()).isEqualTo(Span.Kind.INTERNAL);
        assertThat(proc.error()).isTrue();
        assertThat(proc.events()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("exception");
            assertThat(e.attributes()).containsEntry("exception.type", "java.lang.IllegalStateException")
                    .containsEntry("exception.message", "line 7 has no \"open\" order");
            assertThat(e.attributes().get("exception.stacktrace")).startsWith("java.lang.IllegalStateException: line 7 has no")
                    .contains("at io.andon.traces.ZipkinTraceSourceTest.produce");
        });
        Span call = named(t, "get /rates", MES);
        Span remote = named(t, "get /rates", EXT);
        assertThat(remote.kind()).isEqualTo(Span.Kind.SERVER);
        assertThat(remote.parentId()).isEqualTo(call.spanId());
        assertThat(t.spans()).filteredOn(Span::error).containsExactly(proc);
        TraceTree tree = TraceTree.of(t);
        assertThat(tree.rows()).extracting(r -> r.span().name() + "@" + r.depth())
                .containsExactly("post /orders@0", "select orders@1", "process order@1", "get /rates@1", "get /rates@2");
        assertThat(tree.rows()).filteredOn(TraceTree.Row::critical).extracting(r -> r.span().name())
                .containsExactly("post /orders", "select orders", "process order", "get /rates", "get /rates");
        assertThat(tree.slowestBySelfTime()).isEqualTo(sql);
        assertThat(source.uiLink(slowId)).hasValue(java.net.URI.create(zipkin.baseUri() + "/zipkin/traces/" + slowId));
    }

    @Test
    void servicesAndOperations() throws Exception {
        assertThat(source.services()).contains(MES, EXT);
        assertThat(source.operations(MES)).contains("post /orders", "select orders", "process order", "get /rates", "get /health");
        assertThat(source.operations(EXT)).containsExactly("get /rates");
    }

    static TraceQuery q() { return new TraceQuery(MES, null, null, null, Map.of(), t0.minusSeconds(60), t0.plusSeconds(60), 50); }

    static List<String> ids(TraceSource.SearchResult r) {
        assertThat(r.problems()).isEmpty();
        return r.traces().stream().map(TraceSummary::traceId).toList();
    }

    @Test
    void searchByServiceNewestFirstWithSummaries() throws Exception {
        TraceSource.SearchResult r = source.search(q());
        assertThat(ids(r)).containsExactly(fastId, slowId);
        TraceSummary slow = r.traces().get(1);
        assertThat(slow.rootService()).isEqualTo(MES);
        assertThat(slow.rootName()).isEqualTo("post /orders");
        assertThat(slow.start()).isEqualTo(t0);
        assertThat(slow.durationMicros()).isEqualTo(120_000);
        assertThat(slow.spanCount()).isEqualTo(5);
        assertThat(slow.errorCount()).isEqualTo(1);
        assertThat(slow.services()).containsExactly(EXT, MES);
        assertThat(r.traces().getFirst().hasError()).isFalse();
        assertThat(ids(source.search(q().withService(EXT)))).containsExactly(slowId);
    }

    @Test
    void searchByOperationDurationTagAndTime() throws Exception {
        assertThat(ids(source.search(q().withOperation("get /health")))).containsExactly(fastId);
        assertThat(ids(source.search(q().withDurations(Duration.ofMillis(50), null)))).containsExactly(slowId);
        // Zipkin itself matches the slow trace here (its 7 ms span is under 10 ms); the client keeps trace durations
        assertThat(ids(source.search(q().withDurations(null, Duration.ofMillis(10))))).containsExactly(fastId);
        assertThat(ids(source.search(q().withDurations(Duration.ofMillis(100), Duration.ofMillis(130))))).containsExactly(slowId);
        assertThat(ids(source.search(q().withTags(Map.of("http.status_code", "500"))))).containsExactly(slowId);
        assertThat(ids(source.search(q().withTags(Map.of("http.status_code", "200"))))).containsExactly(fastId);
        assertThat(ids(source.search(q().withTags(Map.of("db.statement", SQL))))).containsExactly(slowId);
        // a value with characters that mean something in a URL (& = ? ') goes through the query encoding intact
        assertThat(ids(source.search(q().withTags(Map.of("db.statement", SQL + " & 1=1"))))).isEmpty();
        assertThat(ids(source.search(q().withRange(t0.plusMillis(500), t0.plusSeconds(60))))).containsExactly(fastId);
        assertThat(ids(source.search(q().withRange(t0.minusSeconds(3600), t0.minusSeconds(60))))).isEmpty();
        assertThatThrownBy(() -> source.search(q().withTags(Map.of("db.statement", "a = 1 and error"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' and '");
    }

    @Test
    void unknownTraceIdIsNotFound() {
        String id = "00000000000000000000000000abcdef";
        assertThatThrownBy(() -> source.trace(id)).isInstanceOf(TraceNotFoundException.class)
                .hasMessage("Zipkin: trace " + id + " not found (it may not have been sampled, or was already evicted)")
                .satisfies(e -> assertThat(((TraceNotFoundException) e).traceId()).isEqualTo(id));
        assertThatThrownBy(() -> source.trace("../api/v2/services")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a trace id");
    }

    @Test
    void zipkinDownIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (ZipkinTraceSource down = new ZipkinTraceSource(Endpoint.of("http://127.0.0.1:" + port))) {
            assertThatThrownBy(() -> down.trace(slowId)).isInstanceOfSatisfying(SourceException.class, e -> {
                assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
                assertThat(e).hasMessage("Zipkin unreachable at 127.0.0.1:" + port + " (connection refused)");
                assertThat(e).isNotInstanceOf(TraceNotFoundException.class);
            });
            assertThatThrownBy(() -> down.search(q())).isInstanceOfSatisfying(SourceException.class,
                    e -> assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE));
        }
    }
}
