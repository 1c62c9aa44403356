package io.andon.alertmanager;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Escalation and alarm-flood detection with an injected clock (the real-rule runs are in AlarmWorkflowEndToEndTest). */
class EscalationFloodLogicTest {
    static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = T0;
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId z) { return this; }
        @Override public Instant instant() { return now; }
        void advance(Duration d) { now = now.plus(d); }
    }

    static Alert alert(String fp, String name, String plant, String severity, Instant startsAt) {
        return new Alert(fp, Map.of("alertname", name, "plant", plant, "severity", severity), Map.of(), startsAt, null, startsAt, "active",
                List.of(), List.of(), List.of(), "", List.of());
    }

    @Test
    void aCriticalEscalatesOnceAfterTheDelayAndStaysUntilAcknowledged() {
        MovableClock clock = new MovableClock();
        List<Escalation.Escalated> sent = new ArrayList<>();
        Escalation esc = new Escalation(clock, Map.of("critical", new Escalation.Rule(Duration.ofMinutes(10), Duration.ofSeconds(30)),
                "warning", new Escalation.Rule(Duration.ofMinutes(30), Duration.ofMinutes(2))), sent::add);
        Alert db = alert("f1", "DatabaseDown", "P01", "critical", T0);
        Alert warn = alert("f2", "HighLatency", "P01", "warning", T0);
        Alert info = alert("f3", "Info", "P01", "info", T0);
        List<Alert> unacked = List.of(db, warn, info);
        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertThat(esc.update(unacked)).isEmpty();
        assertThat(esc.active()).isFalse();
        assertThat(esc.ringDue()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(esc.update(unacked)).extracting(e -> e.alert().fingerprint()).containsExactly("f1");
        assertThat(esc.active()).isTrue();
        // once: later polls do not escalate it again
        clock.advance(Duration.ofMinutes(5));
        assertThat(esc.update(unacked)).isEmpty();
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().at()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        // the warning has its own delay
        clock.advance(Duration.ofMinutes(15));
        assertThat(esc.update(unacked)).extracting(e -> e.alert().fingerprint()).containsExactly("f2");
        assertThat(esc.escalated()).extracting(e -> e.alert().fingerprint()).containsExactly("f1", "f2");
        // acknowledged (it leaves the unacknowledged list): no longer escalated; the info alert never escalates
        esc.update(List.of(warn, info));
        assertThat(esc.escalated()).extracting(e -> e.alert().fingerprint()).containsExactly("f2");
        esc.update(List.of(info));
        assertThat(esc.active()).isFalse();
        assertThat(sent).hasSize(2);
        // the same alert firing again later (new startsAt) is a new firing: it may escalate again
        Alert again = alert("f1", "DatabaseDown", "P01", "critical", clock.instant());
        clock.advance(Duration.ofMinutes(10));
        assertThat(esc.update(List.of(again))).hasSize(1);
    }

    @Test
    void aConsoleStartedLateEscalatesAtOnceFromTheAlertsStartNotFromItsOwn() {
        MovableClock clock = new MovableClock();
        clock.advance(Duration.ofMinutes(12));
        Escalation esc = new Escalation(clock, Escalation.defaults(), e -> {});
        assertThat(esc.update(List.of(alert("f1", "DatabaseDown", "P01", "critical", T0)))).hasSize(1);
    }

    @Test
    void soundRepeatsAtTheSeverityIntervalAndCanBeSnoozed() {
        MovableClock clock = new MovableClock();
        Escalation esc = new Escalation(clock, Map.of("critical", new Escalation.Rule(Duration.ZERO, Duration.ofSeconds(30))), e -> {});
        esc.update(List.of(alert("f1", "DatabaseDown", "P01", "critical", T0)));
        assertThat(esc.ringDue()).isTrue();
        assertThat(esc.ringDue()).isFalse();
        clock.advance(Duration.ofSeconds(29));
        assertThat(esc.ringDue()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(esc.ringDue()).isTrue();
        esc.snooze(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(4));
        assertThat(esc.ringDue()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(esc.ringDue()).isTrue();
        // a second escalation rings at once, inside the interval
        esc.update(List.of(alert("f1", "DatabaseDown", "P01", "critical", T0), alert("f9", "MESDown", "P02", "critical", T0)));
        assertThat(esc.ringDue()).isTrue();
        assertThatThrownBy(() -> new Escalation.Rule(Duration.ofMinutes(1), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void floodStartsAboveTenNewAlarmsInTenMinutesAndEndsWithHysteresis() {
        MovableClock clock = new MovableClock();
        List<FloodDetector.Change> changes = new ArrayList<>();
        FloodDetector f = new FloodDetector(clock, FloodDetector.Config.eemua(), changes::add);
        List<Alert> firing = new ArrayList<>();
        // 10 new alarms within 10 minutes: not yet a flood (more than 10 is)
        for (int i = 0; i < 10; i++) {
            firing.add(alert("a" + i, i % 2 == 0 ? "EquipmentFailure" : "HighLatency", "P0" + (i % 3 + 1), i % 2 == 0 ? "critical" : "warning", clock.instant()));
            clock.advance(Duration.ofSeconds(50));
            assertThat(f.update(firing)).isNull();
        }
        assertThat(f.rate()).isEqualTo(10);
        firing.add(alert("a10", "MESDown", "P01", "critical", clock.instant()));
        FloodDetector.Change start = f.update(firing);
        assertThat(start).isNotNull();
        assertThat(start.flooding()).isTrue();
        assertThat(start.newInWindow()).isEqualTo(11);
        assertThat(f.flooding()).isTrue();
        // summary by group and plant, worst severity first, then most firing
        assertThat(f.summary()).extracting(FloodDetector.Row::group, FloodDetector.Row::plant, FloodDetector.Row::firing, FloodDetector.Row::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("EquipmentFailure", "P01", 2, "critical"),
                        org.assertj.core.groups.Tuple.tuple("EquipmentFailure", "P03", 2, "critical"),
                        org.assertj.core.groups.Tuple.tuple("EquipmentFailure", "P02", 1, "critical"),
                        org.assertj.core.groups.Tuple.tuple("MESDown", "P01", 1, "critical"),
                        org.assertj.core.groups.Tuple.tuple("HighLatency", "P01", 2, "warning"),
                        org.assertj.core.groups.Tuple.tuple("HighLatency", "P02", 2, "warning"),
                        org.assertj.core.groups.Tuple.tuple("HighLatency", "P03", 1, "warning"));
        assertThat(f.summary().stream().mapToInt(FloodDetector.Row::firing).sum()).isEqualTo(11);
        // the alarms keep firing but are no longer new: the rate falls; 6 in the window is still above the end threshold
        clock.advance(Duration.ofMinutes(5).plusSeconds(10)); // the first 5 (t=0..200 s) leave the 10-minute window
        assertThat(f.update(firing)).isNull();
        assertThat(f.rate()).isEqualTo(6);
        assertThat(f.flooding()).isTrue();
        // 5 or fewer: calm starts, but the flood holds for 2 minutes (hysteresis)
        clock.advance(Duration.ofSeconds(50));
        assertThat(f.update(firing)).isNull();
        assertThat(f.rate()).isLessThanOrEqualTo(5);
        // a burst inside the calm period resets it
        clock.advance(Duration.ofSeconds(60));
        List<Alert> burst = new ArrayList<>(firing);
        for (int i = 0; i < 3; i++) burst.add(alert("b" + i, "HighLatency", "P04", "warning", clock.instant()));
        assertThat(f.update(burst)).isNull();
        assertThat(f.flooding()).isTrue();
        clock.advance(Duration.ofSeconds(90));
        assertThat(f.update(firing)).isNull(); // calm again from here
        clock.advance(Duration.ofSeconds(119));
        assertThat(f.update(firing)).isNull();
        clock.advance(Duration.ofSeconds(1));
        FloodDetector.Change end = f.update(firing);
        assertThat(end).isNotNull();
        assertThat(end.flooding()).isFalse();
        assertThat(f.flooding()).isFalse();
        assertThat(changes).extracting(FloodDetector.Change::flooding).containsExactly(true, false);
    }

    @Test
    void alreadyFiringAlarmsDoNotMakeAFloodWhenAConsoleStarts() {
        MovableClock clock = new MovableClock();
        clock.advance(Duration.ofHours(1));
        FloodDetector f = new FloodDetector(clock, FloodDetector.Config.eemua(), c -> {});
        List<Alert> old = new ArrayList<>();
        for (int i = 0; i < 40; i++) old.add(alert("o" + i, "Old", "P01", "warning", T0.plusSeconds(i)));
        assertThat(f.update(old)).isNull();
        assertThat(f.rate()).isZero();
        assertThat(f.summary()).singleElement().extracting(FloodDetector.Row::firing).isEqualTo(40);
        assertThatThrownBy(() -> new FloodDetector.Config(10, 10, Duration.ofMinutes(10), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
