package io.andon.bench;

import io.andon.server.mes.load.LoadGenerator;
import io.andon.stack.JavaService;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * P8: what this machine reaches against the plant's 1000 q/s + 100 w/s, and the cost of instrumentation.
 * Two instances on the same database, one with --no-metrics, both warmed, then measured in the order
 * on, off, off, on: drift (autovacuum after seeding, JIT, other work on the machine) hits both sides alike.
 */
@Tag("bench")
@ExtendWith(StackExtension.class)
class MesBench {
    private static final Duration RUN = Duration.ofSeconds(10);

    @Test
    void achievedRateAndInstrumentationOverhead(Stack stack) throws Exception {
        JavaService on = stack.mes("--seed");
        JavaService off = stack.mesInstance("mes-nometrics", "--no-metrics");
        for (JavaService s : List.of(on, off)) new LoadGenerator(s.baseUri(), 600, 10, 6_000, Duration.ofSeconds(8)).run();
        List<LoadGenerator.Report> withMetrics = new ArrayList<>(), without = new ArrayList<>();
        for (boolean metrics : new boolean[] {true, false, false, true}) {
            LoadGenerator.Report r = new LoadGenerator((metrics ? on : off).baseUri(), 1100, 10, 15_000, RUN).run();
            (metrics ? withMetrics : without).add(r);
            System.out.println("P8 metrics " + (metrics ? "on " : "off") + ": " + r);
        }
        stack.stopService("mes-nometrics", false);
        StringBuilder rows = new StringBuilder();
        for (var r : withMetrics) rows.append(row("metrics on", r));
        for (var r : without) rows.append(row("metrics off", r));
        double rateOn = rate(withMetrics), rateOff = rate(without);
        double p99On = withMetrics.stream().mapToDouble(LoadGenerator.Report::p99QueryMs).average().orElseThrow();
        double p99Off = without.stream().mapToDouble(LoadGenerator.Report::p99QueryMs).average().orElseThrow();
        String md = String.format(Locale.ROOT, """
                ## P8 simulated MES under the plant's load (target 1000 q/s + 100 w/s, open loop, 4 × 10 s in the order on, off, off, on)
                | run | queries/s | writes/s | P50 query ms | P99 query ms | P99 write ms | statuses |
                |---|---|---|---|---|---|---|
                %s
                SLO: P99 < 200 ms (queries), < 300 ms (writes). Instrumentation overhead on throughput: %.1f %% (goal < 2 %%);
                mean query P99 %.1f ms on vs %.1f ms off (%.2f×). Load generator, service and PostgreSQL share this machine's 2 cores.
                """, rows, (rateOff - rateOn) / rateOff * 100, p99On, p99Off, p99On / p99Off);
        System.out.println(md);
        BenchReport.write("p8-mes", md);
    }

    private static String row(String name, LoadGenerator.Report r) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.1f | %.1f | %.1f | %s |%n", name, r.queriesPerSecond(), r.writesPerSecond(),
                r.p50QueryMs(), r.p99QueryMs(), r.p99WriteMs(), r.statuses());
    }

    private static double rate(List<LoadGenerator.Report> rs) {
        return rs.stream().mapToDouble(r -> r.queriesPerSecond() + r.writesPerSecond()).average().orElseThrow();
    }
}
