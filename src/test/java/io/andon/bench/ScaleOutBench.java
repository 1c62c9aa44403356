package io.andon.bench;

import io.andon.board.DashboardRepository;
import io.andon.board.PageSnapshot;
import io.andon.board.PageSpec;
import io.andon.board.RefreshEngine;
import io.andon.logs.LogClient;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.prometheus.Datasource;
import io.andon.prometheus.PrometheusClient;
import io.andon.stack.Elasticsearch;
import io.andon.stack.Prometheus;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.stack.VictoriaMetrics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Scale-out figures: P2 (page refresh vs its slowest query) with the console on one plant's Prometheus vs on the
 * VictoriaMetrics both plants remote-write to; P7 (first page, page at hit 100 000) on a two-node cluster with one
 * replica vs a single node, same documents.
 */
@Tag("bench")
@ExtendWith(StackExtension.class)
class ScaleOutBench {
    private static final int REFRESHES = 15;
    private static final int LOG_DOCS = Integer.getInteger("andon.bench.scaleout.docs", 200_000);

    @Test
    void pageRefreshOnVictoriaMetricsAndLogsOnTwoNodes(Stack stack) throws Exception {
        StringBuilder md = new StringBuilder("## Scale-out: P2 on VictoriaMetrics, P7 on a two-node Elasticsearch\n\n");
        md.append(p2(stack)).append('\n').append(p7(stack));
        BenchReport.write("scaleout", md.toString());
    }

    private String p2(Stack stack) throws Exception {
        var plants = io.andon.scaleout.TwoPlants.start(stack);
        VictoriaMetrics vm = plants.vm();
        Prometheus p1 = plants.sh01();
        PrometheusClient prom = new PrometheusClient("Prometheus SH01", Endpoint.of(p1.baseUri().toString()));
        PrometheusClient vmCached = new PrometheusClient(new Datasource("vm", Endpoint.of(vm.baseUri() + "/?extra_label=site=SH01"), Duration.ZERO));
        PrometheusClient vmLive = new PrometheusClient(new Datasource("vm-live", Endpoint.of(vm.baseUri() + "/?extra_label=site=SH01&nocache=1"), Duration.ZERO));
        // 45 s: rates have samples, and VictoriaMetrics (30 s behind by default) has some too
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (vmCached.query("sli:requests:rate5m").samples().isEmpty() && System.nanoTime() < deadline) Thread.sleep(1000);
        Thread.sleep(15_000);
        StringBuilder t = new StringBuilder("""
                ### P2 page refresh: one plant's Prometheus vs VictoriaMetrics (both plants remote-write to it)
                Median of %d refreshes of each bundled page for plant SH01 (VictoriaMetrics datasource
                `?extra_label=site=SH01`; "nocache" adds `&nocache=1`). Ratio = page refresh / its slowest query (goal ≤ 1.2×).

                | page | tiles | Prometheus ms (ratio) | VictoriaMetrics ms (ratio) | VM nocache ms (ratio) | VM / Prometheus |
                |---|---|---|---|---|---|
                """.formatted(REFRESHES));
        double worstRatio = 0;
        for (PageSpec page : new DashboardRepository(Optional.empty()).load()) {
            double[][] r = new double[3][];
            int i = 0;
            for (PrometheusClient c : List.of(prom, vmCached, vmLive)) {
                r[i++] = refresh(page, c);
            }
            for (double[] x : r) worstRatio = Math.max(worstRatio, x[0] / x[1]);
            t.append(String.format(Locale.ROOT, "| %s | %d | %.1f (%.2f×) | %.1f (%.2f×) | %.1f (%.2f×) | %.2f× |%n", page.id(), page.tiles().size(),
                    r[0][0], r[0][0] / r[0][1], r[1][0], r[1][0] / r[1][1], r[2][0], r[2][0] / r[2][1], r[1][0] / r[0][0]));
        }
        t.append(String.format(Locale.ROOT, "%nWorst refresh/slowest-query ratio: %.2f×.%n", worstRatio));
        return t.toString();
    }

    /** Median refresh time and median slowest query (ms) of a page on a source. */
    private static double[] refresh(PageSpec page, PrometheusClient c) {
        double[] total = new double[REFRESHES], slowest = new double[REFRESHES];
        try (RefreshEngine e = new RefreshEngine(page, c, Duration.ofMinutes(5), s -> {}, Clock.systemUTC())) {
            e.refreshNow(); // warm-up (sparkline seeding, connections)
            for (int i = 0; i < REFRESHES; i++) {
                PageSnapshot s = e.refreshNow();
                total[i] = s.refreshTime().toNanos() / 1e6;
                slowest[i] = s.slowestQuery().toNanos() / 1e6;
            }
        }
        return new double[]{BenchReport.median(total), BenchReport.median(slowest)};
    }

    private String p7(Stack stack) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant end = Instant.now(), start = end.minus(Duration.ofDays(1));
        Elasticsearch single = stack.elasticsearch();
        double loadSingle = load(http, single.baseUri(), 0, start, end);
        double[] one = pages(List.of(single.baseUri()), start, end);
        List<Elasticsearch> nodes = stack.elasticsearchCluster(2);
        double loadCluster = load(http, nodes.get(0).baseUri(), 1, start, end);
        HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(nodes.get(0).baseUri() + "/_cluster/health/mes-logs-bench?wait_for_status=green&timeout=120s")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (!h.body().contains("\"green\"")) throw new AssertionError("cluster not green: " + h.body());
        double[] two = pages(nodes.stream().map(Elasticsearch::baseUri).toList(), start, end);
        return String.format(Locale.ROOT, """
                ### P7 logs: two-node cluster (1 primary + 1 replica) vs single node
                %d documents in one index (bulk load: single node %.0f s, cluster %.0f s with the replica). Median of 5,
                page size 100, newest first, total hits counted; the client lists every node.

                | what | single node ms | two nodes ms | two / single, or verdict (single / two) |
                |---|---|---|---|
                | first page on an open PIT (as the deep page), wall time in the client | %.1f | %.1f | %.2f× |
                | ES `took` of the first page | %.0f | %.0f | |
                | client overhead over `took` (goal < 50 ms) | %.1f | %.1f | %s / %s |
                | page at hit 100 000 (search_after on the PIT) | %.1f | %.1f | %.2f× |
                | deep page / first page (goal ≤ 1.5×) | %.2f× | %.2f× | %s / %s |
                """, LOG_DOCS, loadSingle, loadCluster, one[0], two[0], two[0] / one[0], one[1], two[1], one[0] - one[1], two[0] - two[1],
                Verdict.below(one[0] - one[1], 50, Verdict.full()), Verdict.below(two[0] - two[1], 50, Verdict.full()),
                one[2], two[2], two[2] / one[2], one[2] / one[0], two[2] / two[0],
                Verdict.atMost(one[2] / one[0], 1.5, Verdict.full()), Verdict.atMost(two[2] / two[0], 1.5, Verdict.full()));
    }

    /** The project's template (with {@code replicas}) and LOG_DOCS documents; returns the load time in seconds. */
    private static double load(HttpClient http, URI es, int replicas, Instant start, Instant end) throws Exception {
        String template = Files.readString(Path.of(System.getProperty("andon.project.dir", "."), "src/server/elasticsearch/mes-logs-template.json"))
                .replace("\"number_of_replicas\": 0", "\"number_of_replicas\": " + replicas);
        if (!template.contains("\"number_of_replicas\": " + replicas)) throw new AssertionError("template has no number_of_replicas to set");
        send(http, HttpRequest.newBuilder(URI.create(es + "/_index_template/mes-logs")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(template)).build());
        long t0 = System.nanoTime();
        String[] levels = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
        long span = Duration.between(start, end).toMillis();
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < LOG_DOCS; i++) {
            bulk.append("{\"index\":{\"_index\":\"mes-logs-bench\"}}\n{\"@timestamp\":\"")
                    .append(start.plusMillis(span * i / LOG_DOCS)).append("\",\"level\":\"").append(levels[i % 6])
                    .append("\",\"service\":\"mes-app\",\"logger\":\"io.andon.mes.").append(i % 7).append("\",\"message\":\"request ").append(i)
                    .append(" done\",\"request_id\":\"req-").append(i).append("\",\"user_id\":\"user-").append(i % 40).append("\"}\n");
            if (bulk.length() > 10_000_000 || i == LOG_DOCS - 1) {
                String body = send(http, HttpRequest.newBuilder(URI.create(es + "/_bulk")).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(bulk.toString())).build());
                if (body.startsWith("{\"errors\":true")) throw new AssertionError("bulk failed: " + body.substring(0, 300));
                bulk.setLength(0);
            }
        }
        send(http, HttpRequest.newBuilder(URI.create(es + "/mes-logs-bench/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build());
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Median first-page wall time, its `took`, and the page at hit 100 000 (ms). */
    private static double[] pages(List<URI> nodes, Instant start, Instant end) throws Exception {
        List<Endpoint> eps = new ArrayList<>();
        for (URI u : nodes) eps.add(Endpoint.of(u.toString()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60)));
        try (LogClient client = new LogClient("Elasticsearch", eps)) {
            LogQuery q = new LogQuery("mes-logs-bench", start, end, "", Map.of(), Map.of(), false);
            client.close(client.search(q, null, 100).next()); // warm-up
            double[] first = new double[5], took = new double[5], deep = new double[5];
            for (int i = 0; i < 5; i++) {
                // equal work with the deep page: page 1 on a point in time that is already open (opened untimed here)
                LogClient.Cursor open = client.search(q, null, 1).next();
                long s0 = System.nanoTime();
                LogClient.Page p = client.search(q, new LogClient.Cursor(open.pitId(), List.of()), 100);
                first[i] = (System.nanoTime() - s0) / 1e6;
                took[i] = p.tookMs();
                client.close(p.next() != null ? p.next() : open);
            }
            LogClient.Cursor c = null;
            int walk = Math.min(100, LOG_DOCS / 1000 - 1);
            for (int i = 0; i < walk; i++) c = client.search(q, c, 1000).next();
            for (int i = 0; i < 5; i++) {
                long s0 = System.nanoTime();
                client.search(q, c, 100);
                deep[i] = (System.nanoTime() - s0) / 1e6;
            }
            client.close(c);
            return new double[]{BenchReport.median(first), BenchReport.median(took), BenchReport.median(deep)};
        }
    }

    private static String send(HttpClient http, HttpRequest r) throws Exception {
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() / 100 != 2) throw new AssertionError(r.method() + " " + r.uri() + " answered " + resp.statusCode() + ": " + resp.body());
        return resp.body();
    }
}
