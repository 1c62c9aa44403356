package io.andon.alertmanager;

import io.andon.net.Endpoint;
import io.andon.net.SourceException;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Alertmanager client and service on a real HA pair of Alertmanagers. */
@Tag("integration")
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertmanagerClientTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static void post(URI am, String alertname, String severity, String plant) throws Exception {
        String body = """
                [{"labels":{"alertname":"%s","severity":"%s","plant":"%s","team":"mes"},
                  "annotations":{"summary":"%s on %s","summary_zh":"中文 %s"},"startsAt":"%s"}]"""
                .formatted(alertname, severity, plant, alertname, plant, alertname, Instant.now().minusSeconds(90));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static AlertmanagerPool pair(Stack stack) {
        return new AlertmanagerPool(List.of(
                new AlertmanagerClient("am-0", Endpoint.of(stack.alertmanager(0).baseUri().toString())),
                new AlertmanagerClient("am-1", Endpoint.of(stack.alertmanager(1).baseUri().toString()))));
    }

    @Test
    @Order(1)
    void pairIsMergedByFingerprintAndGroupedAndCriticalAnnouncedOnce(Stack stack) throws Exception {
        URI am0 = stack.alertmanager(0).baseUri(), am1 = stack.alertmanager(1).baseUri();
        // Prometheus sends every alert to every member of the pair: the console must show it once
        for (URI am : List.of(am0, am1)) {
            post(am, "DatabaseDown", "critical", "P01");
            post(am, "DatabaseLockWaits", "warning", "P01");
            post(am, "EquipmentFailure", "warning", "P02");
        }
        post(am1, "InventoryLow", "warning", "P03"); // only one member knows this one
        List<Alert> announced = new ArrayList<>();
        List<AlertSnapshot> snaps = new ArrayList<>();
        try (AlertService svc = new AlertService(pair(stack), Duration.ofSeconds(1), snaps::add, announced::add, Clock.systemUTC())) {
            AlertSnapshot s = svc.poll();
            List<String> names = s.alerts().stream().filter(a -> a.labels().get("team") != null).map(Alert::name).sorted().toList();
            assertThat(names).containsExactly("DatabaseDown", "DatabaseLockWaits", "EquipmentFailure", "InventoryLow");
            Alert db = s.alerts().stream().filter(a -> a.name().equals("DatabaseDown")).findFirst().orElseThrow();
            assertThat(db.sources()).containsExactlyInAnyOrder("am-0", "am-1");
            assertThat(db.annotation("summary", true)).isEqualTo("中文 DatabaseDown");
            svc.poll();
            svc.poll();
            assertThat(announced.stream().filter(a -> a.name().equals("DatabaseDown")).count()).as("critical banner once per fingerprint").isEqualTo(1);
            assertThat(AlertFilter.parse("severity=\"warning\" plant=~\"P0[12]\"").test(db)).isFalse();
            long warnings = s.alerts().stream().filter(AlertFilter.parse("severity=\"warning\" plant=~\"P0[12]\"")::test).count();
            assertThat(warnings).isEqualTo(2);
        }
    }

    @Test
    @Order(2)
    void silenceCreateShowsSilencedThenExpireMakesItActiveAgain(Stack stack) throws Exception {
        AlertmanagerPool pool = pair(stack);
        AlertmanagerClient c = pool.members().getFirst();
        post(stack.alertmanager(0).baseUri(), "EquipmentFailure", "warning", "P02");
        String id = c.createSilence(List.of(Silence.Matcher.equal("alertname", "EquipmentFailure"), Silence.Matcher.equal("plant", "P02")),
                Instant.now(), Instant.now().plus(Duration.ofHours(1)), "tester", "maintenance window");
        Alert eq = await(pool, a -> a.name().equals("EquipmentFailure") && a.silenced());
        assertThat(eq.silencedBy()).contains(id);
        assertThat(c.silences()).anyMatch(s -> s.id().equals(id) && "active".equals(s.state()) && s.comment().equals("maintenance window"));
        pool.expireSilence(id);
        await(pool, a -> a.name().equals("EquipmentFailure") && "P02".equals(a.labels().get("plant")) && !a.silencedBy().contains(id));
    }

    @Test
    @Order(3)
    void alertmanagersValidationErrorIsShownPlainly(Stack stack) {
        AlertmanagerClient c = new AlertmanagerClient("Alertmanager", Endpoint.of(stack.alertmanager(0).baseUri().toString()));
        assertThatThrownBy(() -> c.createSilence(List.of(Silence.Matcher.equal("alertname", "X")), Instant.now(), Instant.now().minusSeconds(60), "t", "c"))
                .isInstanceOf(SourceException.class).hasMessageContaining("rejected the silence").hasMessageNotContaining("{\"");
        assertThatThrownBy(() -> c.createSilence(List.of(), Instant.now(), Instant.now().plusSeconds(60), "t", "c"))
                .isInstanceOf(SourceException.class).hasMessageContaining("rejected the silence");
    }

    @Test
    @Order(4)
    void oneMemberDownStillShowsAlertsBothDownIsStaleWithTheLastList(Stack stack) throws Exception {
        post(stack.alertmanager(0).baseUri(), "DatabaseDown", "critical", "P01");
        post(stack.alertmanager(1).baseUri(), "DatabaseDown", "critical", "P01");
        try (AlertService svc = new AlertService(pair(stack), Duration.ofSeconds(1), s -> {}, a -> {}, Clock.systemUTC())) {
            AlertSnapshot good = svc.poll();
            assertThat(good.stale()).isFalse();
            stack.stopService("alertmanager-1", false);
            AlertSnapshot half = svc.poll();
            assertThat(half.stale()).isFalse();
            assertThat(half.memberErrors()).singleElement().asString().contains("am-1");
            assertThat(half.alerts()).anyMatch(a -> a.name().equals("DatabaseDown"));
            stack.stopService("alertmanager", false);
            AlertSnapshot down = svc.poll();
            assertThat(down.stale()).as("all members down: stale, not all-clear").isTrue();
            assertThat(down.alerts()).as("last good list kept").anyMatch(a -> a.name().equals("DatabaseDown"));
            assertThat(down.lastGood()).isEqualTo(half.fetchedAt());
            assertThat(down.memberErrors().getFirst()).contains("unreachable");
        } finally {
            stack.startAgain("alertmanager");
            stack.startAgain("alertmanager-1");
        }
    }

    private static Alert await(AlertmanagerPool pool, java.util.function.Predicate<Alert> p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (Alert a : pool.fetch().alerts()) if (p.test(a)) return a;
            Thread.sleep(250);
        }
        throw new AssertionError("no alert matched in time");
    }
}
