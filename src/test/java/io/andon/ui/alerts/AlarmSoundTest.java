package io.andon.ui.alerts;

import io.andon.alertmanager.Alert;
import io.andon.alertmanager.Escalation;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The alarm sound's patterns, not the audio: a critical and a warning ring differently (count and rhythm) and at their
 * own cadence, settings override them with the key named on a bad value, a pattern still playing is not restarted.
 * Before, a warning rang once like any other severity and nothing was configurable.
 */
class AlarmSoundTest {
    static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");

    /** Records when each bell would ring, on a virtual timeline (no sleeping). */
    static final class Timeline {
        final List<String> events = new ArrayList<>();
        Duration now = Duration.ZERO;
        String severity = "?";

        AlarmSound sound(Map<String, AlarmSound.Pattern> patterns) {
            return new AlarmSound(patterns, () -> events.add(severity + "@" + now.toMillis()), d -> now = now.plus(d));
        }
    }

    @Test
    void criticalAndWarningAreDistinguishableByDefault() {
        AlarmSound.Pattern crit = AlarmSound.DEFAULTS.get("critical"), warn = AlarmSound.DEFAULTS.get("warning");
        assertThat(crit.rings()).isNotEqualTo(warn.rings());
        assertThat(crit.gap()).isNotEqualTo(warn.gap());
        assertThat(crit.offsets()).containsExactly(Duration.ZERO, Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(warn.offsets()).containsExactly(Duration.ZERO, Duration.ofMillis(900));
        assertThat(AlarmSound.DEFAULTS.get("info").offsets()).containsExactly(Duration.ZERO);

        Timeline t = new Timeline();
        AlarmSound s = t.sound(AlarmSound.DEFAULTS);
        t.severity = "critical";
        s.play(s.patternFor("critical"));
        t.severity = "warning";
        t.now = Duration.ofSeconds(10);
        s.play(s.patternFor("warning"));
        t.severity = "page";
        t.now = Duration.ofSeconds(20);
        s.play(s.patternFor("page")); // unknown severity: rings as info
        assertThat(t.events).containsExactly("critical@0", "critical@200", "critical@400", "warning@10000", "warning@10900", "page@20000");
    }

    @Test
    void settingsOverrideWithTheKeyNamed() {
        Map<String, String> conf = Map.of("sound.critical.pattern", "4x150ms", "sound.warning.pattern", "off", "sound.info.pattern", " 2x1s ");
        Map<String, AlarmSound.Pattern> p = AlarmSound.patternsFromSettings(k -> Optional.ofNullable(conf.get(k)));
        assertThat(p.get("critical")).isEqualTo(new AlarmSound.Pattern(4, Duration.ofMillis(150)));
        assertThat(p.get("warning")).isEqualTo(AlarmSound.Pattern.OFF);
        assertThat(p.get("info")).isEqualTo(new AlarmSound.Pattern(2, Duration.ofSeconds(1)));
        assertThat(AlarmSound.patternsFromSettings(k -> Optional.empty())).isEqualTo(AlarmSound.DEFAULTS);
        assertThat(AlarmSound.Pattern.parse("1")).isEqualTo(new AlarmSound.Pattern(1, Duration.ZERO));
        assertThat(AlarmSound.Pattern.parse("3x200ms")).hasToString("3x200ms");

        assertThatThrownBy(() -> AlarmSound.patternsFromSettings(k -> k.equals("sound.warning.pattern") ? Optional.of("loud") : Optional.empty()))
                .hasMessageContaining("sound.warning.pattern").hasMessageContaining("loud");
        assertThatThrownBy(() -> AlarmSound.patternsFromSettings(k -> k.equals("sound.critical.pattern") ? Optional.of("3x10ms") : Optional.empty()))
                .hasMessageContaining("sound.critical.pattern").hasMessageContaining("100ms to 3s");
        assertThatThrownBy(() -> AlarmSound.Pattern.parse("50x200ms")).hasMessageContaining("0 to 10");
        assertThatThrownBy(() -> AlarmSound.Pattern.parse("3xfast")).hasMessageContaining("not a duration");

        // off rings nothing
        Timeline t = new Timeline();
        AlarmSound s = t.sound(p);
        assertThat(s.ring("warning")).isFalse();
        assertThat(t.events).isEmpty();
    }

    @Test
    void aPatternStillPlayingIsNotStartedOver() throws Exception {
        CountDownLatch inGap = new CountDownLatch(1), release = new CountDownLatch(1);
        List<String> rang = new java.util.concurrent.CopyOnWriteArrayList<>();
        AlarmSound s = new AlarmSound(AlarmSound.DEFAULTS, () -> rang.add("ring"), d -> {
            inGap.countDown();
            release.await();
        });
        assertThat(s.ring("critical")).isTrue();
        assertThat(inGap.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(s.ring("critical")).as("second ring while the first pattern plays").isFalse();
        assertThat(s.ring("warning")).isFalse();
        release.countDown();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (s.playing() && System.nanoTime() < end) Thread.sleep(10);
        assertThat(rang).hasSize(3);
        assertThat(s.ring("warning")).as("free again").isTrue();
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = T0;
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId z) { return this; }
        @Override public Instant instant() { return now; }
    }

    static Alert alert(String fp, String severity, Instant startsAt) {
        return new Alert(fp, Map.of("alertname", "A" + fp, "plant", "P01", "severity", severity), Map.of(), startsAt, null, startsAt, "active",
                List.of(), List.of(), List.of(), "", List.of());
    }

    /**
     * Escalation's cadence with the patterns, as AlarmWatch's 1 s tick drives them: a warning alone rings its slow
     * double every 2 min, a critical's fast triple every 30 s takes over, and the warning's returns once the critical
     * is acknowledged.
     */
    @Test
    void eachSeverityRingsItsPatternAtItsCadence() {
        MovableClock clock = new MovableClock();
        Map<String, Escalation.Rule> rules = Escalation.fromSettings(k -> Optional.ofNullable(Map.of(
                "escalation.warning.after", "5m", "escalation.warning.sound", "2m").get(k)));
        Escalation esc = new Escalation(clock, rules, x -> { });
        Timeline t = new Timeline();
        AlarmSound sound = t.sound(AlarmSound.DEFAULTS);
        Alert warn = alert("w", "warning", T0), crit = alert("c", "critical", T0.plus(Duration.ofMinutes(6)));
        List<Alert> unacked = new ArrayList<>(List.of(warn));
        for (int s = 0; s <= 30 * 60; s++) {
            clock.now = T0.plusSeconds(s);
            if (s == 6 * 60) unacked.add(crit);
            if (s == 20 * 60) unacked.remove(crit); // acknowledged
            esc.update(unacked);
            if (esc.ringDue()) esc.loudest().ifPresent(sev -> {
                t.severity = sev;
                t.now = Duration.ofSeconds(Duration.between(T0, clock.now).toSeconds());
                sound.play(sound.patternFor(sev));
            });
        }
        List<Long> warnStarts = starts(t.events, "warning", 900), critStarts = starts(t.events, "critical", 200);
        // warning: escalates at 5 min, then every 2 min until the critical escalates; once the critical is acknowledged
        // (20 min) at the next due ring, then every 2 min again
        assertThat(warnStarts).containsExactly(300L, 420L, 540L, 660L, 780L, 900L, 1200L, 1320L, 1440L, 1560L, 1680L, 1800L);
        // critical: escalates at 16 min (10 min after it started), then every 30 s until acknowledged at 20 min
        assertThat(critStarts).containsExactly(960L, 990L, 1020L, 1050L, 1080L, 1110L, 1140L, 1170L);
        assertThat(t.events.stream().filter(e -> e.startsWith("critical")).count()).isEqualTo(3L * critStarts.size());
        assertThat(t.events.stream().filter(e -> e.startsWith("warning")).count()).isEqualTo(2L * warnStarts.size());
    }

    /** Seconds at which each pattern of a severity started (its first ring), checking the rest of its rings follow at the gap. */
    private static List<Long> starts(List<String> events, String severity, long gapMs) {
        List<Long> ms = events.stream().filter(e -> e.startsWith(severity + "@")).map(e -> Long.parseLong(e.substring(e.indexOf('@') + 1))).toList();
        List<Long> out = new ArrayList<>();
        for (long m : ms) if (!ms.contains(m - gapMs)) out.add(m / 1000);
        return out;
    }
}
