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
            stack.prometheus();
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

    private static boolean firing(URI am, String name) throws Exception {
        JsonNode alerts = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts?active=true")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode a : alerts) if (name.equals(a.path("labels").path("alertname").asText())) return true;
        return false;
    }
}
