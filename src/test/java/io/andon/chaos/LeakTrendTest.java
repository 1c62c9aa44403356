package io.andon.chaos;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The chaos leak check's judge: one leaked thread per cycle is caught at the default 4 cycles, noise is not. */
class LeakTrendTest {
    @Test
    void oneThreadPerCycleIsALeak() {
        long[] leak = {46, 47, 48, 49};
        assertThat(LeakTrend.slope(leak)).isEqualTo(1.0);
        assertThat(LeakTrend.growth("threads", leak, 0.5)).contains("grows by 1.00 per cycle");
        // the old check: every cycle ≤ cycle 1 + 5 — passed this leak
        assertThat(java.util.Arrays.stream(leak).allMatch(t -> t <= leak[0] + 5)).isTrue();
    }

    @Test
    void flatOrNoisyIsNot() {
        assertThat(LeakTrend.growth("threads", new long[] {46, 46, 47, 46}, 0.5)).isNull();
        assertThat(LeakTrend.growth("threads", new long[] {47, 46, 46, 46}, 0.5)).isNull();
        assertThat(LeakTrend.growth("threads", new long[] {46, 47, 46, 47, 46, 47}, 0.5)).isNull();
    }

    @Test
    void aStepThatStaysIsCaughtByTheRise() {
        // flat slope at the end but the last cycle is far above the first
        assertThat(LeakTrend.growth("threads", new long[] {40, 50, 50, 50}, 0.5)).isNotNull();
    }

    @Test
    void tooFewCyclesSaySo() {
        assertThat(LeakTrend.growth("threads", new long[] {46, 46}, 0.5)).contains("too few");
    }
}
