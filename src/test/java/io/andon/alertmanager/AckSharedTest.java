package io.andon.alertmanager;

import io.andon.journal.JournalEntry;
import io.andon.net.Endpoint;
import io.andon.net.SourceException;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Shared acknowledgement on a real Alertmanager HA pair with two consoles side by side (console A reads and writes
 * member 0 first, console B member 1): ack on A seen on B within one poll, renewal by id, B taking over when A
 * stops, races between two keepers, expiry one poll after the alert resolves, restarts, karma's ack, bad input.
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class AckSharedTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Clock CLOCK = Clock.systemUTC();
    private static Stack stack;
    private static URI am0, am1;
    private static final RecordingJournal JOURNAL = new RecordingJournal();
    private static final List<Map<String, String>> FIRED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void peered(Stack s) throws Exception {
        stack = s;
        s.alertmanager(1);
        am0 = s.alertmanager(0).baseUri();
        am1 = s.alertmanager(1).baseUri();
        AlertmanagerClient c = new AlertmanagerClient("am-0", Endpoint.of(am0.toString()));
        if (c.status().peers().size() < 2) {
            // member 0 was started alone by another class: restart it so it gossips with member 1
            s.stopService(s.alertmanager(0).name(), false);
            s.startAgain(s.alertmanager(0).name());
        }
        awaitTrue(() -> c.status().peers().size() == 2);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        // resolve this run's alerts, as Prometheus would once they stop firing
        for (Map<String, String> l : FIRED) for (URI am : List.of(am0, am1)) post(am, l, false);
        // leave the shared pair as found: no silence of this run mutes another class's alerts
        try (AlertmanagerPool p = console("A")) {
            for (Silence s : p.fetch().silences()) {
                if (!"expired".equals(s.state()) && s.matchers().stream().anyMatch(m -> m.value().contains(RUN))) p.expireSilence(s.id());
            }
        }
    }

    /** A console's pool: A asks member 0 first (so it writes there), B member 1. */
    static AlertmanagerPool console(String name) {
        AlertmanagerClient c0 = new AlertmanagerClient("am-0", Endpoint.of(am0.toString()));
        AlertmanagerClient c1 = new AlertmanagerClient("am-1", Endpoint.of(am1.toString()));
        return new AlertmanagerPool(name.equals("A") ? List.of(c0, c1) : List.of(c1, c0));
    }

    /** Fires (or resolves) an alert on both members, as Prometheus sends to each member of a pair. */
    static Map<String, String> alert(String name, String plant, boolean firing) throws Exception {
        Map<String, String> labels = new LinkedHashMap<>(Map.of("alertname", name + "-" + RUN, "severity", "critical", "plant", plant, "run", RUN));
        for (URI am : List.of(am0, am1)) post(am, labels, firing);
        FIRED.add(labels);
        return labels;
    }

    static void post(URI am, Map<String, String> labels, boolean firing) throws Exception {
        StringBuilder l = new StringBuilder();
        labels.forEach((k, v) -> l.append(l.isEmpty() ? "" : ",").append('"').append(k).append("\":\"").append(v).append('"'));
        String body = "[{\"labels\":{" + l + "},\"annotations\":{\"summary\":\"test\"},\"startsAt\":\"" + Instant.now().minusSeconds(120)
                + "\",\"endsAt\":\"" + (firing ? Instant.now().plusSeconds(3600) : Instant.now().minusSeconds(1)) + "\"}]";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static Alert find(AlertmanagerPool p, Map<String, String> labels) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (Alert a : p.fetch().alerts()) if (a.labels().equals(labels)) return a;
            Thread.sleep(200);
        }
        throw new AssertionError("alert " + labels + " not seen");
    }

    /** Live ack silences covering these labels, as member {@code am} lists them. */
    static List<Silence> liveAcks(URI am, Map<String, String> labels) throws SourceException {
        return new AlertmanagerClient("m", Endpoint.of(am.toString())).silences().stream()
                .filter(s -> !"expired".equals(s.state()))
                .filter(s -> Acknowledgement.parse(s).map(k -> k.kind() == Acknowledgement.Kind.ACK).orElse(false))
                .filter(s -> s.matches(labels)).toList();
    }

    static AlertService service(AlertmanagerPool p, AckKeeper k) {
        return new AlertService(p, Duration.ofSeconds(1), s -> {}, c -> {}, CLOCK).withKeeper(k);
    }

    private static Map<String, String> dbOutage;
    private static AlertService a, b;

    @Test
    @Order(1)
    void ackOnConsoleAIsSeenOnConsoleBWithinOnePoll() throws Exception {
        dbOutage = alert("DbOutage", "P01", true);
        AlertmanagerPool pa = console("A"), pb = console("B");
        a = service(pa, new AckKeeper(pa));
        b = service(pb, new AckKeeper(pb));
        Alert alert = find(pa, dbOutage);
        a.poll();
        b.poll();
        assertThat(b.notifier().unacknowledged()).extracting(Alert::fingerprint).contains(alert.fingerprint());

        Acknowledger ackA = new Acknowledger(pa, JOURNAL, "console-a", AckKeeper.DEFAULT_HOLD, CLOCK);
        long t0 = System.nanoTime();
        Acknowledger.Outcome o = ackA.acknowledge(List.of(alert), "lead", "db failover in progress");
        b.poll(); // exactly one poll of console B
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("ack on A -> seen on B after one poll: " + ms + " ms");
        assertThat(o.done()).hasSize(1);
        assertThat(o.skipped()).isEmpty();
        assertThat(b.notifier().isAcknowledged(alert.fingerprint())).isTrue();
        assertThat(b.notifier().unacknowledged()).extracting(Alert::fingerprint).doesNotContain(alert.fingerprint());
        Acknowledgement seen = b.notifier().acknowledgement(alert.fingerprint()).orElseThrow();
        assertThat(seen.kind()).isEqualTo(Acknowledgement.Kind.ACK);
        assertThat(seen.owner()).isEqualTo("lead");
        assertThat(seen.note()).isEqualTo("db failover in progress");

        // the silence: exact labels, equality only, owner as author, karma's prefix; one, on both members
        for (URI am : List.of(am0, am1)) {
            awaitTrue(() -> liveAcks(am, dbOutage).size() == 1);
        }
        Silence s = liveAcks(am1, dbOutage).getFirst();
        assertThat(s.matchers()).containsExactlyInAnyOrderElementsOf(Acknowledgement.matchers(dbOutage));
        assertThat(s.matchers()).allMatch(m -> m.isEqual() && !m.isRegex());
        assertThat(s.createdBy()).isEqualTo("lead");
        assertThat(s.comment()).isEqualTo("ACK! db failover in progress");
        assertThat(Duration.between(s.startsAt(), s.endsAt())).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(16));

        assertThat(JOURNAL.all()).hasSize(1);
        JournalEntry e = JOURNAL.all().getFirst();
        assertThat(e.action()).isEqualTo(JournalEntry.Action.ACK);
        assertThat(e.user()).isEqualTo("lead");
        assertThat(e.console()).isEqualTo("console-a");
        assertThat(e.plant()).isEqualTo("P01");
        assertThat(e.fingerprint()).isEqualTo(alert.fingerprint());
        assertThat(e.labels()).isEqualTo(dbOutage);
        assertThat(e.note()).isEqualTo("db failover in progress");
        assertThat(e.silenceId()).isEqualTo(s.id());
        assertThat(e.until()).isNull();
    }

    @Test
    @Order(2)
    void renewalKeepsTheIdAndConsoleBHoldsTheAckWhenConsoleAStops() throws Exception {
        Map<String, String> line = alert("LineStop", "P02", true);
        AlertmanagerPool pa = console("A"), pb = console("B");
        // short hold so that the test sees several renewals: 8 s, renewed when less than 6 s remain
        Duration hold = Duration.ofSeconds(8), margin = Duration.ofSeconds(6);
        Alert alert = find(pa, line);
        new Acknowledger(pa, JOURNAL, "console-a", hold, CLOCK).acknowledge(List.of(alert), "lead", "line 2 stopped, fitter called");
        awaitTrue(() -> liveAcks(am1, line).size() == 1);
        Silence first = liveAcks(am1, line).getFirst();
        AlertService sa = service(pa, new AckKeeper(pa, hold, margin, CLOCK)), sb = service(pb, new AckKeeper(pb, hold, margin, CLOCK));
        sa.start();
        sb.start();
        try {
            Instant lastEnd = first.endsAt();
            for (int phase = 0; phase < 2; phase++) {
                if (phase == 1) sa.close(); // console A goes away: B alone must keep it
                long until = System.nanoTime() + Duration.ofSeconds(12).toNanos(); // longer than the hold
                while (System.nanoTime() < until) {
                    for (URI am : List.of(am0, am1)) {
                        List<Silence> live = liveAcks(am, line);
                        assertThat(live).as("phase %d, member %s: exactly one live ack", phase, am).hasSize(1);
                        assertThat(live.getFirst().id()).as("renewed in place, same id").isEqualTo(first.id());
                    }
                    Alert now = find(pb, line);
                    assertThat(now.silencedBy()).as("still muted while firing").contains(first.id());
                    Thread.sleep(500);
                }
                Instant end = liveAcks(am1, line).getFirst().endsAt();
                assertThat(end).as("phase %d renewed the end", phase).isAfter(lastEnd.plusSeconds(5));
                lastEnd = end;
            }
            assertThat(liveAcks(am1, line).getFirst().startsAt()).as("since stays the ack time").isEqualTo(first.startsAt());
        } finally {
            sa.close();
            sb.close();
        }
    }

    @Test
    @Order(3)
    void twoKeepersRenewingAtOnceLeaveOneSilence() throws Exception {
        Map<String, String> conv = alert("Conveyor", "P03", true);
        AlertmanagerPool pa = console("A"), pb = console("B");
        // a 3 s hold renewed when less than 2.9 s remain: every pass below renews
        Duration hold = Duration.ofSeconds(3), margin = Duration.ofMillis(2900);
        new Acknowledger(pa, JOURNAL, "console-a", hold, CLOCK).acknowledge(List.of(find(pa, conv)), "lead", "belt slipping");
        awaitTrue(() -> liveAcks(am1, conv).size() == 1);
        String id = liveAcks(am1, conv).getFirst().id();
        AckKeeper ka = new AckKeeper(pa, hold, margin, CLOCK), kb = new AckKeeper(pb, hold, margin, CLOCK);
        for (int round = 0; round < 10; round++) {
            Thread.sleep(150);
            var ra = pa.fetch();
            var rb = pb.fetch();
            List<AckKeeper.Report> reports = together(() -> ka.keep(ra.alerts(), ra.silences()), () -> kb.keep(rb.alerts(), rb.silences()));
            assertThat(reports).allMatch(r -> r.errors().isEmpty());
            int rr = round;
            assertThat(reports).as("round %d, ack %s: both renewed; silences %s", rr, id, ra.silences()).allMatch(r -> r.renewed().contains(id));
            for (URI am : List.of(am0, am1)) {
                assertThat(liveAcks(am, conv)).extracting(Silence::id).as("round %d on %s", rr, am).containsExactly(id);
            }
        }
    }

    @Test
    @Order(4)
    void twoConsolesAcknowledgingAtOnceAreDeduplicatedToTheOldest() throws Exception {
        Map<String, String> mixer = alert("Mixer", "P04", true);
        Instant now = Instant.now();
        // both consoles acked in the same second, each on its own member, before either saw the other's
        String older = new AlertmanagerClient("am-0", Endpoint.of(am0.toString())).createSilence(Acknowledgement.matchers(mixer), now, now.plusSeconds(900),
                "alice", "ACK! first");
        Thread.sleep(20);
        String newer = new AlertmanagerClient("am-1", Endpoint.of(am1.toString())).createSilence(Acknowledgement.matchers(mixer), now, now.plusSeconds(900),
                "bob", "ACK! second");
        for (URI am : List.of(am0, am1)) awaitTrue(() -> liveAcks(am, mixer).size() == 2);
        AlertmanagerPool pa = console("A"), pb = console("B");
        AckKeeper ka = new AckKeeper(pa), kb = new AckKeeper(pb);
        var ra = pa.fetch();
        var rb = pb.fetch();
        List<AckKeeper.Report> reports = together(() -> ka.keep(ra.alerts(), ra.silences()), () -> kb.keep(rb.alerts(), rb.silences()));
        assertThat(reports).allMatch(r -> r.deduplicated().equals(List.of(newer)));
        for (URI am : List.of(am0, am1)) awaitTrue(() -> liveAcks(am, mixer).stream().map(Silence::id).toList().equals(List.of(older)));
        assertThat(b.poll().alerts().stream().filter(x -> x.labels().equals(mixer)).findFirst().orElseThrow().silencedBy()).contains(older);

        // a console whose list is a moment old (it does not show the alert) asks again before expiring: still firing
        AckKeeper.Report r = ka.keep(List.of(), pa.fetch().silences());
        assertThat(r.expired()).doesNotContain(older);
        assertThat(liveAcks(am0, mixer)).extracting(Silence::id).containsExactly(older);
    }

    @Test
    @Order(5)
    void expiringOnOneConsoleWhileTheOtherRenewsLeavesNoneOnlyOnceResolved() throws Exception {
        Map<String, String> oven = alert("OvenTemp", "P05", true);
        AlertmanagerPool pa = console("A"), pb = console("B");
        Duration hold = Duration.ofSeconds(30), margin = Duration.ofSeconds(29);
        new Acknowledger(pa, JOURNAL, "console-a", hold, CLOCK).acknowledge(List.of(find(pa, oven)), "lead", "door left open");
        awaitTrue(() -> liveAcks(am1, oven).size() == 1);
        String id = liveAcks(am1, oven).getFirst().id();
        var staleB = pb.fetch(); // B's poll from just before the alert resolved: it still fires there
        alert("OvenTemp", "P05", false);
        var freshA = pa.fetch();
        assertThat(freshA.alerts()).noneMatch(x -> x.labels().equals(oven));
        AckKeeper ka = new AckKeeper(pa, hold, margin, CLOCK), kb = new AckKeeper(pb, hold, margin, CLOCK);
        List<AckKeeper.Report> reports = together(() -> ka.keep(freshA.alerts(), freshA.silences()), () -> kb.keep(staleB.alerts(), staleB.silences()));
        assertThat(reports.getFirst().expired()).containsExactly(id);
        for (URI am : List.of(am0, am1)) assertThat(liveAcks(am, oven)).as("never two").hasSizeLessThanOrEqualTo(1);
        // the next pass on fresh lists ends whatever the renewal may have revived: none, as the alert resolved
        for (AlertmanagerPool p : List.of(pa, pb)) {
            var r = p.fetch();
            new AckKeeper(p, hold, margin, CLOCK).keep(r.alerts(), r.silences());
        }
        for (URI am : List.of(am0, am1)) awaitTrue(() -> liveAcks(am, oven).isEmpty());
    }

    @Test
    @Order(6)
    void resolvedAlertsAckIsExpiredNotDeletedWithinOnePoll() throws Exception {
        String id = liveAcks(am1, dbOutage).getFirst().id();
        alert("DbOutage", "P01", false);
        b.poll(); // one poll of console B; its keeper runs after it
        assertThat(b.lastKeep().expired()).contains(id);
        for (URI am : List.of(am0, am1)) {
            awaitTrue(() -> new AlertmanagerClient("m", Endpoint.of(am.toString())).silences().stream()
                    .anyMatch(s -> s.id().equals(id) && s.state().equals("expired")));
        }
        assertThat(b.notifier().unacknowledged()).noneMatch(x -> x.labels().equals(dbOutage));
    }

    @Test
    @Order(7)
    void acksSurviveARestartOfEveryConsoleAndBothAlertmanagers() throws Exception {
        Map<String, String> press = alert("PressJam", "P06", true);
        AlertmanagerPool pa = console("A");
        Alert alert = find(pa, press);
        new Acknowledger(pa, JOURNAL, "console-a", AckKeeper.DEFAULT_HOLD, CLOCK).acknowledge(List.of(alert), "nightshift", "press 4 jammed, waiting for parts");
        awaitTrue(() -> liveAcks(am1, press).size() == 1);
        String id = liveAcks(am1, press).getFirst().id();
        a.close();
        b.close();
        // both members down at once, then up: silences come back from their snapshot on disk
        stack.stopService(stack.alertmanager(0).name(), false);
        stack.stopService(stack.alertmanager(1).name(), false);
        stack.startAgain(stack.alertmanager(0).name());
        stack.startAgain(stack.alertmanager(1).name());
        AlertmanagerClient c = new AlertmanagerClient("am-0", Endpoint.of(am0.toString()));
        awaitTrue(() -> c.status().peers().size() == 2);
        alert("PressJam", "P06", true); // Prometheus re-sends firing alerts; Alertmanager does not keep them
        AlertmanagerPool fresh = console("B");
        AlertService restarted = service(fresh, new AckKeeper(fresh));
        try {
            find(fresh, press);
            restarted.poll();
            Alert seen = restarted.last().alerts().stream().filter(x -> x.labels().equals(press)).findFirst().orElseThrow();
            Acknowledgement k = restarted.notifier().acknowledgement(seen.fingerprint()).orElseThrow();
            assertThat(k.silenceId()).isEqualTo(id);
            assertThat(k.owner()).isEqualTo("nightshift");
            assertThat(k.note()).isEqualTo("press 4 jammed, waiting for parts");
            assertThat(restarted.notifier().isAcknowledged(seen.fingerprint())).isTrue();
        } finally {
            restarted.close();
        }
    }

    @Test
    @Order(8)
    void karmasAckIsAnAckHereAndOursIsOneForKarma() throws Exception {
        // the body karma's one-click ack posts (its own test's expectation), times and alert name made current
        String name = "KarmaFake-" + RUN;
        String body = Files.readString(Path.of("src/test/resources/karma/ack-silence.json"))
                .replace("Fake Alert", name)
                .replace("2000-02-01T00:00:00.000Z", Instant.now().toString())
                .replace("2000-02-01T00:03:57.000Z", Instant.now().plusSeconds(900).toString());
        Map<String, String> bar = new LinkedHashMap<>(Map.of("alertname", name, "foo", "bar", "severity", "critical", "run", RUN));
        Map<String, String> baz = new LinkedHashMap<>(Map.of("alertname", name, "foo", "baz", "severity", "critical", "run", RUN));
        for (URI am : List.of(am0, am1)) {
            post(am, bar, true);
            post(am, baz, true);
        }
        FIRED.add(bar);
        FIRED.add(baz);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am0 + "/api/v2/silences")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        AlertmanagerPool pb = console("B");
        AlertService svc = service(pb, new AckKeeper(pb));
        try {
            awaitTrue(() -> svc.poll().alerts().stream().filter(x -> x.labels().get("alertname").equals(name)).count() == 2
                    && svc.last().alerts().stream().filter(x -> x.labels().get("alertname").equals(name)).allMatch(x -> svc.notifier().isAcknowledged(x.fingerprint())));
            for (Alert x : svc.last().alerts().stream().filter(x -> x.labels().get("alertname").equals(name)).toList()) {
                Acknowledgement k = svc.notifier().acknowledgement(x.fingerprint()).orElseThrow();
                assertThat(k.owner()).isEqualTo("me");
                assertThat(k.note()).isEqualTo("This alert was acknowledged using karma on Tue, 01 Feb 2000 00:00:00 GMT");
            }
            // our keeper holds karma's group ack too (kthxbye's job), and does not expire it while the group fires
            assertThat(svc.lastKeep().expired()).isEmpty();
        } finally {
            svc.close();
        }
        // ours, read back from Alertmanager, starts with karma's prefix (karma's alertAcknowledgement comment "ACK! ...")
        Silence ours = new AlertmanagerClient("m", Endpoint.of(am1.toString())).silences().stream()
                .filter(s -> "lead".equals(s.createdBy()) && s.matchers().stream().anyMatch(m -> m.value().contains(RUN))).findFirst().orElseThrow();
        assertThat(ours.comment()).startsWith("ACK! ");
    }

    @Test
    @Order(9)
    void badInputAckOnAnAlertThatResolvedMeanwhileAndASilenceAlertmanagerRejects() throws Exception {
        Map<String, String> gone = alert("Gone", "P07", true);
        AlertmanagerPool pa = console("A");
        Alert shown = find(pa, gone); // what the operator still sees on screen
        alert("Gone", "P07", false);
        int before = JOURNAL.all().size();
        Acknowledger.Outcome o = new Acknowledger(pa, JOURNAL, "console-a", AckKeeper.DEFAULT_HOLD, CLOCK).acknowledge(List.of(shown), "lead", "looking");
        assertThat(o.done()).isEmpty();
        assertThat(o.skipped()).singleElement().asString().contains("resolved meanwhile").contains("Gone-" + RUN);
        assertThat(liveAcks(am0, gone)).isEmpty();
        assertThat(JOURNAL.all()).hasSize(before);

        // a console whose clock is an hour behind asks for an end in the past: the real Alertmanager refuses it
        Map<String, String> valve = alert("Valve", "P08", true);
        Alert v = find(pa, valve);
        Acknowledger skewed = new Acknowledger(pa, JOURNAL, "console-a", AckKeeper.DEFAULT_HOLD, Clock.offset(CLOCK, Duration.ofHours(-1)));
        assertThatThrownBy(() -> skewed.acknowledge(List.of(v), "lead", "checking the valve"))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("am-0 rejected the silence")
                .hasMessageContaining("past");
        assertThat(liveAcks(am0, valve)).isEmpty();
        assertThat(JOURNAL.all()).as("nothing journaled for an ack that did not happen").hasSize(before);
        // missing note or owner: said before anything is written
        assertThatThrownBy(() -> new Acknowledger(pa, JOURNAL, "c", AckKeeper.DEFAULT_HOLD, CLOCK).acknowledge(List.of(v), "lead", " "))
                .hasMessageContaining("note is required");
        assertThatThrownBy(() -> new Acknowledger(pa, JOURNAL, "c", AckKeeper.DEFAULT_HOLD, CLOCK).acknowledge(List.of(v), "", "x"))
                .hasMessageContaining("owner is required");
    }

    @Test
    @Order(10)
    void shelveEndsByItselfUnackIsOneActionAndNotesAreJournalOnly() throws Exception {
        Map<String, String> sensor = alert("Sensor", "P09", true);
        AlertmanagerPool pa = console("A");
        Alert s = find(pa, sensor);
        Acknowledger ack = new Acknowledger(pa, JOURNAL, "console-a", AckKeeper.DEFAULT_HOLD, CLOCK);
        int before = JOURNAL.all().size();
        ack.note(s, "lead", "seen this twice this week");
        assertThat(liveAcks(am0, sensor)).isEmpty();
        Instant until = Instant.now().plusSeconds(4);
        ack.shelve(List.of(s), "lead", "sensor being replaced", until);
        AlertmanagerPool pb = console("B");
        AlertService svc = service(pb, new AckKeeper(pb));
        try {
            awaitTrue(() -> svc.poll().alerts().stream().anyMatch(x -> x.labels().equals(sensor)
                    && svc.notifier().acknowledgement(x.fingerprint()).map(k -> k.kind() == Acknowledgement.Kind.SHELVE).orElse(false)));
            Alert x = svc.last().alerts().stream().filter(y -> y.labels().equals(sensor)).findFirst().orElseThrow();
            assertThat(svc.notifier().isAcknowledged(x.fingerprint())).as("shelved is not acknowledged").isFalse();
            assertThat(x.state()).isEqualTo("suppressed");
            // the shelve is not renewed: it comes back by itself
            awaitTrue(() -> svc.poll().alerts().stream().anyMatch(y -> y.labels().equals(sensor) && "active".equals(y.state())));
            assertThat(Instant.now()).isAfterOrEqualTo(until);

            ack.acknowledge(List.of(x), "lead", "replacing it now");
            awaitTrue(() -> svc.poll().alerts().stream().anyMatch(y -> y.labels().equals(sensor) && svc.notifier().isAcknowledged(y.fingerprint())));
            Acknowledger.Outcome un = ack.unacknowledge(List.of(x), "lead");
            assertThat(un.done()).hasSize(1);
            awaitTrue(() -> svc.poll().alerts().stream().anyMatch(y -> y.labels().equals(sensor) && !svc.notifier().isAcknowledged(y.fingerprint())));
            assertThat(svc.notifier().unacknowledged()).anyMatch(y -> y.labels().equals(sensor));
        } finally {
            svc.close();
        }
        List<JournalEntry> mine = JOURNAL.all().subList(before, JOURNAL.all().size());
        assertThat(mine).extracting(JournalEntry::action).containsExactly(JournalEntry.Action.NOTE, JournalEntry.Action.SHELVE,
                JournalEntry.Action.ACK, JournalEntry.Action.UNACK);
        assertThat(mine.get(0).note()).isEqualTo("seen this twice this week");
        assertThat(mine.get(0).silenceId()).isNull();
        assertThat(mine.get(1).until()).isEqualTo(until);
        assertThat(mine.get(1).note()).isEqualTo("sensor being replaced");
        assertThat(mine.get(3).silenceId()).isEqualTo(mine.get(2).silenceId());
    }

    @SafeVarargs
    static <T> List<T> together(java.util.concurrent.Callable<T>... tasks) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<T>> fs = new ArrayList<>();
        try (var ex = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (var t : tasks) fs.add(ex.submit(() -> {
                go.await();
                return t.call();
            }));
            go.countDown();
            List<T> out = new CopyOnWriteArrayList<>();
            for (var f : fs) out.add(f.get());
            return out;
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(Check c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (c.ok()) return;
            Thread.sleep(200);
        }
        throw new AssertionError("condition not reached in time");
    }
}
