package io.andon.server.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.stack.Elasticsearch;
import io.andon.stack.Shipper;
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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The real shipper: a JSON line appended to a log file becomes a typed document in the real Elasticsearch. */
@Tag("integration")
@ExtendWith(StackExtension.class)
class ShipperTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLineIsSearchableWithTheTemplateMapping(Stack stack) throws Exception {
        Elasticsearch es = stack.elasticsearch();
        String template = Files.readString(ServerConfigTest.SERVER.resolve("elasticsearch/mes-logs-template.json"));
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_index_template/mes-logs"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(template)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        Path logs = Files.createDirectories(stack.workDir().resolve("shipper-test-logs"));
        Shipper shipper = stack.shipper(logs + "/*.json");
        // another test class may have started the shared shipper on another directory first
        Path log = tailedDir(shipper).resolve("mes-app-" + UUID.randomUUID() + ".json");
        Files.writeString(log, "");
        String rid = UUID.randomUUID().toString();
        String line = JSON.writeValueAsString(java.util.Map.of(
                "@timestamp", Instant.now().toString(), "level", "ERROR", "logger", "io.andon.mes.Orders",
                "message", "设备 EQ0000042 状态更新失败 \"quoted\"", "service", "mes-app", "request_id", rid,
                "line", 42, "user_id", "u-7")) + "\n";
        Files.writeString(log, line, StandardOpenOption.APPEND);

        JsonNode hit = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (hit == null && System.nanoTime() < deadline) {
            Thread.sleep(500);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/mes-logs-*/_search"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of(
                            "query", java.util.Map.of("term", java.util.Map.of("request_id", rid)))))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode hits = JSON.readTree(r.body()).path("hits").path("hits");
                if (hits.size() > 0) hit = hits.get(0);
            }
        }
        assertThat(hit).as("document shipped; shipper log:\n" + shipper.tail(20)
                + "\nerror file: " + (Files.exists(shipper.errorFile()) ? Files.readString(shipper.errorFile()) : "(none)")).isNotNull();
        assertThat(hit.path("_index").asText()).startsWith("mes-logs-");
        assertThat(hit.path("_source").path("message").asText()).contains("设备").contains("\"quoted\"");
        JsonNode mapping = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/" + hit.path("_index").asText() + "/_mapping")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).elements().next().path("mappings").path("properties");
        assertThat(mapping.path("@timestamp").path("type").asText()).isEqualTo("date");
        assertThat(mapping.path("level").path("type").asText()).isEqualTo("keyword");
        assertThat(mapping.path("line").path("type").asText()).isEqualTo("integer");
        assertThat(mapping.path("message").path("type").asText()).isEqualTo("text");
    }
    /**
     * The plant's own Python JSONFormatter (spec, log section): `timestamp` without zone, `exception` as one
     * string, level WARNING; plus a line that is not JSON at all. With the template's object mapping for
     * `exception`, Elasticsearch rejects such a document unless the shipper reshapes it; a non-JSON line used to
     * be dropped. Both must arrive, typed, in the index of the event's day.
     */
    @Test
    void thePlantsPythonLogLinesAndNonJsonLinesArriveTyped(Stack stack) throws Exception {
        Elasticsearch es = stack.elasticsearch();
        putTemplate(es);
        Shipper shipper = stack.shipper(Files.createDirectories(stack.workDir().resolve("shipper-test-logs")) + "/*.json");
        Path log = tailedDir(shipper).resolve("plant-python-" + UUID.randomUUID() + ".json");
        Files.writeString(log, "");
        String rid = UUID.randomUUID().toString();
        String traceback = "Traceback (most recent call last):\n  File \"/opt/mes/orders.py\", line 88, in book\n"
                + "ValueError: 数量不能为负: -3\n";
        // the shape of json.dumps(log_entry, ensure_ascii=False) in the spec's JSONFormatter
        java.util.Map<String, Object> python = new java.util.LinkedHashMap<>();
        python.put("timestamp", "2024-01-02T03:04:05.123456");
        python.put("level", "WARNING");
        python.put("logger", "mes.orders");
        python.put("message", "报工数量无效");
        python.put("module", "orders");
        python.put("function", "book");
        python.put("line", 88);
        python.put("thread", 140213345367872L);
        python.put("process", 4711);
        python.put("exception", traceback);
        python.put("request_id", rid);
        String marker = "not-json-" + UUID.randomUUID();
        Files.writeString(log, JSON.writeValueAsString(python) + "\n" + "Fatal Python error: " + marker + " {broken\n",
                StandardOpenOption.APPEND);

        JsonNode py = awaitHit(es, shipper, java.util.Map.of("term", java.util.Map.of("request_id", rid)));
        assertThat(py.path("_index").asText()).as("index of the event's day, not of the reception day").isEqualTo("mes-logs-2024.01.02");
        JsonNode src = py.path("_source");
        assertThat(src.path("@timestamp").asText()).isEqualTo("2024-01-02T03:04:05.123456");
        assertThat(src.has("timestamp")).as("timestamp moved to @timestamp").isFalse();
        assertThat(src.path("level").asText()).isEqualTo("WARN");
        assertThat(src.path("exception").path("type").asText()).isEqualTo("ValueError");
        assertThat(src.path("exception").path("message").asText()).isEqualTo("数量不能为负: -3");
        assertThat(src.path("exception").path("stacktrace").asText()).isEqualTo(traceback);
        // typed: the date range and the keyword term find it, as the console's logs page asks
        assertThat(count(es, "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"request_id\":\"" + rid + "\"}},"
                + "{\"term\":{\"exception.type\":\"ValueError\"}},{\"term\":{\"level\":\"WARN\"}},"
                + "{\"range\":{\"@timestamp\":{\"gte\":\"2024-01-02T03:04:05.123Z\",\"lt\":\"2024-01-02T03:04:05.124Z\"}}}]}}}"))
                .isEqualTo(1);

        JsonNode raw = awaitHit(es, shipper, java.util.Map.of("match_phrase", java.util.Map.of("message", marker)));
        assertThat(raw.path("_source").path("level").asText()).isEqualTo("UNPARSED");
        assertThat(raw.path("_source").path("message").asText()).isEqualTo("Fatal Python error: " + marker + " {broken");
        Instant at = Instant.parse(raw.path("_source").path("@timestamp").asText().replace("+00:00", "Z"));
        assertThat(Duration.between(at, Instant.now()).abs()).as("reception time for a line without its own").isLessThan(Duration.ofMinutes(10));
    }

    private static void putTemplate(Elasticsearch es) throws Exception {
        String template = Files.readString(ServerConfigTest.SERVER.resolve("elasticsearch/mes-logs-template.json"));
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_index_template/mes-logs"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(template)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    /** The directory the (shared, maybe already started) shipper really tails, read from its rendered config. */
    private static Path tailedDir(Shipper shipper) throws Exception {
        String cfg = Files.readString(shipper.errorFile().resolveSibling("andon-shipper.conf"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("File=\"([^\"]+)/\\*\\.json\"").matcher(cfg);
        assertThat(m.find()).as("the shipper tails a <dir>/*.json glob:\n" + cfg).isTrue();
        return Files.createDirectories(Path.of(m.group(1)));
    }

    private static JsonNode awaitHit(Elasticsearch es, Shipper shipper, Object query) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/mes-logs-*/_search"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("query", query)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode hits = JSON.readTree(r.body()).path("hits").path("hits");
                if (hits.size() > 0) return hits.get(0);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no document for " + JSON.writeValueAsString(query) + " in 60 s; shipper log:\n" + shipper.tail(20)
                + "\nerror file: " + (Files.exists(shipper.errorFile()) ? Files.readString(shipper.errorFile()) : "(none)"));
    }

    private static long count(Elasticsearch es, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/mes-logs-*/_count"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("count").asLong();
    }
}
