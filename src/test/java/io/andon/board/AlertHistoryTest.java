package io.andon.board;

import io.andon.prometheus.Series;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertHistoryTest {
    @Test
    void gapsSplitIntervalsAndEachSampleCoversOneStep() {
        Instant t0 = Instant.parse("2026-11-25T00:00:00Z");
        Duration step = Duration.ofMinutes(1);
        List<Series.Point> pts = new ArrayList<>();
        for (int i = 0; i < 10; i++) pts.add(new Series.Point(t0.plus(step.multipliedBy(i)), 1));      // 00:00-00:10
        for (int i = 30; i < 35; i++) pts.add(new Series.Point(t0.plus(step.multipliedBy(i)), 1));     // 00:30-00:35
        List<AlertHistory.Interval> iv = AlertHistory.intervals(pts, step);
        assertThat(iv).containsExactly(new AlertHistory.Interval(t0, t0.plus(Duration.ofMinutes(10))),
                new AlertHistory.Interval(t0.plus(Duration.ofMinutes(30)), t0.plus(Duration.ofMinutes(35))));
        assertThat(new AlertHistory.Row("X", java.util.Map.of(), iv).total()).isEqualTo(Duration.ofMinutes(15));
        assertThat(AlertHistory.intervals(List.of(), step)).isEmpty();
    }
}
