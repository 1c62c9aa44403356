package io.andon.alertmanager;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Local logic: matcher parsing, pool merge, the critical notifier and the history's intervals. */
class AlertLogicTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Alert alert(String fp, String severity, String state, Instant updated, List<String> silencedBy) {
        return new Alert(fp, Map.of("alertname", "A" + fp, "severity", severity), Map.of(), T0, null, updated, state, silencedBy, List.of(),
                List.of("webhook"), "", List.of("am-0"));
    }

    @Test
    void matchersAreParsedLikeAlertmanagerWritesThem() {
        AlertFilter f = AlertFilter.parse("severity=\"critical\", plant!=P02 alertname=~\"Data.*\" job!~\"x|y\" disk full");
        assertThat(f.matchers()).extracting(Silence.Matcher::toString)
                .containsExactly("severity=\"critical\"", "plant!=\"P02\"", "alertname=~\"Data.*\"", "job!~\"x|y\"");
        assertThat(f.text()).isEqualTo("disk full");
        assertThat(AlertFilter.parse("v=\"a \\\"q\\\" b\"").matchers().getFirst().value()).isEqualTo("a \"q\" b");
        assertThatThrownBy(() -> AlertFilter.parse("alertname=~\"(\"")).hasMessageContaining("invalid regular expression for alertname");
        assertThatThrownBy(() -> AlertFilter.parse("severity=")).hasMessageContaining("incomplete matcher 'severity='");
        assertThatThrownBy(() -> AlertFilter.parse("plant=\"P0")).hasMessageContaining("incomplete matcher");
        // regexes are anchored as in Alertmanager
        Alert a = new Alert("f", Map.of("alertname", "DatabaseDown"), Map.of(), T0, null, T0, "active", List.of(), List.of(), List.of(), "", List.of());
        assertThat(AlertFilter.parse("alertname=~\"Database\"").test(a)).isFalse();
        assertThat(AlertFilter.parse("alertname=~\"Database.*\"").test(a)).isTrue();
        assertThat(AlertFilter.parse("missing=\"\"").test(a)).as("absent label equals empty, as in Alertmanager").isTrue();
    }

    @Test
    void mergeKeepsNewestAndAnySilence() {
        Alert older = alert("1", "critical", "suppressed", T0, List.of("s1"));
        Alert newer = alert("1", "critical", "active", T0.plusSeconds(5), List.of()).withSources(List.of("am-1"));
        Alert m = AlertmanagerPool.merge(older, newer);
        assertThat(m.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(m.silencedBy()).containsExactly("s1");
        assertThat(m.state()).isEqualTo("suppressed");
        assertThat(m.sources()).containsExactly("am-0", "am-1");
        assertThat(AlertmanagerPool.merge(newer, older)).isEqualTo(m.withSources(List.of("am-1", "am-0")));
    }

    @Test
    void notifierOncePerFiringSilencedNotAnnouncedAckIsLocal() {
        List<Alert> sent = new ArrayList<>();
        CriticalNotifier n = new CriticalNotifier(sent::add);
        Alert c1 = alert("1", "critical", "active", T0, List.of());
        Alert w = alert("2", "warning", "active", T0, List.of());
        Alert silenced = alert("3", "critical", "suppressed", T0, List.of("s"));
        assertThat(n.update(List.of(c1, w, silenced))).containsExactly(c1);
        assertThat(n.update(List.of(c1, w, silenced))).isEmpty();
        n.acknowledge("1");
        assertThat(n.unacknowledged()).isEmpty();
        // the silence ends: now it is news
        Alert unsilenced = alert("3", "critical", "active", T0, List.of());
        assertThat(n.update(List.of(c1, unsilenced))).containsExactly(unsilenced);
        assertThat(n.unacknowledged()).containsExactly(unsilenced);
        // 1 resolves and fires again
        n.update(List.of(unsilenced));
        assertThat(n.update(List.of(c1, unsilenced))).containsExactly(c1);
        assertThat(n.isAcknowledged("1")).isFalse();
        assertThat(sent).extracting(Alert::fingerprint).containsExactly("1", "3", "1");
    }

    @Test
    void snapshotNeverPassesForAllClearWhenStale() {
        AlertSnapshot never = AlertSnapshot.notYet();
        assertThat(never.stale()).isTrue();
        assertThat(never.allClear()).isFalse();
        assertThat(never.age(T0)).isNull();
        AlertSnapshot empty = new AlertSnapshot(List.of(), List.of(), T0, T0, false, List.of());
        assertThat(empty.allClear()).isTrue();
    }

    static RangeQuery.Series series(Map<String, String> labels, Instant start, Duration step, int... present) {
        List<RangeQuery.Point> pts = new ArrayList<>();
        for (int i : present) pts.add(new RangeQuery.Point(start.plus(step.multipliedBy(i)), 1));
        return new RangeQuery.Series(labels, pts);
    }

    @Test
    void historyIntervalsFromAlertsSeries() throws Exception {
        Duration step = Duration.ofSeconds(15);
        Instant end = T0.plus(step.multipliedBy(20));
        Map<String, String> db = Map.of("__name__", "ALERTS", "alertname", "DatabaseDown", "alertstate", "firing", "plant", "P01");
        Map<String, String> eq = Map.of("__name__", "ALERTS", "alertname", "EquipmentFailure", "alertstate", "firing", "plant", "P02");
        List<String> asked = new ArrayList<>();
        RangeQuery fake = (expr, s, e, st) -> {
            asked.add(expr + " " + st);
            return List.of(series(db, T0, step, 0, 1, 2, 3, 10, 11, 19, 20), series(eq, T0, step, 5));
        };
        List<AlertHistory.Timeline> t = new AlertHistory(fake).load(T0, end);
        assertThat(asked).containsExactly("ALERTS{alertstate=\"firing\"} PT15S");
        assertThat(t).extracting(AlertHistory.Timeline::alertname).containsExactly("DatabaseDown", "EquipmentFailure");
        AlertHistory.Timeline d = t.getFirst();
        assertThat(d.labels()).doesNotContainKeys("__name__", "alertstate").containsEntry("plant", "P01");
        assertThat(d.intervals()).containsExactly(
                new AlertHistory.Interval(T0, T0.plus(step.multipliedBy(4)), false),
                new AlertHistory.Interval(T0.plus(step.multipliedBy(10)), T0.plus(step.multipliedBy(12)), false),
                new AlertHistory.Interval(T0.plus(step.multipliedBy(19)), end, true));
        assertThat(t.get(1).intervals()).containsExactly(new AlertHistory.Interval(T0.plus(step.multipliedBy(5)), T0.plus(step.multipliedBy(6)), false));
        Alert eqAlert = new Alert("x", Map.of("alertname", "EquipmentFailure", "plant", "P02"), Map.of(), T0, null, T0, "active", List.of(), List.of(), List.of(), "", List.of());
        assertThat(new AlertHistory(fake).load(eqAlert, T0, end)).extracting(AlertHistory.Timeline::alertname).containsExactly("EquipmentFailure");
        assertThat(AlertHistory.step(Duration.ofDays(7))).isEqualTo(Duration.ofSeconds(1209));
        assertThatThrownBy(() -> new AlertHistory(fake).load(end, T0)).isInstanceOf(IllegalArgumentException.class);
    }
}
