package io.andon.server.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import io.andon.stack.Prometheus;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shipped rule fires on the real Prometheus and the real Alertmanager delivers it, routed and templated,
 * to the local webhook: ExporterDown for an exporter target that does not answer. `for:` is shortened.
 */
@Tag("integration")
class AlertDeliveryTest {

    @Test
    void exporterDownReachesTheWebhook() throws Exception {
        try (Stack stack = new Stack(StackOptions.forTests().withRuleFor(Duration.ofSeconds(2)))) {
            stack.alertmanager();
            Prometheus prom = stack.prometheus();
            int closed = io.andon.stack.Ports.free(); // nothing listens here
            prom.setTargets("andon-exporter", List.of("127.0.0.1:" + closed));
            Optional<JsonNode> alert = stack.webhookSink().awaitAlert("ExporterDown", "firing", Duration.ofSeconds(60));
            assertThat(alert).as("ExporterDown delivered; received: " + stack.webhookSink().received()).isPresent();
            JsonNode a = alert.get();
            assertThat(a.path("labels").path("severity").asText()).isEqualTo("critical");
            assertThat(a.path("labels").path("instance").asText()).isEqualTo("127.0.0.1:" + closed);
            assertThat(a.path("annotations").path("summary_zh").asText()).contains("导出器");
            assertThat(a.path("annotations").path("runbook_url").asText()).endsWith("#exporterdown");
        }
    }
}
