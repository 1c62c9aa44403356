package io.andon.bench;

import io.andon.server.mes.load.LoadGenerator;
import io.andon.stack.JavaService;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

/** P8: what this machine reaches against the plant's 1000 q/s + 100 w/s, and the cost of instrumentation. */
@Tag("bench")
@ExtendWith(StackExtension.class)
class MesBench {
    @Test
    void achievedRateAndInstrumentationOverhead(Stack stack) throws Exception {
        JavaService mes = stack.mes("--seed");
        // warm up the JIT and the pool
        new LoadGenerator(mes.baseUri(), 500, 10, 5_000, Duration.ofSeconds(10)).run();
        LoadGenerator.Report on = new LoadGenerator(mes.baseUri(), 1100, 10, 22_000, Duration.ofSeconds(20)).run();
        stack.stopService("mes", false);
        // the same service without metrics: a second instance on the same database
        JavaService off = stack.mesInstance("mes-nometrics", "--no-metrics");
        new LoadGenerator(off.baseUri(), 500, 10, 5_000, Duration.ofSeconds(10)).run();
        LoadGenerator.Report noMetrics = new LoadGenerator(off.baseUri(), 1100, 10, 22_000, Duration.ofSeconds(20)).run();
        double total = on.queriesPerSecond() + on.writesPerSecond(), totalOff = noMetrics.queriesPerSecond() + noMetrics.writesPerSecond();
        BenchReport.write("p8-mes", String.format(java.util.Locale.ROOT, """
                ## P8 simulated MES under the plant's load (target 1000 q/s + 100 w/s, open loop, 20 s)
                | run | queries/s | writes/s | P99 query ms | P99 write ms |
                |---|---|---|---|---|
                | metrics on | %.0f | %.0f | %.1f | %.1f |
                | metrics off | %.0f | %.0f | %.1f | %.1f |

                SLO: P99 < 200 ms (queries), < 300 ms (writes). Instrumentation overhead on throughput: %.1f %% (goal < 2 %%);
                on query P99: %.2f×. Load generator and service share this machine's cores.
                """, on.queriesPerSecond(), on.writesPerSecond(), on.p99QueryMs(), on.p99WriteMs(),
                noMetrics.queriesPerSecond(), noMetrics.writesPerSecond(), noMetrics.p99QueryMs(), noMetrics.p99WriteMs(),
                (totalOff - total) / totalOff * 100, on.p99QueryMs() / noMetrics.p99QueryMs()));
    }
}
