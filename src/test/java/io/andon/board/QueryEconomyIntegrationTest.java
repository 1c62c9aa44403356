package io.andon.board;

import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryKey;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, query economy, counted where it costs: the real Prometheus's own count of instant queries it answered
 * ({@code prometheus_http_requests_total{handler="/api/v1/query"}}, read from its /metrics, which is not itself a
 * query and not delayed by a scrape). One cycle of every bundled page plus a copy of one page written with other
 * spacing and matcher order costs exactly the distinct queries; without the shared hub it costs one per tile.
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class QueryEconomyIntegrationTest {
    /** The bundled pages on the default datasource, plus "system" again with each query re-spaced and its matchers reversed. */
    static List<PageSpec> pages() throws Exception {
        List<PageSpec> out = new ArrayList<>();
        // all at 2 s (the bundled 5 s and 15 s) so the test waits out a reuse window in 2 s
        for (PageSpec p : new DashboardRepository(Optional.empty()).load()) {
            if (p.datasource() == null || p.datasource().equals("default")) out.add(new PageSpec(p.id(), p.title(), "2s", null, p.columns(), p.tiles()));
        }
        PageSpec system = out.stream().filter(p -> p.id().equals("system")).findFirst().orElseThrow();
        List<TileSpec> copies = new ArrayList<>();
        for (TileSpec t : system.tiles()) {
            copies.add(new TileSpec(t.id(), t.title(), respaced(t.query()), t.unit(), t.decimals(), t.skin(), t.thresholds(), t.min(), t.max(),
                    t.target(), t.sparklineRange(), t.legendLabel(), t.service(), t.scale(), t.exemplars(), t.idealBurn()));
        }
        out.add(new PageSpec("system-copy", system.title(), "2s", null, system.columns(), copies));
        return out;
    }

    /** The same query as another author would type it: spaces inside parentheses, matchers in reverse order. */
    static String respaced(String q) {
        Matcher m = Pattern.compile("\\{([^{}\"]*=\"[^\"]*\"(?:\\s*,\\s*[^{}\"]*=\"[^\"]*\")+)}").matcher(q);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            List<String> parts = new ArrayList<>(List.of(m.group(1).split("\\s*,\\s*")));
            java.util.Collections.reverse(parts);
            m.appendReplacement(sb, Matcher.quoteReplacement("{ " + String.join(" , ", parts) + " }"));
        }
        m.appendTail(sb);
        return sb.toString().replace("(", "( ").replace(")", " )");
    }

    static long answeredQueries(Stack stack) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.prometheus().baseUri() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long n = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("prometheus_http_requests_total{") && line.contains("handler=\"/api/v1/query\"")) {
                n += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return n;
    }

    /** Every page refreshed once, all at once (the wall's pages, several consoles' worth of tiles). */
    static void oneCycle(List<RefreshEngine> engines) {
        CompletableFuture.allOf(engines.stream().map(e -> CompletableFuture.runAsync(e::refreshNow)).toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void oneCycleOfEveryPageCostsTheDistinctQueriesOnce(Stack stack) throws Exception {
        PrometheusClient c = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        io.andon.prometheus.PrometheusClientIntegrationTest.awaitSelfScrapes(c);
        List<PageSpec> pages = pages();
        Set<String> distinct = new LinkedHashSet<>();
        int tiles = 0;
        for (PageSpec p : pages) {
            for (TileSpec t : p.tiles()) distinct.add(QueryKey.of(t.query()));
            tiles += p.tiles().size();
        }
        distinct.add(QueryKey.of(RefreshEngine.SCRAPE_AGE_QUERY));
        int asked = tiles + pages.size(); // each page also asks for the newest scrape's age
        assertThat(asked).as("the pages share queries, or the test proves nothing").isGreaterThan(distinct.size() + 10);

        QueryHub hub = new QueryHub(c, 4, Duration.ofSeconds(1));
        List<RefreshEngine> shared = new ArrayList<>();
        for (PageSpec p : pages) shared.add(new RefreshEngine(p, hub, Duration.ZERO, s -> {}, Clock.systemUTC(), new Random()));
        try {
            oneCycle(shared); // seeds sparklines (range queries, another handler) and warms up
            Thread.sleep(2_000); // past every reuse window (0.9 × 2 s)
            long before = answeredQueries(stack);
            long hubBefore = hub.backendQueries();
            oneCycle(shared);
            long after = answeredQueries(stack);
            System.out.printf("one cycle, shared hub: %d queries asked by tiles, %d distinct, %d answered by Prometheus%n",
                    asked, distinct.size(), after - before);
            assertThat(after - before).as("backend queries of one cycle").isEqualTo(distinct.size());
            assertThat(hub.backendQueries() - hubBefore).isEqualTo(distinct.size());

            // within the reuse window another round (a page shown again, the wall's preload) costs nothing
            long again = answeredQueries(stack);
            oneCycle(shared);
            assertThat(answeredQueries(stack) - again).as("a second round inside the cycle").isZero();
        } finally {
            shared.forEach(RefreshEngine::close);
        }

        // before issue 21: every engine its own client, each tile its own query
        List<RefreshEngine> alone = new ArrayList<>();
        for (PageSpec p : pages) alone.add(new RefreshEngine(p, c, Duration.ZERO, s -> {}, Clock.systemUTC()));
        try {
            oneCycle(alone);
            Thread.sleep(2_000);
            long before = answeredQueries(stack);
            oneCycle(alone);
            long cost = answeredQueries(stack) - before;
            System.out.printf("one cycle, no sharing: %d answered by Prometheus%n", cost);
            assertThat(cost).as("without the hub, duplicates go out (within a page they are still joined)").isGreaterThan(distinct.size());
        } finally {
            alone.forEach(RefreshEngine::close);
        }
    }
}
