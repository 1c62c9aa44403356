package io.andon.traces;

import io.andon.badinput.JdkMockServer;
import io.andon.net.Endpoint;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jaeger and Tempo clients end to end against a server that replays answers recorded in those projects'
 * repositories (upstream/README.md): the requests they send (paths, parameters, encoding) and what they make of
 * the answers. Jaeger and Tempo themselves cannot run here.
 */
class UpstreamReplayTest {
    static byte[] fixture(String path) throws Exception {
        try (InputStream in = UpstreamReplayTest.class.getResourceAsStream("upstream/" + path)) {
            return in.readAllBytes();
        }
    }

    /** Serves the fixture the route picks for a path (null: 404 "404 page not found"), records every request. */
    static JdkMockServer replay(List<HttpUrl> seen, Function<String, String> route) throws Exception {
        return new JdkMockServer(x -> {
            seen.add(HttpUrl.get("http://h" + x.getRequestURI().toString()));
            String f = route.apply(x.getRequestURI().getPath());
            byte[] body;
            try {
                body = f == null ? "404 page not found".getBytes(StandardCharsets.UTF_8) : fixture(f);
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
            x.getResponseHeaders().add("Content-Type", f == null ? "text/plain" : "application/json");
            x.sendResponseHeaders(f == null ? 404 : 200, body.length);
            x.getResponseBody().write(body);
        });
    }

    @Test
    void jaegerTraceAndSearch() throws Exception {
        List<HttpUrl> seen = new CopyOnWriteArrayList<>();
        try (JdkMockServer s = replay(seen, p -> p.startsWith("/jaeger/api/traces") ? "jaeger/otlp2jaeger-out.json" : null);
             JaegerTraceSource jaeger = new JaegerTraceSource(Endpoint.of(s.url() + "/jaeger/"))) {
            Trace t = jaeger.trace("83A9EFD15C1C98A977E0711CC93EE28B");
            assertThat(seen.getLast().encodedPath()).isEqualTo("/jaeger/api/traces/83a9efd15c1c98a977e0711cc93ee28b");
            assertThat(t.traceId()).isEqualTo("83a9efd15c1c98a977e0711cc93ee28b");
            assertThat(t.spans()).hasSize(2).allMatch(x -> x.name().equals("okey-dokey-0") && x.service().equals("telemetrygen"));

            TraceQuery q = new TraceQuery("telemetrygen", "okey-dokey-0", Duration.ofNanos(100_000), null, Map.of("peer.service", "telemetrygen-client"),
                    Instant.parse("2024-01-31T05:00:00Z"), Instant.parse("2024-01-31T06:00:00Z"), 20);
            TraceSource.SearchResult r = jaeger.search(q);
            HttpUrl u = seen.getLast();
            assertThat(u.encodedPath()).isEqualTo("/jaeger/api/traces");
            assertThat(u.queryParameter("service")).isEqualTo("telemetrygen");
            assertThat(u.queryParameter("operation")).isEqualTo("okey-dokey-0");
            assertThat(u.queryParameter("tags")).isEqualTo("{\"peer.service\":\"telemetrygen-client\"}");
            assertThat(u.queryParameter("minDuration")).isEqualTo("100us");
            assertThat(u.queryParameter("maxDuration")).isNull();
            assertThat(u.queryParameter("start")).isEqualTo("1706677200000000");
            assertThat(u.queryParameter("end")).isEqualTo("1706680800000000");
            assertThat(u.queryParameter("limit")).isEqualTo("20");
            assertThat(r.problems()).isEmpty();
            assertThat(r.traces()).singleElement().satisfies(x -> {
                assertThat(x.traceId()).isEqualTo("83a9efd15c1c98a977e0711cc93ee28b");
                assertThat(x.rootName()).isEqualTo("okey-dokey-0");
                assertThat(x.rootService()).isEqualTo("telemetrygen");
                assertThat(x.durationMicros()).isEqualTo(123);
                assertThat(x.spanCount()).isEqualTo(2);
                assertThat(x.start()).isEqualTo(Instant.parse("2024-01-31T05:28:29.209712Z"));
            });
            // the trace lasted 123 µs: a search for at least 1 ms drops it (Jaeger matched a span, we show traces)
            assertThat(jaeger.search(q.withDurations(Duration.ofMillis(1), null)).traces()).isEmpty();
            assertThat(jaeger.uiLink("83a9efd15c1c98a977e0711cc93ee28b")).hasValue(java.net.URI.create(s.url() + "/jaeger/trace/83a9efd15c1c98a977e0711cc93ee28b"));
        }
    }

    @Test
    void tempoTraceServicesAndSearch() throws Exception {
        List<HttpUrl> seen = new CopyOnWriteArrayList<>();
        try (JdkMockServer s = replay(seen, p -> p.startsWith("/api/traces/") ? "tempo/trace-with-failed-requests.json"
                : p.startsWith("/api/v2/search/tag/") ? "tempo/tag-values-v2.json"
                : p.equals("/api/search") ? "tempo/search-tags.json" : null);
             TempoTraceSource tempo = new TempoTraceSource("Tempo", Endpoint.of(s.url()))) {
            Trace t = tempo.trace("e8b6dff9f8d44b28f1b22bc3bd2f6768");
            assertThat(seen.getLast().encodedPath()).isEqualTo("/api/traces/e8b6dff9f8d44b28f1b22bc3bd2f6768");
            assertThat(t.spans()).hasSize(15);
            assertThat(TraceTree.of(t).rows().getFirst().span().name()).isEqualTo("requester");

            assertThat(tempo.services()).containsExactly("article-service", "postgres", "cart-service", "billing-service", "shop-backend", "auth-service");
            assertThat(seen.getLast().encodedPath()).isEqualTo("/api/v2/search/tag/resource.service.name/values");
            tempo.operations("shop-backend");
            assertThat(seen.getLast().encodedPath()).isEqualTo("/api/v2/search/tag/name/values");
            assertThat(seen.getLast().queryParameter("q")).isEqualTo("{ resource.service.name = \"shop-backend\" }");

            TraceQuery q = new TraceQuery("frontend", null, Duration.ofMillis(600), null, Map.of("service.name", "cartservice"),
                    Instant.ofEpochSecond(1634727000), Instant.ofEpochSecond(1634728000, 1), 20);
            TraceSource.SearchResult r = tempo.search(q);
            HttpUrl u = seen.getLast();
            assertThat(u.encodedPath()).isEqualTo("/api/search");
            // the tag wins over the service field: one service.name term, the tag's value
            assertThat(u.queryParameter("tags")).isEqualTo("service.name=\"cartservice\"");
            assertThat(u.queryParameter("minDuration")).isEqualTo("600000us");
            assertThat(u.queryParameter("start")).isEqualTo("1634727000");
            assertThat(u.queryParameter("end")).as("rounded up to whole seconds").isEqualTo("1634728001");
            assertThat(r.traces()).extracting(TraceSummary::traceId).containsExactly("d6e9329d67b6146a", "1b1ba462b409200d");

            TempoTraceSource traceQl = tempo.withTraceQl(true);
            traceQl.search(q.withTags(Map.of("http.status_code", "500")));
            assertThat(seen.getLast().queryParameter("q"))
                    .isEqualTo("{ resource.service.name = \"frontend\" && .http.status_code = 500 && traceDuration >= 600000us }");
            assertThat(seen.getLast().queryParameter("tags")).isNull();
            assertThat(tempo.uiLink("e8b6dff9f8d44b28f1b22bc3bd2f6768")).isEmpty();
        }
    }

    @Test
    void tempoOneFallsBackToTheV1TagValues() throws Exception {
        List<HttpUrl> seen = new CopyOnWriteArrayList<>();
        try (JdkMockServer s = replay(seen, p -> p.equals("/api/search/tag/service.name/values") ? "tempo/tag-values-v1.json" : null);
             TempoTraceSource tempo = new TempoTraceSource("Tempo", Endpoint.of(s.url()))) {
            assertThat(tempo.services()).containsExactly("article-service", "auth-service", "billing-service", "cart-service", "postgres", "shop-backend");
            assertThat(seen).extracting(HttpUrl::encodedPath).containsExactly("/api/v2/search/tag/resource.service.name/values", "/api/search/tag/service.name/values");
        }
    }
}
