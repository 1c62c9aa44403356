package io.andon.bench;

import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * P4: the console in wall mode at rest (pages rotating; since issue 21 only the page shown refreshes, at its own interval, 5 s for
 * the System page) on the real Prometheus/Alertmanager, as a separate process like on a wall PC. CPU is read
 * from /proc (user + system ticks over a minute), RSS from /proc/PID/status. Each JVM option set is run in
 * turn on the same stack, so the figures compare.
 */
@Tag("bench")
@ExtendWith(StackExtension.class)
class WallBench {
    private static final int WARMUP_S = Integer.getInteger("andon.bench.wall.warmup", Verdict.size(150, 30));
    private static final int MEASURE_S = Integer.getInteger("andon.bench.wall.seconds", Verdict.size(60, 15));
    /** A run shorter than this (warm-up before a full rotation, or a shorter measurement) is judged "incomplete". */
    private static final boolean COMPLETE = Verdict.full() && WARMUP_S >= 150 && MEASURE_S >= 60;
    /**
     * {@code -Dandon.bench.wall.try="A;B"}: extra rows, each the installed options followed by these (HotSpot takes the
     * last of a repeated option), to try candidates side by side with what ships.
     */
    private static final String TRY = System.getProperty("andon.bench.wall.try", "");
    /**
     * {@code -Dandon.bench.wall.diag=true}: every run also with native memory tracking (summary: a few MiB more RSS),
     * and where the resident memory goes (NMT, mappings by file, threads by name) written to target/benchmarks/wall-diag/.
     */
    private static final boolean DIAG = Boolean.getBoolean("andon.bench.wall.diag");
    /**
     * {@code -Dandon.bench.wall.image=DIR}: also the jpackage app image's own launcher (DIR/bin/andon: jlink'd runtime,
     * JavaFX on the module path, its AOT cache), i.e. the console exactly as installed.
     */
    private static final String IMAGE = System.getProperty("andon.bench.wall.image", "");
    private String imageExtra = "";
    /** {@code -Dandon.bench.wall.noDefaults=true}: only the candidates (try, imageTry), without the reference rows (exploring). */
    private static final boolean CANDIDATES_ONLY = Boolean.getBoolean("andon.bench.wall.noDefaults");

    record Run(String name, double cpuPercent, long rssKib, long heapUsedKib) {}

    @Test
    void wallAtRest(Stack stack) throws Exception {
        stack.mes();
        stack.exporter();
        var prom = stack.prometheus();
        var am = stack.alertmanager();
        // the launcher's options are read from the installer's argument file, so the bench measures what ships
        List<String> shipped = launcherOptions();
        List<String> base = List.of("--enable-native-access=ALL-UNNAMED", "-Dfile.encoding=UTF-8");
        List<Run> runs = new ArrayList<>();
        if (!shipped.equals(base) && !CANDIDATES_ONLY && !"false".equals(System.getProperty("andon.bench.wall.defaults"))) runs.add(run("JVM defaults", base, prom.baseUri().toString(), am.baseUri().toString()));
        if (!CANDIDATES_ONLY) runs.add(run("as installed: " + String.join(" ", shipped.subList(2, shipped.size())), shipped, prom.baseUri().toString(), am.baseUri().toString()));
        for (String extra : TRY.split(";")) {
            if (extra.isBlank()) continue;
            List<String> opts = new ArrayList<>(shipped);
            opts.addAll(List.of(extra.trim().split("\\s+")));
            runs.add(run("as installed + " + extra.trim(), opts, prom.baseUri().toString(), am.baseUri().toString()));
        }
        if (!IMAGE.isBlank()) {
            if (!CANDIDATES_ONLY) runs.add(run("installed app image (bin/andon, its runtime and AOT cache)", null, prom.baseUri().toString(), am.baseUri().toString()));
            // -Dandon.bench.wall.imageTry="A;B": the app image with these options too (through _JAVA_OPTIONS, which the VM reads last)
            for (String extra : System.getProperty("andon.bench.wall.imageTry", "").split(";")) {
                if (extra.isBlank()) continue;
                imageExtra = extra.trim();
                runs.add(run("installed app image + " + imageExtra, null, prom.baseUri().toString(), am.baseUri().toString()));
            }
            imageExtra = "";
        }
        if (Boolean.getBoolean("andon.bench.wall.sw")) { // a PC without a GPU: Prism's own software pipeline instead of Mesa's
            List<String> sw = new ArrayList<>(shipped);
            sw.add("-Dprism.order=sw");
            runs.add(run("as installed + software rendering (prism.order=sw)", sw, prom.baseUri().toString(), am.baseUri().toString()));
        }
        StringBuilder md = new StringBuilder("## P4 wall mode at rest (`WallBench`)\n\n")
                .append("Console process in `--wall --dwell 20` (default pages: System/Database/Health every 5 s, Business/SLO every 15 s, only the page shown refreshing and the next one 2 s before its turn, alerts polled) on the harness Prometheus + Alertmanager under Xvfb 1920×1080, ")
                .append(WARMUP_S).append(" s warm-up, then ").append(MEASURE_S).append(" s measured from /proc (the warm-up covers one full rotation of the seven pages, so every page has been built, and lets the JIT settle). Goal: < 3 % of one core, RSS < 350 MiB.\n\n")
                .append("| JVM options | CPU (% of one core) | vs goal | CPU verdict (< 3 %) | RSS MiB | RSS verdict (< 350 MiB) |\n|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f× | %s | %.0f | %s |%n", r.name(), r.cpuPercent(), r.cpuPercent() / 3.0,
                    Verdict.below(r.cpuPercent(), 3, COMPLETE), r.rssKib() / 1024.0, Verdict.below(r.rssKib() / 1024.0, 350, COMPLETE)));
        }
        if (!COMPLETE) md.append(String.format(Locale.ROOT, "%nIncomplete: %d s warm-up and %d s measured (a full run: 150 s and 60 s)%s.%n",
                WARMUP_S, MEASURE_S, Verdict.QUICK ? ", reduced run (andon.bench.quick)" : ""));
        BenchReport.write("p4-wall", md.toString());
    }

    /** The --java-options of installer/jpackage/launcher.args, split like a shell would. */
    static List<String> launcherOptions() throws IOException {
        Path args = Path.of(System.getProperty("andon.project.dir", "."), "installer/jpackage/launcher.args");
        for (String line : Files.readAllLines(args)) {
            if (line.startsWith("--java-options")) {
                String v = line.substring("--java-options".length()).trim();
                return List.of(v.substring(1, v.length() - 1).split("\\s+"));
            }
        }
        throw new AssertionError("no --java-options in " + args);
    }

    /** @param jvmOptions null: the app image's launcher ({@link #IMAGE}) with the options it was packaged with */
    private Run run(String name, List<String> jvmOptions, String prometheus, String alertmanager) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (jvmOptions == null) {
            cmd.add(Path.of(IMAGE, "bin", "andon").toString());
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            if (DIAG) cmd.add("-XX:NativeMemoryTracking=summary");
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.andon.console.Main"));
        }
        cmd.addAll(List.of("--wall", "--dwell", "20", "--prometheus", prometheus, "--alertmanager", alertmanager, "--lang", "en"));
        Path home = Files.createTempDirectory("andon-wall-home");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        // the launcher takes no extra options; the VM reads this variable after the launcher's own (so NMT applies)
        String env = (imageExtra + (DIAG ? " -XX:NativeMemoryTracking=summary" : "")).trim();
        if (jvmOptions == null && !env.isEmpty()) pb.environment().put("_JAVA_OPTIONS", env);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        Process p = pb.start();
        try {
            Thread.sleep(WARMUP_S * 1000L);
            if (!p.isAlive()) throw new AssertionError("console exited: " + Files.readString(home.resolve("console.log")));
            long t0 = ticks(p.pid());
            var threads0 = threadTicks(p.pid());
            long n0 = System.nanoTime();
            Thread.sleep(MEASURE_S * 1000L);
            long t1 = ticks(p.pid());
            var threads1 = threadTicks(p.pid());
            double wall = (System.nanoTime() - n0) / 1e9;
            double cpu = (t1 - t0) / 100.0 / wall * 100; // USER_HZ is 100 on Linux
            long rss = statusKib(p.pid(), "VmRSS:");
            System.out.printf("wall bench [%s]: CPU %.2f %% of one core, RSS %d KiB%n", name, cpu, rss);
            // where it goes: CPU per thread name (pools summed), so a regression points at its cause
            java.util.Map<String, Long> byName = new java.util.TreeMap<>();
            threads1.forEach((tid, e) -> {
                long before = threads0.containsKey(tid) ? threads0.get(tid).getValue() : 0;
                byName.merge(e.getKey().replaceAll("[-#]?\\d+$", ""), e.getValue() - before, Long::sum);
            });
            byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                    .forEach(e -> System.out.printf("  %-32s %.2f %%%n", e.getKey(), e.getValue() / 100.0 / wall * 100));
            if (DIAG) RssAttribution.write(p.pid(), name);
            return new Run(name, cpu, rss, 0);
        } finally {
            p.destroy();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    private static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15 of stat)
    }

    /** tid → (thread name, user + system ticks). */
    private static java.util.Map<String, java.util.Map.Entry<String, Long>> threadTicks(long pid) throws IOException {
        java.util.Map<String, java.util.Map.Entry<String, Long>> m = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    m.put(t.getFileName().toString(), java.util.Map.entry(comm, Long.parseLong(f[11]) + Long.parseLong(f[12])));
                } catch (IOException gone) {
                    // the thread ended between list and read
                }
            }
        }
        return m;
    }

    private static long statusKib(long pid, String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith(key)) return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]);
        }
        return -1;
    }
}
