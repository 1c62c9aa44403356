package io.andon.bench;

import io.andon.board.DashboardRepository;
import io.andon.board.PageSpec;
import io.andon.board.TileState;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.ui.Theme;
import io.andon.ui.dashboard.DashboardPage;
import io.andon.ui.dashboard.DashboardViewModel;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * P5 (heap after 10 000 refreshes vs 100, RSS in wall mode and what JVM flags do to it) and P6 (cold start to
 * the first data painted, with and without AppCDS). The console runs on the harness Prometheus with the
 * simulated MES and the exporter scraped; needs a display (andon.sh bench runs under Xvfb).
 */
@Tag("bench")
@ExtendWith(StackExtension.class)
class ConsoleBench {
    private static final int CYCLES = Verdict.size(10_000, 400);
    private static final Duration HEAP_CAP = Duration.ofMinutes(Verdict.size(4, 1));
    /** Heap readings per point (each after a paused refresh and three System.gc()); the point is their median. */
    private static final int READINGS = 3;

    @BeforeEach
    void needsDisplay() {
        Assumptions.assumeTrue(System.getenv("DISPLAY") != null, "no DISPLAY: run under xvfb-run (andon.sh bench does)");
    }

    private static void backends(Stack stack) {
        stack.mes("--seed");
        stack.exporter();
        stack.prometheus();
    }

    /** P5 heap: the system page's real refresh path (engine → view model → TilesFX page on a shown stage) as fast as it goes. */
    @Test
    void heapAfterManyRefreshes(Stack stack) throws Exception {
        backends(stack);
        try {
            Platform.startup(() -> {});
        } catch (IllegalStateException alreadyRunning) {
            // another test of this JVM started the toolkit
        }
        Platform.setImplicitExit(false);
        PageSpec sys = new DashboardRepository(Optional.empty()).load().stream().filter(p -> p.id().equals("system")).findFirst().orElseThrow();
        PageSpec fast = new PageSpec(sys.id(), sys.title(), "1ms", sys.datasource(), sys.columns(), sys.tiles());
        PrometheusClient client = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        DashboardViewModel vm = new DashboardViewModel(fast, client, Duration.ofSeconds(30));
        AtomicInteger cycles = new AtomicInteger();
        Map<TileState.Status, Integer> lastStatuses = new LinkedHashMap<>();
        Stage[] stage = new Stage[1];
        onFx(() -> {
            DashboardPage page = new DashboardPage(vm, Theme.DARK, t -> {});
            Scene scene = new Scene(new javafx.scene.layout.StackPane(page.view()), 1920, 1080);
            Theme.DARK.applyTo(scene);
            stage[0] = new Stage();
            stage[0].setScene(scene);
            stage[0].show();
            vm.lastSnapshotProperty().addListener((o, a, snap) -> {
                cycles.incrementAndGet();
                lastStatuses.clear();
                for (TileState s : snap.tiles().values()) lastStatuses.merge(s.status(), 1, Integer::sum);
            });
        });
        long t0 = System.nanoTime();
        double[] heap100, heapMid, heapEnd;
        int reached, mid;
        try {
            vm.resume();
            awaitCycles(cycles, 100, Duration.ofMinutes(2));
            heap100 = pausedHeapMiB(vm);
            int at100 = cycles.get();
            vm.resume();
            long capEnd = System.nanoTime() + HEAP_CAP.toNanos();
            while (cycles.get() < CYCLES / 2 && System.nanoTime() < capEnd) Thread.sleep(200);
            heapMid = pausedHeapMiB(vm);
            mid = cycles.get();
            vm.resume();
            while (cycles.get() < CYCLES && System.nanoTime() < capEnd) Thread.sleep(200);
            heapEnd = pausedHeapMiB(vm);
            reached = cycles.get();
            if (reached - at100 < 100) throw new AssertionError("the page barely refreshed: " + reached + " cycles");
        } finally {
            vm.close();
            onFx(() -> stage[0].close());
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        double growth = (median(heapEnd) - median(heap100)) / median(heap100) * 100;
        // the verdict needs the full cycle count: a run stopped by the time cap has not shown the heap after CYCLES
        boolean complete = Verdict.complete(reached, CYCLES);
        BenchReport.write("p5-heap", String.format(Locale.ROOT, """
                ## P5 heap after many refreshes (system page: %d tiles, engine → view model → TilesFX page on a shown 1920×1080 stage)
                Refresh interval forced to 1 ms (the next refresh starts as soon as the last one is painted), harness Prometheus,
                %d cycles in %.0f s (%.0f per second). Used heap measured in this JVM with the refresh paused, the FX queue drained
                and System.gc() run three times (the test JVM also holds the harness, which is idle here); %d such readings per point,
                the point is their median and the spread is max − min. Tiles at the end: %s. Cycles asked: %,d (cap %d min).

                | after | used heap MiB (median) | readings MiB | growth vs 100 cycles | verdict (flat within 5 %%) |
                |---|---|---|---|---|
                | 100 cycles | %.1f | %s | | |
                | %,d cycles | %.1f | %s | %+.1f %% | |
                | %,d cycles | %.1f | %s | %+.1f %% (%+.1f MiB) | %s |

                NO_DATA tiles are the host (node) metrics: the harness runs no node exporter.
                %s""", fast.tiles().size(), reached, sec, reached / sec, READINGS, lastStatuses, CYCLES, HEAP_CAP.toMinutes(),
                median(heap100), list(heap100), mid, median(heapMid), list(heapMid), (median(heapMid) - median(heap100)) / median(heap100) * 100,
                reached, median(heapEnd), list(heapEnd), growth, median(heapEnd) - median(heap100), Verdict.within(growth, 5, complete),
                Verdict.shortfall("cycles (the rest did not fit in the " + HEAP_CAP.toMinutes() + " min cap)", reached, CYCLES)));
    }

    private static void awaitCycles(AtomicInteger cycles, int n, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (cycles.get() < n) {
            if (System.nanoTime() > end) throw new AssertionError("only " + cycles.get() + " refreshes in " + max);
            Thread.sleep(50);
        }
    }

    /** {@link #READINGS} readings of the used heap with the refresh paused, each after three full GCs. */
    private static double[] pausedHeapMiB(DashboardViewModel vm) throws Exception {
        vm.pause();
        Thread.sleep(500); // a refresh in flight finishes and is delivered
        onFx(() -> {});     // and painted: the FX queue is empty behind it
        double[] r = new double[READINGS];
        for (int k = 0; k < READINGS; k++) {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            r[k] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        }
        return r;
    }

    private static double median(double[] xs) {
        return BenchReport.median(xs);
    }

    private static String list(double[] xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) b.append(b.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", x));
        return b.toString();
    }

    private static void onFx(Runnable r) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] err = new Throwable[1];
        Platform.runLater(() -> {
            try {
                r.run();
            } catch (Throwable t) {
                err[0] = t;
            } finally {
                done.countDown();
            }
        });
        if (!done.await(60, TimeUnit.SECONDS)) throw new AssertionError("FX thread busy for 60 s");
        if (err[0] != null) throw new AssertionError(err[0]);
    }

    /** P5 RSS: the console in wall mode (all pages refreshing every 5 s, 10 s per page), with the launcher's flags and with others. */
    @Test
    void wallModeResidentMemory(Stack stack) throws Exception {
        backends(stack);
        Path work = Files.createDirectories(stack.workDir().resolve("console-rss"));
        List<String> args = List.of("--prometheus", stack.prometheus().baseUri().toString(), "--alertmanager", stack.alertmanager().baseUri().toString(),
                "--wall", "--dwell", "10", "--lang", "en");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("launcher flags only (G1, default max heap = 1/4 of RAM)", List.of());
        variants.put("-XX:+UseSerialGC -Xmx192m", List.of("-XX:+UseSerialGC", "-Xmx192m"));
        variants.put("-XX:+UseSerialGC -Xmx192m -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m",
                List.of("-XX:+UseSerialGC", "-Xmx192m", "-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=48m"));
        variants.put("-XX:+UseSerialGC -Xmx128m -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m",
                List.of("-XX:+UseSerialGC", "-Xmx128m", "-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m"));
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                ## P5 resident memory of the console in wall mode (`--wall --dwell 10`, harness Prometheus + Alertmanager, Xvfb 1920×1080)
                Each variant: 25 s warm-up, then RSS (VmRSS) sampled every second for 20 s, and the process's CPU over those 20 s.
                Java %s, %d cores, launcher flags `%s` always present.

                | JVM flags | RSS max MiB | RSS last MiB | vs 350 MiB goal | CPU %% of one core |
                |---|---|---|---|---|
                """, Runtime.version(), Runtime.getRuntime().availableProcessors(), String.join(" ", ConsoleProcess.LAUNCHER_FLAGS)));
        for (var v : variants.entrySet()) {
            Process p = ConsoleProcess.start(work, v.getValue(), args, null, new CompletableFuture<>());
            try {
                Thread.sleep(25_000);
                if (!p.isAlive()) throw new AssertionError("console exited (" + p.exitValue() + ") with " + v.getKey() + "; see " + work);
                long c0 = ConsoleProcess.cpuTicks(p.pid()), t0 = System.nanoTime();
                long max = 0, last = 0;
                for (int i = 0; i < 20; i++) {
                    Thread.sleep(1000);
                    last = ConsoleProcess.rssKib(p.pid());
                    max = Math.max(max, last);
                }
                double cpu = (ConsoleProcess.cpuTicks(p.pid()) - c0) / 100.0 / ((System.nanoTime() - t0) / 1e9) * 100;
                md.append(String.format(Locale.ROOT, "| `%s` | %.0f | %.0f | %s | %.1f |%n", v.getKey(), max / 1024.0, last / 1024.0,
                        Verdict.below(max / 1024.0, 350, Verdict.full()), cpu));
            } finally {
                ConsoleProcess.stop(p);
            }
        }
        md.append("""

                An earlier run also tried `-XX:+UseSerialGC` alone (452 MiB, more than G1's 423) and `-XX:+UseSerialGC -Xmx192m` with an
                AppCDS archive (408 MiB vs 395 without): neither helps resident memory, so they are no longer measured here.
                """);
        BenchReport.write("p5-rss", md.toString());
    }

    /** P6: process start to the first data painted, i.e. the PNG `--snapshot` writes once the first refresh is on screen. */
    @Test
    void coldStartToFirstData(Stack stack) throws Exception {
        backends(stack);
        Path work = Files.createDirectories(stack.workDir().resolve("console-start"));
        List<String> base = List.of("--prometheus", stack.prometheus().baseUri().toString(), "--page", "system", "--lang", "en");
        Path jsa = work.resolve("andon-start.jsa"), aot = work.resolve("andon-start.aot");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("launcher flags", List.of());
        variants.put("+ AppCDS (`-XX:SharedArchiveFile=… -XX:+AutoCreateSharedArchive`)", List.of("-XX:SharedArchiveFile=" + jsa, "-XX:+AutoCreateSharedArchive"));
        variants.put("+ AOT cache (JDK 25, `-XX:AOTCache=…` from one `-XX:AOTCacheOutput` run)", List.of("-XX:AOTCache=" + aot));
        variants.put("installer's --java-options (launcher.args)", WallBench.launcherOptions());
        int runs = Verdict.size(5, 2);
        String loadBefore = loadAverage();
        coldStart(work, List.of(), base); // warms the page cache (jars, fonts): "cold" here means a new JVM, not a cold disk
        coldStart(work, variants.get(List.copyOf(variants.keySet()).get(1)), base); // creates the AppCDS archive
        coldStart(work, List.of("-XX:AOTCacheOutput=" + aot), base, Duration.ofMinutes(3)); // training run: writes the AOT cache at exit
        if (!Files.exists(aot)) throw new AssertionError("the training run wrote no AOT cache; logs in " + work);
        coldStart(work, variants.get(List.copyOf(variants.keySet()).get(3)), base);
        Map<String, double[]> ms = new LinkedHashMap<>();
        variants.keySet().forEach(k -> ms.put(k, new double[runs]));
        for (int i = 0; i < runs; i++) {  // alternated, so machine noise hits all alike
            for (var v : variants.entrySet()) ms.get(v.getKey())[i] = coldStart(work, v.getValue(), base);
        }
        BenchReport.write("p6-cold-start", String.format(Locale.ROOT, """
                ## P6 cold start to first data painted (`andon --prometheus URL --page system --snapshot FILE`, Xvfb)
                From process start (new JVM, jars on the class path) until the console prints `snapshot written`: the PNG is taken
                once the first refresh's data is on the page (exit code 0 = data arrived, checked), so the figure includes rendering
                and PNG encoding of a 1920×1080 frame and is an upper bound. %d runs each, alternated, after one unmeasured run each
                (warm disk cache; the AppCDS one writes the archive, a separate training run writes the AOT cache). Load average
                before the runs: %s; after: %s (the machine is shared: compare the rows, measured alternately).

                | JVM | median ms | runs ms | vs launcher flags | vs 2500 ms goal |
                |---|---|---|---|---|
                %s

                Archives are per class path and JVM: the installer ships an AOT cache trained at packaging time (the section "P6 cold start of the installed package").
                """, runs, loadBefore, loadAverage(), BenchReport.coldStartRows(ms, "launcher flags", 2500)));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double coldStart(Path work, List<String> flags, List<String> base) throws Exception {
        return coldStart(work, flags, base, Duration.ofSeconds(60));
    }

    private static double coldStart(Path work, List<String> flags, List<String> base, Duration exitWait) throws Exception {
        Path png = work.resolve("snap-" + System.nanoTime() + ".png");
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of("--snapshot", png.toString()));
        CompletableFuture<Long> written = new CompletableFuture<>();
        long t0 = System.nanoTime();
        Process p = ConsoleProcess.start(work, flags, args, "snapshot written", written);
        try {
            long t = written.get(90, TimeUnit.SECONDS);
            if (!p.waitFor(exitWait.toSeconds(), TimeUnit.SECONDS)) throw new AssertionError("console did not exit after its snapshot");
            if (t < 0 || p.exitValue() != 0 || !Files.exists(png)) throw new AssertionError("no snapshot with data (exit " + p.exitValue() + "); logs in " + work);
            return (t - t0) / 1e6;
        } finally {
            if (p.isAlive()) ConsoleProcess.stop(p);
        }
    }

}
