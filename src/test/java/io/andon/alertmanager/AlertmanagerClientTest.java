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
import org.junit.jupiter.api.Timeout;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Alertmanager client, pool and service on a real HA pair of Alertmanagers (gossiping on loopback). */
@Tag("integration")
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class AlertmanagerClientTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Labels every alert of this run carries, so alerts of other test classes on the shared stack don't count. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AlertFilter MINE = AlertFilter.parse("run=\"" + RUN + "\"");

    static void post(URI am, String alertname, String severity, String plant, Instant endsAt) throws Exception {
        String body = """
                [{"labels":{"alertname":"%s","severity":"%s","plant":"%s","team":"mes","run":"%s"},
                  "annotations":{"summary":"%s on %s","summary_zh":"中文 %s"},"startsAt":"%s"%s}]"""
                .formatted(alertname, severity, plant, RUN, alertname, plant, alertname, Instant.now().minusSeconds(90),
                        endsAt == null ? "" : ",\"endsAt\":\"" + endsAt + "\"");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static void post(URI am, String alertname, String severity, String plant) throws Exception {
        post(am, alertname, severity, plant, null);
    }

    static AlertmanagerPool pair(Stack stack) {
        return new AlertmanagerPool(List.of(
                new AlertmanagerClient("am-0", Endpoint.of(stack.alertmanager(0).baseUri().toString())),
                new AlertmanagerClient("am-1", Endpoint.of(stack.alertmanager(1).baseUri().toString()))));
    }

    /**
     * The harness peers member 0 only with members that existed when it started: if another test class started it
     * alone, restart it so that the two gossip (silences made on one must reach the other).
     */
    @org.junit.jupiter.api.BeforeAll
    static void peered(Stack stack) throws Exception {
        stack.alertmanager(1);
        AlertmanagerClient c = new AlertmanagerClient("am-0", Endpoint.of(stack.alertmanager(0).baseUri().toString()));
        if (c.status().peers().size() < 2) {
            stack.stopService(stack.alertmanager(0).name(), false);
            stack.startAgain(stack.alertmanager(0).name());
        }
        awaitTrue(() -> c.status().peers().size() == 2);
    }

    @Test
    @Order(1)
    void pairIsMergedByFingerprintGroupedAndCountedAndCriticalAnnouncedOnce(Stack stack) throws Exception {
        URI am0 = stack.alertmanager(0).baseUri(), am1 = stack.alertmanager(1).baseUri();
        // Prometheus sends every alert to every member of the pair: the console must show it once
        for (URI am : List.of(am0, am1)) {
            post(am, "DatabaseDown", "critical", "P01");
            post(am, "DatabaseLockWaits", "warning", "P01");
            post(am, "EquipmentFailure", "warning", "P02");
            post(am, "EquipmentFailure", "critical", "P03");
        }
        post(am1, "InventoryLow", "warning", "P03"); // only one member knows this one
        List<Alert> announced = new CopyOnWriteArrayList<>();
        try (AlertService svc = new AlertService(pair(stack), Duration.ofSeconds(1), s -> {}, announced::add, Clock.systemUTC())) {
            AlertSnapshot s = svc.poll().filtered(MINE);
            assertThat(s.stale()).isFalse();
            assertThat(s.health()).extracting(AlertmanagerPool.MemberHealth::up).containsExactly(true, true);
            assertThat(s.alerts()).extracting(Alert::name).containsExactlyInAnyOrder("DatabaseDown", "DatabaseLockWaits", "EquipmentFailure", "EquipmentFailure", "InventoryLow");
            assertThat(s.alerts()).extracting(Alert::fingerprint).doesNotHaveDuplicates();
            Alert db = s.alerts().stream().filter(a -> a.name().equals("DatabaseDown")).findFirst().orElseThrow();
            assertThat(db.sources()).containsExactlyInAnyOrder("am-0", "am-1");
            assertThat(db.status().state()).isEqualTo("active");
            assertThat(db.annotation("summary", true)).isEqualTo("中文 DatabaseDown");
            assertThat(s.alerts().stream().filter(a -> a.name().equals("InventoryLow")).findFirst().orElseThrow().sources()).containsExactly("am-1");

            // default grouping alertname + plant: each of the five is its own group
            assertThat(s.groups()).hasSize(5);
            assertThat(s.groups().stream().map(LabelGroup::title)).contains("EquipmentFailure / P02", "EquipmentFailure / P03");
            // regrouped by any label
            List<LabelGroup> bySeverity = s.groupedBy(List.of("severity")).groups();
            assertThat(bySeverity).extracting(g -> g.key().get("severity")).containsExactlyInAnyOrder("critical", "warning");
            assertThat(bySeverity.stream().filter(g -> g.key().get("severity").equals("warning")).findFirst().orElseThrow().alerts()).hasSize(3);
            assertThat(s.groupedBy(List.of("alertname")).groups()).hasSize(4);
            assertThat(s.countsBySeverity()).containsEntry("critical", 2L).containsEntry("warning", 3L);

            // filters: matchers typed by a person, severity, text
            assertThat(s.filtered(AlertFilter.parse("severity=\"warning\" plant=~\"P0[12]\"")).alerts()).hasSize(2);
            assertThat(s.filtered(AlertFilter.parse("alertname!~\"Data.*\" plant!=P03")).alerts()).extracting(Alert::name).containsExactly("EquipmentFailure");
            assertThat(s.filtered(AlertFilter.NONE.withSeverities(java.util.Set.of("critical"))).alerts()).hasSize(2);
            assertThat(s.filtered(AlertFilter.parse("中文 inventory")).alerts()).extracting(Alert::name).containsExactly("InventoryLow");
            assertThat(s.filtered(AlertFilter.parse("no such words")).alerts()).isEmpty();
            assertThat(s.filtered(AlertFilter.parse("inventorylow")).alerts()).extracting(Alert::name).containsExactly("InventoryLow");

            svc.poll();
            svc.poll();
            List<Alert> mine = announced.stream().filter(MINE::test).toList();
            assertThat(mine).as("each critical fingerprint announced once over three polls").extracting(Alert::name)
                    .containsExactlyInAnyOrder("DatabaseDown", "EquipmentFailure");
            // acknowledged locally: no longer in the banner, still firing
            svc.notifier().acknowledge(db.fingerprint());
            assertThat(svc.notifier().unacknowledged()).extracting(Alert::fingerprint).doesNotContain(db.fingerprint());

            // resolved, then firing again: news again
            for (URI am : List.of(am0, am1)) post(am, "DatabaseDown", "critical", "P01", Instant.now().minusSeconds(1));
            awaitPoll(svc, snap -> snap.filtered(MINE).alerts().stream().noneMatch(a -> a.name().equals("DatabaseDown")));
            for (URI am : List.of(am0, am1)) post(am, "DatabaseDown", "critical", "P01");
            svc.poll();
            assertThat(announced.stream().filter(MINE::test).filter(a -> a.name().equals("DatabaseDown")).count()).isEqualTo(2);
            assertThat(svc.notifier().isAcknowledged(db.fingerprint())).as("a new firing needs a new acknowledgement").isFalse();
        }
    }

    @Test
    @Order(2)
    void backgroundPollingDeliversSnapshotsUntilClosed(Stack stack) throws Exception {
        List<AlertSnapshot> seen = new CopyOnWriteArrayList<>();
        AlertService svc = new AlertService(pair(stack), Duration.ofMillis(200), seen::add, a -> {}, Clock.systemUTC());
        svc.start();
        svc.start(); // idempotent: still one poller
        awaitTrue(() -> seen.size() >= 3);
        svc.groupBy(List.of("severity"));
        awaitTrue(() -> seen.getLast().groupKeys().equals(List.of("severity")) && !seen.getLast().stale());
        svc.close();
        Thread.sleep(300);
        int after = seen.size();
        Thread.sleep(600);
        assertThat(seen).as("no poll after close").hasSize(after);
        assertThat(seen).allMatch(s -> !s.stale() && s.health().size() == 2);
    }

    @Test
    @Order(2)
    void clientQueriesGroupsFiltersAndClusterStatus(Stack stack) throws Exception {
        AlertmanagerClient c = new AlertmanagerClient("am-0", Endpoint.of(stack.alertmanager(0).baseUri().toString()));
        post(stack.alertmanager(0).baseUri(), "DatabaseLockWaits", "warning", "P01");
        var q = AlertmanagerClient.AlertQuery.ALL.withFilter(List.of(Silence.Matcher.equal("run", RUN), new Silence.Matcher("alertname", "Database.*", true, true)));
        assertThat(c.alerts(q)).extracting(Alert::name).isNotEmpty().allMatch(n -> n.startsWith("Database"));
        // a value with quotes and backslashes goes through as a value, not as matcher syntax
        assertThat(c.alerts(AlertmanagerClient.AlertQuery.ALL.withFilter(List.of(Silence.Matcher.equal("run", RUN + "\"} or {x=\"\\")))) ).isEmpty();
        List<AlertGroup> groups = c.alertGroups();
        assertThat(groups).anySatisfy(g -> {
            assertThat(g.labels()).containsEntry("alertname", "DatabaseLockWaits").containsEntry("plant", "P01");
            assertThat(g.receiver()).isNotBlank();
            assertThat(g.alerts()).isNotEmpty();
        });
        ClusterStatus st = c.status();
        assertThat(st.version()).startsWith("0.");
        assertThat(st.state()).isIn("ready", "settling");
        assertThat(st.peers()).as("the pair sees both members").hasSize(2);
        assertThat(st.uptime()).isBefore(Instant.now());
    }

    @Test
    @Order(3)
    void silenceCreateShowsSilencedThenExpireMakesItActiveAgain(Stack stack) throws Exception {
        AlertmanagerPool pool = pair(stack);
        for (int i = 0; i < 2; i++) post(stack.alertmanager(i).baseUri(), "EquipmentFailure", "warning", "P02");
        String id = pool.createSilence(List.of(Silence.Matcher.equal("alertname", "EquipmentFailure"), Silence.Matcher.equal("plant", "P02"),
                        Silence.Matcher.equal("run", RUN)), Instant.now(), Instant.now().plus(Duration.ofHours(1)), "tester", "maintenance window");
        Alert eq = await(pool, a -> a.name().equals("EquipmentFailure") && "P02".equals(a.labels().get("plant")) && a.silenced() && a.sources().size() == 2);
        assertThat(eq.silencedBy()).containsExactly(id);
        assertThat(eq.state()).isEqualTo("suppressed");
        // created on one member, gossiped to the other
        AlertmanagerClient other = pool.members().get(1);
        awaitTrue(() -> other.alerts(AlertmanagerClient.AlertQuery.ALL).stream().anyMatch(a -> a.fingerprint().equals(eq.fingerprint()) && a.silencedBy().contains(id)));
        assertThat(other.silences()).anyMatch(s -> s.id().equals(id) && "active".equals(s.state()) && s.comment().equals("maintenance window")
                && s.createdBy().equals("tester") && s.matchers().size() == 3);
        assertThat(other.alerts(new AlertmanagerClient.AlertQuery(null, false, null, List.of(Silence.Matcher.equal("run", RUN)))))
                .as("silenced=false leaves it out").noneMatch(a -> a.fingerprint().equals(eq.fingerprint()));
        pool.expireSilence(id);
        Alert again = await(pool, a -> a.fingerprint().equals(eq.fingerprint()) && !a.silenced());
        assertThat(again.state()).isEqualTo("active");
        assertThat(pool.members().getFirst().silences()).anyMatch(s -> s.id().equals(id) && "expired".equals(s.state()));
    }

    @Test
    @Order(4)
    void alertmanagersValidationErrorsAreShownPlainly(Stack stack) {
        AlertmanagerPool pool = pair(stack);
        List<String> messages = new ArrayList<>();
        assertThatThrownBy(() -> pool.createSilence(List.of(Silence.Matcher.equal("alertname", "X")), Instant.now(), Instant.now().minusSeconds(60), "t", "c"))
                .isInstanceOf(SourceException.class)
                .satisfies(e -> messages.add(e.getMessage()))
                .hasMessageContaining("rejected the silence").hasMessageContaining("start time").hasMessageNotContaining("{\"");
        assertThatThrownBy(() -> pool.createSilence(List.of(), Instant.now(), Instant.now().plusSeconds(60), "t", "c"))
                .isInstanceOf(SourceException.class)
                .satisfies(e -> messages.add(e.getMessage()))
                .hasMessageContaining("rejected the silence").hasMessageContaining("matchers");
        assertThatThrownBy(() -> pool.createSilence(List.of(new Silence.Matcher("alertname", "(", true, true)), Instant.now(), Instant.now().plusSeconds(60), "t", "c"))
                .isInstanceOf(SourceException.class)
                .satisfies(e -> messages.add(e.getMessage()))
                .hasMessageContaining("rejected the silence");
        messages.forEach(m -> System.out.println("silence validation: " + m));
    }

    @Test
    @Order(5)
    void oneMemberDownStillShowsAlertsBothDownIsStaleWithAgeAndError(Stack stack) throws Exception {
        for (int i = 0; i < 2; i++) post(stack.alertmanager(i).baseUri(), "DatabaseDown", "critical", "P01");
        String second = stack.alertmanager(1).name(), first = stack.alertmanager(0).name();
        List<Alert> announced = new CopyOnWriteArrayList<>();
        try (AlertService svc = new AlertService(pair(stack), Duration.ofSeconds(1), s -> {}, announced::add, Clock.systemUTC())) {
            AlertSnapshot good = svc.poll();
            assertThat(good.stale()).isFalse();
            int before = announced.size();
            stack.stopService(second, false);
            AlertSnapshot half = svc.poll();
            assertThat(half.stale()).isFalse();
            assertThat(half.memberErrors()).singleElement().asString().contains("am-1").contains("unreachable");
            assertThat(half.health()).filteredOn(h -> !h.up()).extracting(AlertmanagerPool.MemberHealth::name).containsExactly("am-1");
            assertThat(half.filtered(MINE).alerts()).anyMatch(a -> a.name().equals("DatabaseDown"));
            stack.stopService(first, false);
            Thread.sleep(1100); // so the age is visibly more than zero
            AlertSnapshot down = svc.poll();
            assertThat(down.stale()).as("all members down: stale, not all-clear").isTrue();
            assertThat(down.allClear()).isFalse();
            assertThat(down.filtered(MINE).alerts()).as("last good list kept").anyMatch(a -> a.name().equals("DatabaseDown"));
            assertThat(down.lastGood()).isEqualTo(half.fetchedAt());
            assertThat(down.age(down.fetchedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(down.error()).contains("am-0").contains("am-1").contains("unreachable");
            assertThat(announced).as("a failed poll is not a resolution: nothing re-announced").hasSize(before);
            System.out.println("both down: " + down.error() + " (list age " + down.age(down.fetchedAt()).toMillis() + " ms)");
        } finally {
            stack.startAgain(first);
            stack.startAgain(second);
        }
    }

    private static Alert await(AlertmanagerPool pool, Predicate<Alert> p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (Alert a : pool.fetch().alerts()) if (MINE.test(a) && p.test(a)) return a;
            Thread.sleep(250);
        }
        throw new AssertionError("no alert matched in time");
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (c.ok()) return;
            Thread.sleep(250);
        }
        throw new AssertionError("condition not reached in time");
    }

    private static void awaitPoll(AlertService svc, Predicate<AlertSnapshot> p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (p.test(svc.poll())) return;
            Thread.sleep(250);
        }
        throw new AssertionError("condition not reached in time");
    }

}
