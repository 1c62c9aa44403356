package io.andon.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness starts the real services, restarts them on the same port with their data, and fails loudly. */
@Tag("integration")
@ExtendWith(StackExtension.class)
class StackTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void postgresKeepsDataAcrossRestartAndHasTheSchema(Stack stack) throws Exception {
        Postgres pg = stack.postgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS harness_probe(v int)");
            s.execute("INSERT INTO harness_probe VALUES (42)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'mes_core'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("mes_core tables from src/server/postgres").isGreaterThanOrEqualTo(10);
            }
        }
        int port = pg.port();
        stack.stopService("postgres", false);
        assertThat(pg.isRunning()).isFalse();
        stack.startAgain("postgres");
        assertThat(pg.port()).isEqualTo(port);
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sum(v) FROM harness_probe")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void prometheusScrapesItselfAndSurvivesAKill(Stack stack) throws Exception {
        Prometheus prom = stack.prometheus();
        URI q = URI.create(prom.baseUri() + "/api/v1/query?query=up%7Bjob%3D%22prometheus%22%7D");
        JsonNode result = awaitResult(q, Duration.ofSeconds(30));
        assertThat(result.path(0).path("value").path(1).asText()).isEqualTo("1");

        long pid = prom.process().pid();
        stack.stopService("prometheus", true);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("SIGKILLed").isFalse();
        assertThatThrownBy(() -> get(q)).isInstanceOf(java.io.IOException.class);
        stack.startAgain("prometheus");
        assertThat(get(q).statusCode()).isEqualTo(200);
    }

    @Test
    void alertmanagerDeliversToTheWebhookSink(Stack stack) throws Exception {
        Alertmanager am = stack.alertmanager();
        String body = """
                [{"labels":{"alertname":"HarnessProbe","severity":"critical","plant":"SH01"},
                  "annotations":{"summary":"probe"},"startsAt":"%s"}]""".formatted(Instant.now());
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am.baseUri() + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // the shipped routing applies: critical alerts go out after a 10 s group_wait
        Optional<JsonNode> got = stack.webhookSink().awaitAlert("HarnessProbe", "firing", Duration.ofSeconds(60));
        assertThat(got).as("webhook received HarnessProbe").isPresent();
        assertThat(got.get().path("labels").path("plant").asText()).isEqualTo("SH01");
    }

    @Test
    void elasticsearchIndexesAndSearches(Stack stack) throws Exception {
        Elasticsearch es = stack.elasticsearch();
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/harness-probe/_doc/1?refresh=true"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"message\":\"设备 probe\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        JsonNode hits = JSON.readTree(get(URI.create(es.baseUri() + "/harness-probe/_search?q=message:probe")).body());
        assertThat(hits.path("hits").path("total").path("value").asInt()).isEqualTo(1);
        System.out.println("service start times (ms): " + stack.startTimes());
    }

    @Test
    void aBrokenConfigFailsWithTheServiceNameAndItsLog() throws Exception {
        Path bad = Files.createTempFile("prometheus-bad", ".yml");
        Files.writeString(bad, "global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: [oops\n");
        try (Stack broken = new Stack(StackOptions.forTests().withPrometheusConfig(bad))) {
            assertThatThrownBy(broken::prometheus).isInstanceOf(StackException.class)
                    .hasMessageContaining("prometheus");
        }
        Path semantic = Files.createTempFile("prometheus-bad", ".yml");
        Files.writeString(semantic, "scrape_configs:\n  - job_name: x\n    scrape_interval: banana\n");
        try (Stack broken = new Stack(StackOptions.forTests().withPrometheusConfig(semantic))) {
            assertThatThrownBy(broken::prometheus).isInstanceOf(StackException.class)
                    .hasMessageContaining("prometheus").hasMessageContaining("last lines of");
        }
    }

    private static JsonNode awaitResult(URI q, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode r = JSON.readTree(get(q).body()).path("data").path("result");
            if (r.size() > 0 || System.nanoTime() > deadline) return r;
            Thread.sleep(300);
        }
    }
}
