package io.andon.server.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.stack.Alertmanager;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inhibition rules of src/server/alertmanager/alertmanager.yml evaluated by the real Alertmanager: a critical
 * alert mutes the warnings of its team and plant and nothing else; a burn-rate page mutes the slow-burn ticket
 * of the same SLO and nothing else. Its own stack (Alertmanager only) so that no other test's alert takes part.
 */
@Tag("integration")
class InhibitionTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void criticalMutesItsTwinsOnlyAndAPageMutesTheTicketOfItsSlo() throws Exception {
        try (Stack stack = new Stack(StackOptions.forTests())) {
            Alertmanager am = stack.alertmanager();
            String run = UUID.randomUUID().toString().substring(0, 8);
            String plant = "P-" + run, otherPlant = "Q-" + run, slo = "slo-" + run, otherSlo = "other-" + run;
            post(am, List.of(
                    alert(run, "DatabaseDown", "critical", "dba", plant, null),
                    alert(run, "DatabaseLockWaits", "warning", "dba", plant, null),        // twin: muted
                    alert(run, "DatabaseCacheHitRatioLow", "warning", "dba", otherPlant, null), // other plant
                    alert(run, "MESLatencyHigh", "warning", "mes", plant, null),          // other team
                    alert(run, "ErrorBudgetBurnFast", "critical", "mes", otherPlant, slo),
                    alert(run, "ErrorBudgetBurnSlow", "ticket", "mes", otherPlant, slo),  // same SLO: muted
                    alert(run, "ErrorBudgetBurnSlow", "ticket", "mes", otherPlant, otherSlo)));

            Map<String, Boolean> muted = Map.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // the inhibitor learns source alerts asynchronously: poll until all seven are there and settled
            while (System.nanoTime() < deadline) {
                muted = suppressed(am, run);
                if (muted.size() == 7 && Boolean.TRUE.equals(muted.get("DatabaseLockWaits/" + plant))
                        && Boolean.TRUE.equals(muted.get("ErrorBudgetBurnSlow/" + slo))) break;
                Thread.sleep(300);
            }
            assertThat(muted).as("alert -> inhibited").containsExactlyInAnyOrderEntriesOf(Map.of(
                    "DatabaseDown/" + plant, false,
                    "DatabaseLockWaits/" + plant, true,
                    "DatabaseCacheHitRatioLow/" + otherPlant, false,
                    "MESLatencyHigh/" + plant, false,
                    "ErrorBudgetBurnFast/" + slo, false,
                    "ErrorBudgetBurnSlow/" + slo, true,
                    "ErrorBudgetBurnSlow/" + otherSlo, false));
        }
    }

    private static Map<String, Object> alert(String run, String name, String severity, String team, String plant, String slo) {
        Map<String, String> labels = new LinkedHashMap<>(Map.of("alertname", name, "severity", severity, "team", team,
                "plant", plant, "test_run", run));
        if (slo != null) labels.put("slo", slo);
        return Map.of("labels", labels, "annotations", Map.of("summary", name),
                "startsAt", Instant.now().minusSeconds(60).toString(), "endsAt", Instant.now().plusSeconds(600).toString());
    }

    private static void post(Alertmanager am, List<Map<String, Object>> alerts) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am.baseUri() + "/api/v2/alerts"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(alerts))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** "alertname/plant-or-slo" -> inhibited, for the alerts of this run (silenced ones would show too). */
    private static Map<String, Boolean> suppressed(Alertmanager am, String run) throws Exception {
        String filter = URLEncoder.encode("test_run=\"" + run + "\"", StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am.baseUri() + "/api/v2/alerts?filter=" + filter))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Boolean> out = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (JsonNode a : JSON.readTree(r.body())) {
            JsonNode l = a.path("labels");
            String key = l.path("alertname").asText() + "/" + (l.has("slo") ? l.path("slo").asText() : l.path("plant").asText());
            seen.add(key);
            out.put(key, !a.path("status").path("inhibitedBy").isEmpty());
        }
        assertThat(seen).as("one alert per key").doesNotHaveDuplicates();
        return out;
    }
}
