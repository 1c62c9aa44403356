package io.andon.bench;

import io.andon.logs.LogClient;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.stack.Elasticsearch;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** P7: first page over 1 M log documents vs the `took` Elasticsearch reports; a page at hit 100 000 vs page 1. */
@Tag("bench")
@ExtendWith(StackExtension.class)
class LogsBench {
    @Test
    void firstPageAndDeepPage(Stack stack) throws Exception {
        Elasticsearch es = stack.elasticsearch();
        HttpClient http = HttpClient.newHttpClient();
        String template = Files.readString(Path.of(System.getProperty("andon.project.dir", "."), "src/server/elasticsearch/mes-logs-template.json"));
        http.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_index_template/mes-logs")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(template)).build(), HttpResponse.BodyHandlers.discarding());
        int docs = Verdict.size(1_000_000, 20_000);
        int deepPages = Verdict.size(100, 10); // pages of 1000 walked before the deep page: hit 100 000 (quick: 10 000)
        Instant end = Instant.now(), start = end.minus(Duration.ofDays(1));
        long t0 = System.nanoTime();
        StringBuilder bulk = new StringBuilder();
        String[] levels = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
        for (int i = 0; i < docs; i++) {
            bulk.append("{\"index\":{\"_index\":\"mes-logs-bench\"}}\n{\"@timestamp\":\"")
                    .append(start.plusMillis((long) i * 86_400_000L / docs)).append("\",\"level\":\"").append(levels[i % 6])
                    .append("\",\"service\":\"mes-app\",\"logger\":\"io.andon.mes.").append(i % 7).append("\",\"message\":\"request ").append(i)
                    .append(" done\",\"request_id\":\"req-").append(i).append("\",\"user_id\":\"user-").append(i % 40).append("\"}\n");
            if (bulk.length() > 10_000_000 || i == docs - 1) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_bulk")).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(bulk.toString())).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || r.body().startsWith("{\"errors\":true")) throw new AssertionError("bulk failed: " + r.body().substring(0, 300));
                bulk.setLength(0);
            }
        }
        http.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/mes-logs-bench/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        double loadSec = (System.nanoTime() - t0) / 1e9;
        try (LogClient client = new LogClient("Elasticsearch", java.util.List.of(Endpoint.of(es.baseUri().toString()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60))))) {
            LogQuery q = new LogQuery("mes-logs-bench", start, end, "", Map.of(), Map.of(), false);
            client.close(client.search(q, null, 100).next()); // warm-up
            int n = Verdict.size(5, 3);
            // equal work: page 1 and the deep page both run on a point in time that is already open; opening one is
            // timed on its own (what a user's first page costs on top) and in neither of the two compared figures
            double[] pitOpen = new double[n], first = new double[n], took = new double[n], firstWithOpen = new double[n];
            for (int i = 0; i < n; i++) {
                long o0 = System.nanoTime();
                String pit = openPit(http, es.baseUri() + "/mes-logs-bench/_pit?keep_alive=5m");
                pitOpen[i] = (System.nanoTime() - o0) / 1e6;
                long s0 = System.nanoTime();
                LogClient.Page p = client.search(q, new LogClient.Cursor(pit, java.util.List.of()), 100);
                first[i] = (System.nanoTime() - s0) / 1e6;
                took[i] = p.tookMs();
                client.close(p.next() != null ? p.next() : new LogClient.Cursor(pit, java.util.List.of()));
                long w0 = System.nanoTime();
                LogClient.Page viaClient = client.search(q, null, 100); // as the console does it: open + page 1
                firstWithOpen[i] = (System.nanoTime() - w0) / 1e6;
                client.close(viaClient.next());
            }
            // walk to the deep hit with pages of 1000 on one point in time, then time the next page of 100 on it
            LogClient.Cursor c = null;
            for (int i = 0; i < deepPages; i++) c = client.search(q, c, 1000).next();
            double[] deep = new double[n];
            LogClient.Cursor at = c;
            for (int i = 0; i < n; i++) {
                long s0 = System.nanoTime();
                client.search(q, at, 100);
                deep[i] = (System.nanoTime() - s0) / 1e6;
            }
            client.close(c);
            double f = BenchReport.median(first), t = BenchReport.median(took), d = BenchReport.median(deep), o = BenchReport.median(pitOpen),
                    fo = BenchReport.median(firstWithOpen);
            boolean complete = Verdict.complete(n, 5);
            BenchReport.write("p7-logs", String.format(java.util.Locale.ROOT, """
                    ## P7 logs over %,d documents
                    Bulk-loaded %,d documents in %.0f s. Median of %d, page size 100, newest first, total hits counted. Page 1 and the deep page
                    both run on an already open point in time (equal work); opening it is timed apart.

                    | what | ms | ratio | verdict |
                    |---|---|---|---|
                    | open a point in time (`POST _pit`), apart | %.1f | | |
                    | first page on an open point in time, wall time in the client | %.1f | ES `took` %.0f ms → client overhead %.1f ms | %s (goal < 50 ms overhead) |
                    | page at hit %,d (search_after on the same open point in time) | %.1f | %.2f× page 1 | %s (goal ≤ 1.5×) |
                    | first page as the console runs it (PIT open + search), for reference | %.1f | | |
                    %s""", docs, docs, loadSec, n, o, f, t, f - t, Verdict.below(f - t, 50, complete), deepPages * 1000, d, d / f,
                    Verdict.atMost(d / f, 1.5, complete), fo, Verdict.shortfall("runs", n, 5)));
        }
    }

    private static String openPit(HttpClient http, String uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("open PIT: HTTP " + r.statusCode() + " " + r.body());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("id").asText();
    }
}
