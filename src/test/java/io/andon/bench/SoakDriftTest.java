package io.andon.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's drift: a bounded buffer emptied at each rebuild is not a leak; growth that outlives the rebuilds is. */
class SoakDriftTest {
    static List<SoakBench.Sample> run(int minutes, DoubleUnaryOperator heapAt) {
        List<SoakBench.Sample> out = new ArrayList<>();
        for (int m = 0; m <= minutes; m++) {
            out.add(new SoakBench.Sample(m, heapAt.applyAsDouble(m), 300, 50, 150, 10, 0, 0, 0, 0, 0, 0, 1, 0));
        }
        return out;
    }

    @Test
    void aBufferRefilledAfterEachRebuildIsNoDrift() {
        // the logs screen: 45 MiB plus a tail that grows 0.5 MiB a minute until its rebuild every 30 min empties it
        List<SoakBench.Sample> sawTooth = run(91, m -> 45 + 0.5 * (m % 30));
        double d = SoakBench.drift(SoakBench.driftWindows(sawTooth, 30), SoakBench.Sample::heapMiB);
        assertThat(d).isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.5));
        // what the quarters made of it (the first quarter early in a cycle, the last late in one)
        List<SoakBench.Sample> after = sawTooth.subList(sawTooth.size() / 3, sawTooth.size());
        int q = after.size() / 4;
        assertThat(SoakBench.drift(List.of(after.subList(0, q), after.subList(after.size() - q, after.size())), SoakBench.Sample::heapMiB))
                .isGreaterThan(5);
    }

    @Test
    void growthThatOutlivesTheRebuildsIsDrift() {
        // the same saw-tooth over a floor that rises 0.2 MiB a minute: 6 MiB a cycle kept
        List<SoakBench.Sample> leak = run(91, m -> 45 + 0.2 * m + 0.5 * (m % 30));
        List<List<SoakBench.Sample>> w = SoakBench.driftWindows(leak, 30);
        assertThat(w.getFirst().getFirst().minute()).isEqualTo(30);
        assertThat(w.getLast().getLast().minute()).isEqualTo(89);
        assertThat(SoakBench.drift(w, SoakBench.Sample::heapMiB)).isGreaterThan(5);
    }

    @Test
    void aShortRunComparesQuartersAfterItsFirstThird() {
        List<SoakBench.Sample> shortRun = run(40, m -> 100 + m);
        List<List<SoakBench.Sample>> w = SoakBench.driftWindows(shortRun, 30);
        assertThat(w.getFirst().getFirst().minute()).isEqualTo(13);
        assertThat(w.getLast().getLast().minute()).isEqualTo(40);
    }
}
