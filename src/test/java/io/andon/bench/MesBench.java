package io.andon.bench;

import io.andon.server.mes.load.LoadGenerator;
import io.andon.stack.JavaService;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * P8: what this machine reaches against the plant's 1000 q/s + 100 w/s, and the cost of instrumentation.
 * Two instances on the same database, one with --no-metrics, both warmed, then measured in the order
 * on, off, off, on: drift (autovacuum after seeding, JIT, other work on the machine) hits both sides alike.
 * <p>
 * At a fixed open-loop rate both instances serve what they are sent, so their throughputs are equal by
 * construction; the overhead shows in what each run costs (CPU seconds of the MES process per 1 000 requests,
 * from /proc/PID/stat), in the latency (P99), and in what each sustains when saturated (closed loop).
 */
@Tag("bench")
@ExtendWith(StackExtension.class)
class MesBench {
    private static final Duration RUN = Duration.ofSeconds(Verdict.size(10, 3));
    private static final int OPEN_RATE = 1100, CLIENTS = 32;

    record Run(String name, boolean metrics, LoadGenerator.Report report, double cpuSeconds) {
        double requests() { return report.queries() + report.writes(); }
        double cpuPer1000() { return cpuSeconds / requests() * 1000; }
        double rate() { return report.queriesPerSecond() + report.writesPerSecond(); }
    }

    @Test
    void achievedRateAndInstrumentationOverhead(Stack stack) throws Exception {
        JavaService on = stack.mes("--seed");
        JavaService off = stack.mesInstance("mes-nometrics", "--no-metrics");
        for (JavaService s : List.of(on, off)) new LoadGenerator(s.baseUri(), 600, 10, 6_000, Duration.ofSeconds(Verdict.size(8, 3))).run();
        List<Run> open = new ArrayList<>(), closed = new ArrayList<>();
        for (boolean metrics : new boolean[] {true, false, false, true}) {
            JavaService s = metrics ? on : off;
            long c0 = cpuTicks(s);
            LoadGenerator.Report r = new LoadGenerator(s.baseUri(), OPEN_RATE, 10, 15_000, RUN).run();
            open.add(new Run(metrics ? "metrics on" : "metrics off", metrics, r, (cpuTicks(s) - c0) / 100.0)); // USER_HZ = 100
            System.out.println("P8 open loop, metrics " + (metrics ? "on " : "off") + ": " + r);
        }
        for (boolean metrics : new boolean[] {true, false, false, true}) {
            JavaService s = metrics ? on : off;
            long c0 = cpuTicks(s);
            LoadGenerator.Report r = new LoadGenerator(s.baseUri(), 0, 10, 1_000_000, RUN).runClosedLoop(CLIENTS);
            closed.add(new Run(metrics ? "metrics on" : "metrics off", metrics, r, (cpuTicks(s) - c0) / 100.0));
            System.out.println("P8 closed loop, metrics " + (metrics ? "on " : "off") + ": " + r);
        }
        stack.stopService("mes-nometrics", false);
        boolean complete = Verdict.full() && open.stream().allMatch(MesBench::clean) && closed.stream().allMatch(MesBench::clean);
        StringBuilder rows = new StringBuilder();
        for (Run r : open) rows.append(row("open loop " + OPEN_RATE + "/s, " + r.name(), r));
        for (Run r : closed) rows.append(row("closed loop " + CLIENTS + " clients, " + r.name(), r));
        double cpuOn = mean(open, true, Run::cpuPer1000), cpuOff = mean(open, false, Run::cpuPer1000);
        double satOn = mean(closed, true, Run::rate), satOff = mean(closed, false, Run::rate);
        double p99On = mean(open, true, r -> r.report().p99QueryMs()), p99Off = mean(open, false, r -> r.report().p99QueryMs());
        double cpuCost = (cpuOn - cpuOff) / cpuOff * 100, satLoss = (satOff - satOn) / satOff * 100, p99Cost = (p99On - p99Off) / p99Off * 100;
        String md = String.format(Locale.ROOT, """
                ## P8 simulated MES under the plant's load, and what instrumentation costs
                Open loop: target %d req/s (10 queries : 1 write), %d s per run. Closed loop (saturation): %d clients each sending its next request
                when the last answered, %d s per run. Each in the order on, off, off, on. CPU = user + system time of the MES process (/proc/PID/stat)
                over the run. Load generator, service and PostgreSQL share this machine's cores.

                | run | queries/s | writes/s | P50 query ms | P99 query ms | P99 write ms | MES CPU s | CPU s per 1 000 req | statuses |
                |---|---|---|---|---|---|---|---|---|
                %s
                | what (means of the two runs each) | metrics on | metrics off | overhead | verdict |
                |---|---|---|---|---|
                | CPU s per 1 000 requests at the same open-loop rate | %.3f | %.3f | %+.1f %% | %s (goal < 2 %%) |
                | saturation throughput, req/s (closed loop) | %.0f | %.0f | %+.1f %% lost | %s (goal < 2 %%) |
                | query P99 ms at the open-loop rate | %.1f | %.1f | %+.1f %% | %s (SLO < 200 ms with metrics on) |
                %s""", OPEN_RATE, RUN.toSeconds(), CLIENTS, RUN.toSeconds(), rows, cpuOn, cpuOff, cpuCost, Verdict.below(cpuCost, 2, complete),
                satOn, satOff, satLoss, Verdict.below(satLoss, 2, complete), p99On, p99Off, p99Cost, Verdict.below(p99On, 200, complete),
                Verdict.QUICK ? Verdict.shortfall("s per run", RUN.toSeconds(), 10)
                        : complete ? "" : "\nIncomplete: a run had requests without an HTTP answer or with 5xx (see statuses).\n");
        BenchReport.write("p8-mes", md);
    }

    /** A run whose requests all got an answer below 500: otherwise its CPU and throughput compare different work. */
    private static boolean clean(Run r) {
        return r.report().statuses().keySet().stream().allMatch(s -> s > 0 && s < 500);
    }

    private static double mean(List<Run> runs, boolean metrics, java.util.function.ToDoubleFunction<Run> f) {
        return runs.stream().filter(r -> r.metrics() == metrics).mapToDouble(f).average().orElseThrow();
    }

    private static String row(String name, Run run) {
        LoadGenerator.Report r = run.report();
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.1f | %.1f | %.1f | %.2f | %.3f | %s |%n", name, r.queriesPerSecond(), r.writesPerSecond(),
                r.p50QueryMs(), r.p99QueryMs(), r.p99WriteMs(), run.cpuSeconds(), run.cpuPer1000(), r.statuses());
    }

    /** User + system ticks of the service's process and its descendants (the harness may start it through a wrapper). */
    private static long cpuTicks(JavaService s) throws IOException {
        ProcessHandle h = s.processHandle().orElseThrow(() -> new AssertionError(s.name() + " is not running"));
        long t = ticks(h.pid());
        for (ProcessHandle d : h.descendants().toList()) t += ticks(d.pid());
        return t;
    }

    private static long ticks(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (java.nio.file.NoSuchFileException gone) {
            return 0;
        }
    }
}
