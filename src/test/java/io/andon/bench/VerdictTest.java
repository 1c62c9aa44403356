package io.andon.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared verdict rule of every bench: from the printed figure, and "incomplete" for a run cut short. */
class VerdictTest {
    @Test
    void followsTheFigure() {
        assertThat(Verdict.below(49.9, 50, true)).isEqualTo("met");
        assertThat(Verdict.below(50, 50, true)).isEqualTo("**not met**");
        assertThat(Verdict.atMost(1.1, 1.1, true)).isEqualTo("met");
        assertThat(Verdict.atMost(1.11, 1.1, true)).isEqualTo("**not met**");
        assertThat(Verdict.within(-4.9, 5, true)).isEqualTo("met");
        assertThat(Verdict.within(-5.1, 5, true)).isEqualTo("**not met**");
        assertThat(Verdict.above(1001, 1000, true)).isEqualTo("met");
        assertThat(Verdict.above(1000, 1000, true)).isEqualTo("**not met**");
    }

    @Test
    void aMissingFigureIsNeverMet() {
        assertThat(Verdict.below(Double.NaN, 50, true)).isEqualTo("**not met**");
        assertThat(Verdict.atMost(Double.NaN, 1.1, true)).isEqualTo("**not met**");
        assertThat(Verdict.within(Double.NaN, 5, true)).isEqualTo("**not met**");
        assertThat(Verdict.above(Double.NaN, 0, true)).isEqualTo("**not met**");
    }

    @Test
    void aRunCutShortIsIncompleteEvenWhenItsFigureLooksGood() {
        assertThat(Verdict.below(1, 50, false)).isEqualTo("incomplete");
        assertThat(Verdict.within(0, 5, false)).isEqualTo("incomplete");
        assertThat(Verdict.atMost(0, 1, false)).isEqualTo("incomplete");
        assertThat(Verdict.above(9e9, 1, false)).isEqualTo("incomplete");
        assertThat(Verdict.complete(9_999, 10_000)).isFalse();
        assertThat(Verdict.complete(10_000, 10_000)).isTrue();
        assertThat(Verdict.shortfall("cycles", 4_000, 10_000)).contains("Incomplete: 4,000 of 10,000 cycles");
        assertThat(Verdict.shortfall("cycles", 10_000, 10_000)).isEmpty();
    }
}
