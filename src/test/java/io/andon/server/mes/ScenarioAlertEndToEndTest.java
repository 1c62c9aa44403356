package io.andon.server.mes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scenario end to end on real processes: the simulator fails machines, the exporter sees it, the
 * shipped rule fires on Prometheus (for: shortened) and the alert is in Alertmanager's API.
 */
@Tag("integration")
class ScenarioAlertEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void equipmentFailureReachesAlertmanager() throws Exception {
        try (Stack stack = new Stack(StackOptions.forTests().withRuleFor(Duration.ofSeconds(1)))) {
            var am = stack.alertmanager();
            var mes = stack.mes("--seed");
            stack.exporter("--db-interval", "1s", "--business-interval", "1s");
            var prom = stack.prometheus();
            // "quiet" means something only once the rule has looked at the data: wait for the exporter's series in
            // Prometheus, then for an evaluation of EquipmentFailure after that, and see the rule inactive there too
            long w0 = System.nanoTime();
            java.time.Instant seriesSeen = null;
            JsonNode rule = null;
            while (System.nanoTime() - w0 < Duration.ofSeconds(60).toNanos()) {
                if (seriesSeen == null && get(URI.create(prom.baseUri() + "/api/v1/query?query=mes_equipment_down")).path("data").path("result").size() > 0) {
                    seriesSeen = java.time.Instant.now();
                }
                rule = rule(prom.baseUri(), "EquipmentFailure");
                if (seriesSeen != null && rule != null
                        && java.time.Instant.parse(rule.path("lastEvaluation").asText("0001-01-01T00:00:00Z")).isAfter(seriesSeen)) break;
                rule = null;
                Thread.sleep(250);
            }
            assertThat(seriesSeen).as("mes_equipment_down scraped within 60 s").isNotNull();
            assertThat(rule).as("EquipmentFailure evaluated after its input was scraped").isNotNull();
            assertThat(rule.path("health").asText()).isEqualTo("ok");
            assertThat(rule.path("state").asText()).as("rule state before the scenario").isEqualTo("inactive");
            assertThat(firing(am.baseUri(), "EquipmentFailure")).as("quiet before the scenario").isFalse();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(mes.baseUri() + "/admin/scenario"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"equipment-failure\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            long t0 = System.nanoTime();
            boolean seen = false;
            while (!seen && System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos()) {
                seen = firing(am.baseUri(), "EquipmentFailure");
                if (!seen) Thread.sleep(500);
            }
            assertThat(seen).as("EquipmentFailure active in Alertmanager").isTrue();
            // and the shift report sees it: the history timeline from Prometheus' ALERTS series
            var history = new io.andon.board.AlertHistory(new io.andon.prometheus.PrometheusClient("Prometheus",
                    io.andon.net.Endpoint.of(stack.prometheus().baseUri().toString())));
            var rows = history.load(java.time.Instant.now(), Duration.ofMinutes(10));
            assertThat(rows).anySatisfy(row -> {
                assertThat(row.alertname()).isEqualTo("EquipmentFailure");
                assertThat(row.labels()).containsEntry("severity", "warning");
                assertThat(row.intervals()).isNotEmpty();
            });
            System.out.printf("scenario equipment-failure -> alert in Alertmanager after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static JsonNode get(URI uri) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The alerting rule {@code name} as /api/v1/rules lists it, or null. */
    private static JsonNode rule(URI prometheus, String name) throws Exception {
        for (JsonNode g : get(URI.create(prometheus + "/api/v1/rules?type=alert")).path("data").path("groups")) {
            for (JsonNode r : g.path("rules")) if (name.equals(r.path("name").asText())) return r;
        }
        return null;
    }

    private static boolean firing(URI am, String name) throws Exception {
        JsonNode alerts = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts?active=true")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode a : alerts) if (name.equals(a.path("labels").path("alertname").asText())) return true;
        return false;
    }
}
