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
        Path log = logs.resolve("mes-app.json");
        Files.writeString(log, "");
        Shipper shipper = stack.shipper(logs + "/*.json");
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
}
