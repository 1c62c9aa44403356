package io.andon.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.net.Endpoint;
import io.andon.stack.Elasticsearch;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The log client on the real Elasticsearch, with the project's index template and 120 000 generated documents
 * (CJK, emoji, RTL, zero-width and quote characters, 1 MB messages, documents missing fields).
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class LogClientTest {
    static final int DOCS = 120_000;
    static final String INDEX = "mes-logs-clienttest";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Instant END = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    static final Instant START = END.minus(Duration.ofHours(2));
    static final Instant TIE = START.plus(Duration.ofMinutes(30));
    static final String EVIL_ID = "\"}\\{{ OR 1=1";
    static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    static final String[] SERVICES = {"mes-app", "mes-api", "erp-bridge"};
    static final String[] ODD = {"设备 EQ 状态 ✔", "emoji 🏭🔧 machine", "עברית RTL", "\"quoted\" \\ back", "line\nbreak", "zero\u200Bwidth"};
    static Elasticsearch es;
    static LogClient client;
    static long errors, cjk, noLevel;

    @BeforeAll
    static void load(Stack stack) throws Exception {
        es = stack.elasticsearch();
        Path template = Path.of(System.getProperty("andon.project.dir", "."), "src/server/elasticsearch/mes-logs-template.json");
        assertThat(send("PUT", "/_index_template/mes-logs", Files.readString(template)).statusCode()).isEqualTo(200);
        send("DELETE", "/" + INDEX, null);
        long t0 = System.nanoTime();
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < DOCS; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("@timestamp", START.plusMillis((long) i * Duration.between(START, END).toMillis() / DOCS).toString());
            d.put("seq", i);
            if (i % 89 == 0) {
                noLevel++; // some documents miss the level ...
            } else {
                String level = LEVELS[i % LEVELS.length];
                if (level.equals("ERROR")) errors++;
                d.put("level", level);
            }
            if (i % 97 != 0) d.put("service", SERVICES[i % 3]); // ... or the service
            d.put("logger", "io.andon.mes." + (i % 7));
            d.put("line", i % 500);
            boolean huge = i % 5000 == 0;
            if (!huge && i % ODD.length == 0) cjk++;
            d.put("message", huge ? "x".repeat(1_000_000) : "request " + i + " " + ODD[i % ODD.length]);
            d.put("request_id", i == 7 ? EVIL_ID : "req-" + (i / 3));
            d.put("correlation_id", "corr-" + (i / 30));
            d.put("user_id", i % 40 == 0 ? "用户-🙂" : "user-" + (i % 40));
            if (i % 1000 == 0) d.put("audit", Map.of("action", "equipment_status_change", "object", "equipment", "object_id", "EQ-" + i,
                    "before", Map.of("status", "ACTIVE"), "after", Map.of("status", "DOWN")));
            add(bulk, d);
            if (bulk.length() > 8_000_000) flush(bulk);
        }
        // same service, same timestamp: nine documents surrounded by five older and five newer ones
        for (int k = 0; k < 19; k++) {
            Instant ts = k < 5 ? TIE.minusSeconds(5 - k) : k < 14 ? TIE : TIE.plusSeconds(k - 13);
            add(bulk, Map.of("@timestamp", ts.toString(), "seq", 200_000 + k, "service", "tie-svc", "level", "INFO", "message", "tie " + k));
        }
        flush(bulk);
        send("POST", "/" + INDEX + "/_refresh", null);
        System.out.printf("bulk-loaded %d documents in %d ms%n", DOCS + 19, (System.nanoTime() - t0) / 1_000_000);
        client = new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30))));
    }

    static void add(StringBuilder bulk, Map<String, Object> d) throws Exception {
        bulk.append("{\"index\":{\"_index\":\"").append(INDEX).append("\"}}\n").append(JSON.writeValueAsString(d)).append('\n');
    }

    static void flush(StringBuilder bulk) throws Exception {
        if (bulk.isEmpty()) return;
        HttpResponse<String> r = send("POST", "/_bulk", bulk.toString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("errors").asBoolean()).as("bulk errors").isFalse();
        bulk.setLength(0);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (client != null) client.close();
        if (es != null && es.isRunning()) send("DELETE", "/" + INDEX, null);
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + path)).header("Content-Type", "application/x-ndjson")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static LogQuery all() {
        return new LogQuery(INDEX, START.minusSeconds(1), END.plusSeconds(1), "", Map.of(), Map.of(), false);
    }

    static long total(LogQuery q) throws LogException {
        LogClient.Page p = client.search(q, null, 1);
        client.close(p.next());
        return p.total();
    }

    @Test
    @Order(1)
    void healthFiltersTextAndAudit() throws Exception {
        assertThat(client.health()).isIn("green", "yellow");
        LogClient.Page p = client.search(all().including("level", "ERROR"), null, 50);
        assertThat(p.total()).isEqualTo(errors);
        assertThat(p.hits()).hasSize(50).allMatch(h -> "ERROR".equals(h.level()));
        for (int i = 1; i < p.hits().size(); i++) assertThat(p.hits().get(i).timestamp()).isBeforeOrEqualTo(p.hits().get(i - 1).timestamp());
        client.close(p.next());
        assertThat(total(all().including("level", "ERROR").including("level", "WARN").excluding("service", "mes-app")))
                .isEqualTo(countWhere(i -> i % 89 != 0 && (LEVELS[i % 6].equals("ERROR") || LEVELS[i % 6].equals("WARN")) && (i % 97 == 0 || i % 3 != 0)));
        assertThat(total(all().including("user_id", "用户-🙂"))).isEqualTo(DOCS / 40);

        // free text: CJK, RTL, and a word with the emoji next to it
        assertThat(total(all().withText("设备"))).isEqualTo(cjk);
        assertThat(total(all().withText("עברית"))).isEqualTo(countWhere(i -> i % 5000 != 0 && i % 6 == 2));
        assertThat(total(all().withText("machine -mes"))).isPositive();

        // audit mode: who did what
        LogClient.Page audit = client.search(all().withAudit(true), null, 5);
        assertThat(audit.total()).isEqualTo(DOCS / 1000);
        AuditEntry a = AuditEntry.of(audit.hits().getFirst());
        assertThat(a.action()).isEqualTo("equipment_status_change");
        assertThat(a.object()).isEqualTo("equipment");
        assertThat(a.user()).isNotNull();
        assertThat(a.changes()).containsOnlyKeys("status");
        assertThat(a.changes().get("status")).containsExactly("ACTIVE", "DOWN");
        client.close(audit.next());

        // a missing field is a missing value, not an error
        LogHit noService = client.search(all().including("request_id", "req-" + (97 * 3 / 3)), null, 10).hits().stream()
                .filter(h -> h.service() == null).findFirst().orElseThrow();
        assertThat(noService.fields()).doesNotContainKey("service");
        assertThat(noService.rawJson()).contains("\"seq\":291");
    }

    interface IntPredicate {
        boolean test(int i);
    }

    static long countWhere(IntPredicate p) {
        long n = 0;
        for (int i = 0; i < DOCS; i++) if (p.test(i)) n++;
        return n;
    }

    @Test
    @Order(2)
    void userTextStaysAValueAndBadInputIsExplained() throws Exception {
        for (String evil : List.of("\"}", "\\", "{{", "*", "req-1 OR 1=1", "\"}},{\"match_all\":{}}", "req-*")) {
            assertThat(total(all().including("request_id", evil))).as("term filter with " + evil).isZero();
            assertThat(total(all().excluding("request_id", evil))).as("excluding " + evil).isEqualTo(DOCS + 19);
        }
        // the document whose id is made of those characters is found literally
        LogClient.Page literal = client.search(all().including("request_id", EVIL_ID), null, 5);
        assertThat(literal.hits()).singleElement().satisfies(h -> assertThat(h.requestId()).isEqualTo(EVIL_ID));
        // the search text goes through simple_query_string: JSON-looking text is just text
        assertThat(total(all().withText("\\\"}}, {\\\"match_all\\\": {}}"))).isZero();

        assertThatThrownBy(() -> client.search(all().withText("\"unclosed AND machine"), null, 5)).isInstanceOf(LogException.class)
                .satisfies(e -> assertThat(((LogException) e).kind()).isEqualTo(LogException.Kind.BAD_QUERY))
                .hasMessageContaining("quotation mark \" is not closed")
                .satisfies(e -> System.out.println("bad text: " + e.getMessage()));
        assertThatThrownBy(() -> client.search(all().withText("a AND ((b"), null, 5)).hasMessageContaining("2 '(' are not closed");
        assertThatThrownBy(() -> client.histogram(all().withText("error |"))).hasMessageContaining("ends with the operator '|'");
        assertThatThrownBy(() -> client.search(all().including("line", "not-a-number"), null, 5))
                .isInstanceOf(LogException.class).hasMessageStartingWith("the search could not be run")
                .satisfies(e -> System.out.println("bad term: " + e.getMessage()));
        for (String idx : List.of("nope-logs-*", "nope-logs-1")) {
            assertThatThrownBy(() -> client.search(all().withIndex(idx), null, 5)).isInstanceOf(LogException.class)
                    .hasMessage("no log index matches " + idx);
            assertThatThrownBy(() -> client.histogram(all().withIndex(idx))).hasMessage("no log index matches " + idx);
        }
    }

    @Test
    @Order(3)
    void histogramBucketsAddUpToTheHits() throws Exception {
        for (LogQuery q : List.of(all(), all().including("service", "mes-api"), all().withText("设备"), all().excluding("level", "INFO"))) {
            LogClient.Histogram h = client.histogram(q);
            long hits = total(q);
            assertThat(h.total()).isEqualTo(hits);
            assertThat(h.buckets().stream().mapToLong(LogClient.Bucket::total).sum()).as("histogram totals equal hits").isEqualTo(hits);
            assertThat(h.buckets()).allMatch(b -> b.byLevel().values().stream().mapToLong(Long::longValue).sum() == b.total());
            assertThat(h.interval()).isEqualTo(Duration.ofMinutes(1));
            assertThat(h.buckets().size()).as("2 h in 1 min buckets, empty ones included").isBetween(120, 122);
        }
        assertThat(client.histogram(all()).buckets().stream().mapToLong(b -> b.byLevel().getOrDefault("none", 0L)).sum()).isEqualTo(noLevel);
        var stats = client.fieldStats(all(), LogClient.STAT_FIELDS);
        assertThat(stats.get("level")).extracting(LogClient.Count::value).contains("INFO", "ERROR", "WARN", "DEBUG");
        assertThat(stats.get("service")).extracting(LogClient.Count::value).containsExactlyInAnyOrder("mes-app", "mes-api", "erp-bridge", "tie-svc");
        assertThat(stats.get("logger")).hasSize(7);
        assertThat(stats.get("user_id")).hasSize(10).allMatch(c -> c.count() == DOCS / 40);
    }

    @Test
    @Order(4)
    void pagingPastTenThousandIsStableWhileNewLogsArrive() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger late = new AtomicInteger();
        // new documents land inside the range being paged (a slow shipper): the point in time must not see them
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                try {
                    Instant ts = END.minusMillis(ThreadLocalRandom.current().nextLong(Duration.ofMinutes(20).toMillis()));
                    StringBuilder b = new StringBuilder();
                    for (int k = 0; k < 50; k++) add(b, Map.of("@timestamp", ts.plusMillis(k).toString(), "seq", 300_000 + late.getAndIncrement(), "level", "INFO", "service", "mes-app", "message", "late"));
                    send("POST", "/_bulk?refresh=true", b.toString());
                } catch (Exception e) {
                    return;
                }
            }
        });
        Set<String> ids = new HashSet<>();
        Set<Integer> seqs = new TreeSet<>();
        LogClient.Cursor c = null;
        long firstTotal = -1;
        int pages = 0;
        try {
            while (ids.size() < 15_000) {
                LogClient.Page p = client.search(all(), c, 1000);
                if (firstTotal < 0) firstTotal = p.total();
                assertThat(p.total()).as("the total of a point in time does not move").isEqualTo(firstTotal);
                for (LogHit h : p.hits()) {
                    assertThat(ids.add(h.id())).as("no duplicate across pages").isTrue();
                    seqs.add(Integer.parseInt(String.valueOf(h.fields().get("seq"))));
                }
                c = p.next();
                pages++;
                if (p.hits().isEmpty()) break;
            }
        } finally {
            stop.set(true);
            writer.get();
            client.close(c);
        }
        assertThat(pages).isEqualTo(15);
        assertThat(firstTotal).isEqualTo(DOCS + 19);
        // newest first without gaps: exactly the 15 000 newest generated documents, none of the late ones
        assertThat(seqs).hasSize(15_000);
        assertThat(((TreeSet<Integer>) seqs).first()).isEqualTo(DOCS - 15_000);
        assertThat(((TreeSet<Integer>) seqs).last()).isEqualTo(DOCS - 1);
        assertThat(late.get()).as("documents really arrived meanwhile").isPositive();
        send("POST", "/" + INDEX + "/_refresh", null);
        assertThat(total(all())).as("a new search sees them").isEqualTo(DOCS + 19 + late.get());
        System.out.printf("paged 15 000 hits in %d pages while %d documents arrived%n", pages, late.get());
        send("POST", "/" + INDEX + "/_delete_by_query?refresh=true", "{\"query\":{\"range\":{\"seq\":{\"gte\":300000}}}}");
    }

    @Test
    @Order(5)
    void surroundingFollowAndTail() throws Exception {
        // the fifth of nine documents sharing one timestamp: its neighbours are its equal-time siblings
        LogClient.Page ties = client.search(all().including("service", "tie-svc"), null, 50);
        List<LogHit> same = ties.hits().stream().filter(h -> h.timestamp().equals(TIE)).toList();
        assertThat(same).hasSize(9);
        LogHit hit = same.get(4);
        List<LogHit> around = client.surrounding(hit, 3);
        assertThat(around).hasSize(7).allMatch(h -> "tie-svc".equals(h.service())).allMatch(h -> h.timestamp().equals(TIE));
        assertThat(around).extracting(LogHit::id).doesNotHaveDuplicates();
        assertThat(around.get(3).id()).isEqualTo(hit.id());
        List<LogHit> wide = client.surrounding(hit, 8);
        assertThat(wide).hasSize(17);
        for (int i = 1; i < wide.size(); i++) assertThat(wide.get(i).timestamp()).isAfterOrEqualTo(wide.get(i - 1).timestamp());
        assertThat(wide.getFirst().timestamp()).isBefore(TIE);
        assertThat(wide.getLast().timestamp()).isAfter(TIE);
        // in the middle of a big service
        LogHit mid = client.search(all().including("service", "mes-api").including("level", "WARN"), null, 500).hits().get(400);
        List<LogHit> m = client.surrounding(mid, 5);
        assertThat(m).hasSize(11).allMatch(h -> "mes-api".equals(h.service()));
        assertThat(m.get(5).id()).isEqualTo(mid.id());
        List<Integer> s = m.stream().map(h -> Integer.parseInt(String.valueOf(h.fields().get("seq")))).toList();
        int center = s.get(5);
        List<Integer> expected = new ArrayList<>();
        for (int j = center - 1; expected.size() < 5; j--) if (j % 3 == 1 && j % 97 != 0) expected.addFirst(j);
        expected.add(center);
        for (int j = center + 1; expected.size() < 11; j++) if (j % 3 == 1 && j % 97 != 0) expected.add(j);
        assertThat(s).as("neighbours: the nearest documents of the same service").containsExactlyElementsOf(expected);

        // one request across services
        LogClient.Page trail = client.follow(all().including("service", "mes-app"), "request_id", "req-1000", 10);
        assertThat(trail.hits()).extracting(LogHit::service).containsExactlyInAnyOrder("mes-app", "mes-api", "erp-bridge");
        assertThat(client.follow(all(), "correlation_id", "corr-100", 100).total()).isEqualTo(30);
        assertThatThrownBy(() -> client.follow(all(), "message", "x", 1)).isInstanceOf(IllegalArgumentException.class);

        // live tail: new documents once each, including ones that share the newest timestamp
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        LogClient.Tail tail = client.tail(all().including("service", "tail-svc"), now.minusSeconds(1));
        assertThat(tail.poll(100)).isEmpty();
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 5; k++) add(b, Map.of("@timestamp", now.toString(), "service", "tail-svc", "message", "tail " + k));
        flush(b);
        send("POST", "/" + INDEX + "/_refresh", null);
        assertThat(tail.poll(100)).hasSize(5);
        assertThat(tail.poll(100)).as("nothing twice").isEmpty();
        add(b, Map.of("@timestamp", now.toString(), "service", "tail-svc", "message", "same millisecond, later"));
        add(b, Map.of("@timestamp", now.minusSeconds(5).toString(), "service", "tail-svc", "message", "late shipper batch"));
        flush(b);
        send("POST", "/" + INDEX + "/_refresh", null);
        assertThat(tail.poll(100)).extracting(LogHit::message).containsExactlyInAnyOrder("same millisecond, later", "late shipper batch");
        assertThat(tail.poll(100)).isEmpty();
    }

    @Test
    @Order(6)
    void exportStreamsEveryHitAndCancels() throws Exception {
        LogQuery warn = all().including("level", "WARN");
        long expected = total(warn);
        StringWriter csv = new StringWriter();
        long[] progress = {0, 0};
        long rows = client.export(warn, LogClient.Format.CSV, csv, (done, tot) -> { progress[0] = done; progress[1] = tot; }, new AtomicBoolean());
        assertThat(rows).isEqualTo(expected);
        assertThat(csvRecords(csv.toString())).as("header + one record per hit").isEqualTo(expected + 1);
        assertThat(progress).containsExactly(expected, expected);
        assertThat(csv.toString()).contains("\"request 4 line\nbreak\"");

        ByteArrayOutputStream nd = new ByteArrayOutputStream();
        try (LogService svc = new LogService(new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)))), Clock.systemUTC(), 100)) {
            LogService.ExportJob job = svc.export(all().including("service", "mes-api"), LogClient.Format.NDJSON, nd, (d, t) -> {});
            long n = job.rows().get();
            assertThat(n).isEqualTo(total(all().including("service", "mes-api")));
            List<String> lines = nd.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).hasSize((int) n);
            for (String l : lines) assertThat(JSON.readTree(l).path("service").asText()).isEqualTo("mes-api");
            assertThat(lines.stream().filter(l -> l.contains("用户-🙂")).count()).isPositive();
            assertThat(lines.stream().filter(l -> l.contains("🏭")).count()).isPositive();
            assertThat(lines.stream().filter(l -> l.length() > 1_000_000).count()).as("1 MB messages exported whole").isPositive();

            ByteArrayOutputStream partial = new ByteArrayOutputStream();
            AtomicBoolean[] flag = new AtomicBoolean[1];
            LogService.ExportJob[] holder = new LogService.ExportJob[1];
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            holder[0] = svc.export(all(), LogClient.Format.NDJSON, partial, (d, t) -> {
                try {
                    started.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (d >= 3000) holder[0].cancel();
            });
            flag[0] = holder[0].cancelFlag();
            started.countDown();
            assertThat(holder[0].rows().get()).as("cancelled after the page that reached 3000").isEqualTo(3000);
            assertThat(partial.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(3000);
            assertThat(flag[0].get()).isTrue();
        }
    }

    /** Counts CSV records, honouring quoted newlines. */
    static long csvRecords(String s) {
        long n = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') quoted = !quoted;
            else if (ch == '\n' && !quoted) n++;
        }
        return n;
    }

    @Test
    @Order(7)
    void elasticsearchStoppedIsAClearStaleState(Stack stack) throws Exception {
        try (LogService svc = new LogService(new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)))), Clock.systemUTC(), 50)) {
            LogService.Result good = svc.search(all().including("level", "ERROR")).get();
            assertThat(good.ok()).isTrue();
            assertThat(good.page().hits()).hasSize(50);
            assertThat(good.histogram().total()).isEqualTo(errors);
            assertThat(good.stats().get("level")).extracting(LogClient.Count::value).containsExactly("ERROR");
            LogService.Result bad = svc.search(all().withText("(")).get();
            assertThat(bad.stale()).as("a wrong query is not a stale source").isFalse();
            assertThat(bad.errorKind()).isEqualTo(LogException.Kind.BAD_QUERY);

            stack.stopService(es.name(), false);
            try {
                LogService.Result down = svc.search(all()).get();
                assertThat(down.stale()).isTrue();
                assertThat(down.errorKind()).isEqualTo(LogException.Kind.UNREACHABLE);
                assertThat(down.error()).isEqualTo("Elasticsearch unreachable at 127.0.0.1:" + es.port() + " (connection refused)");
                assertThat(down.page().hits()).as("the last good page stays, marked stale").isEqualTo(good.page().hits());
                assertThat(down.lastGood()).isEqualTo(good.fetchedAt());
                assertThatThrownBy(() -> client.health()).isInstanceOf(LogException.class).hasMessageContaining("unreachable at 127.0.0.1:" + es.port());
                System.out.println("ES down: " + down.error());
            } finally {
                stack.startAgain(es.name());
            }
            assertThat(client.health()).isIn("green", "yellow");
            assertThat(svc.search(all()).get().ok()).isTrue();
        }
    }

}
