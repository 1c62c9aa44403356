package io.andon.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.net.Endpoint;
import io.andon.stack.Elasticsearch;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The log client on the real Elasticsearch with 120 000 generated documents (odd Unicode, 1 MB messages, missing fields). */
@Tag("integration")
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogClientTest {
    static final int DOCS = 120_000;
    static final String INDEX = "mes-logs-test";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Instant END = Instant.now().minusSeconds(60);
    static final Instant START = END.minus(Duration.ofHours(2));
    static Elasticsearch es;
    static LogClient client;
    static long errors;

    @BeforeAll
    static void load(Stack stack) throws Exception {
        es = stack.elasticsearch();
        String template = Files.readString(java.nio.file.Path.of(System.getProperty("andon.project.dir", "."), "src/server/elasticsearch/mes-logs-template.json"));
        send("PUT", "/_index_template/mes-logs", template);
        send("DELETE", "/" + INDEX, null);
        String[] levels = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
        String[] services = {"mes-app", "mes-api", "erp-bridge"};
        String[] odd = {"设备 EQ 状态 ✔", "emoji 🏭🔧", "עברית RTL", "\"quoted\" \\ back", "line\nbreak", "zero\u200Bwidth"};
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < DOCS; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("@timestamp", START.plusMillis((long) i * Duration.between(START, END).toMillis() / DOCS).toString());
            String level = levels[i % levels.length];
            if (level.equals("ERROR")) errors++;
            d.put("level", level);
            if (i % 97 != 0) d.put("service", services[i % 3]); // some documents miss fields
            d.put("logger", "io.andon.mes." + (i % 7));
            d.put("message", (i % 5000 == 0 ? "x".repeat(1_000_000) : "request " + i + " " + odd[i % odd.length]));
            d.put("request_id", "req-" + (i / 3));
            d.put("correlation_id", "corr-" + (i / 30));
            d.put("user_id", "user-" + (i % 40));
            if (i % 1000 == 0) d.put("audit", Map.of("action", "equipment_status_change", "object", "equipment", "before", Map.of("status", "ACTIVE"), "after", Map.of("status", "DOWN")));
            bulk.append("{\"index\":{\"_index\":\"").append(INDEX).append("\"}}\n").append(JSON.writeValueAsString(d)).append('\n');
            if (bulk.length() > 8_000_000 || i == DOCS - 1) {
                HttpResponse<String> r = send("POST", "/_bulk", bulk.toString());
                assertThat(JSON.readTree(r.body()).path("errors").asBoolean()).as("bulk errors").isFalse();
                bulk.setLength(0);
            }
        }
        send("POST", "/" + INDEX + "/_refresh", null);
        client = new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30))));
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + path)).header("Content-Type", "application/x-ndjson")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static LogQuery all() {
        return new LogQuery(INDEX, START.minusSeconds(1), END.plusSeconds(1), "", Map.of(), Map.of(), false);
    }

    @Test
    @Order(1)
    void healthAndFiltersAndHistogramTotals() throws Exception {
        assertThat(client.health()).isIn("green", "yellow");
        LogClient.Page p = client.search(all().including("level", "ERROR"), null, 50);
        assertThat(p.total()).isEqualTo(errors);
        assertThat(p.hits()).allMatch(h -> "ERROR".equals(h.level()));
        assertThat(p.hits().getFirst().timestamp()).isAfterOrEqualTo(p.hits().getLast().timestamp());
        client.close(p.next());
        LogClient.Histogram h = client.histogram(all().including("level", "ERROR"));
        assertThat(h.buckets().stream().mapToLong(LogClient.Bucket::total).sum()).as("histogram totals equal hits").isEqualTo(errors);
        assertThat(h.buckets().size()).as("2 h in 1 min buckets").isBetween(60, 125);
        assertThat(LogClient.interval(Duration.ofMinutes(15))).hasSeconds(10);
        assertThat(LogClient.interval(Duration.ofDays(30))).as("120 buckets of 6 h").hasHours(6);
        var stats = client.fieldStats(all(), List.of("level", "service"));
        assertThat(stats.get("level")).extracting(LogClient.Count::value).contains("INFO", "ERROR", "WARN", "DEBUG");
        assertThat(client.search(all().withAudit(true), null, 10).total()).isEqualTo(DOCS / 1000);
        LogClient.Page text = client.search(all().withText("设备"), null, 10);
        assertThat(text.total()).isPositive();
    }

    @Test
    @Order(2)
    void userTextStaysAValue() throws Exception {
        for (String evil : List.of("\"}", "\\", "{{", "*", "level:ERROR OR 1=1", "\"}},{\"match_all\":{}}")) {
            LogClient.Page p = client.search(all().including("request_id", evil), null, 5);
            assertThat(p.total()).as("term filter with " + evil).isZero();
            client.close(p.next());
        }
        // simple_query_string syntax is lenient: a stray quote or operator is text, not an error
        assertThat(client.search(all().withText("\"unclosed AND (("), null, 5).total()).isGreaterThanOrEqualTo(0);
        assertThatThrownBy(() -> client.search(all().including("line", "not-a-number"), null, 5))
                .isInstanceOf(LogException.class).hasMessageStartingWith("the search could not be run");
    }

    @Test
    @Order(3)
    void pagingPastTenThousandIsStableWhileNewLogsArrive() throws Exception {
        Set<String> ids = new HashSet<>();
        LogClient.Cursor c = null;
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            int i = 0;
            while (!stop.get() && i < 20) {
                try {
                    send("POST", "/" + INDEX + "/_doc?refresh=true", "{\"@timestamp\":\"" + Instant.now() + "\",\"level\":\"INFO\",\"service\":\"mes-app\",\"message\":\"late " + i++ + "\"}");
                } catch (Exception e) {
                    return;
                }
            }
        });
        int pages = 0;
        long total = -1;
        Instant prev = Instant.MAX;
        while (ids.size() < 15_000) {
            LogClient.Page p = client.search(all(), c, 1000);
            if (total < 0) total = p.total();
            for (LogHit h : p.hits()) {
                assertThat(ids.add(h.id())).as("no duplicate across pages").isTrue();
                if (h.timestamp() != null) {
                    assertThat(h.timestamp()).isBeforeOrEqualTo(prev);
                    prev = h.timestamp();
                }
            }
            c = p.next();
            pages++;
            if (p.hits().isEmpty()) break;
        }
        stop.set(true);
        writer.get();
        client.close(c);
        assertThat(pages).isEqualTo(15);
        assertThat(ids).hasSize(15_000);
        assertThat(total).isEqualTo(DOCS);
    }

    @Test
    @Order(4)
    void surroundingAndExport() throws Exception {
        LogClient.Page page = client.search(all().including("service", "mes-api").including("level", "WARN"), null, 500);
        LogHit hit = page.hits().get(400); // in the middle of the service's logs
        client.close(page.next());
        List<LogHit> around = client.surrounding(hit, 3);
        assertThat(around).hasSize(7).allMatch(h -> "mes-api".equals(h.service()));
        assertThat(around.get(3).id()).isEqualTo(hit.id());
        for (int i = 1; i < around.size(); i++) assertThat(around.get(i).timestamp()).isAfterOrEqualTo(around.get(i - 1).timestamp());

        LogQuery warn = all().including("level", "WARN");
        long expected = client.search(warn, null, 1).total();
        StringWriter csv = new StringWriter();
        long[] progress = {0};
        long rows = client.export(warn, LogClient.Format.CSV, csv, n -> progress[0] = n, new AtomicBoolean());
        assertThat(rows).isEqualTo(expected);
        assertThat(csv.toString().lines().count()).as("header + rows (newlines inside messages are quoted)").isGreaterThanOrEqualTo(expected + 1);
        assertThat(progress[0]).isEqualTo(expected);
        StringWriter nd = new StringWriter();
        assertThat(client.export(warn, LogClient.Format.NDJSON, nd, n -> {}, new AtomicBoolean())).isEqualTo(expected);
        assertThat(nd.toString().lines().count()).isEqualTo(expected);
        AtomicBoolean cancel = new AtomicBoolean();
        long partial = client.export(all(), LogClient.Format.NDJSON, new StringWriter(), n -> { if (n >= 3000) cancel.set(true); }, cancel);
        assertThat(partial).isEqualTo(3000);
    }

    @Test
    @Order(5)
    void elasticsearchStoppedIsAClearState(Stack stack) throws Exception {
        stack.stopService("elasticsearch", false);
        try {
            assertThatThrownBy(() -> client.search(all(), null, 10)).isInstanceOf(LogException.class)
                    .satisfies(e -> assertThat(((LogException) e).kind()).isEqualTo(LogException.Kind.UNREACHABLE))
                    .hasMessageContaining("unreachable at 127.0.0.1:" + es.port());
        } finally {
            stack.startAgain("elasticsearch");
        }
        assertThat(client.health()).isIn("green", "yellow");
    }
}
