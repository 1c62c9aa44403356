package io.andon.installer;

import io.andon.bench.BenchReport;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Installs the Debian package the build just made (extracted with dpkg-deb, as dpkg would lay it out)
 * and runs the installed launcher with --snapshot: proves the jlink'd runtime holds every module the
 * console needs and that the packaged classpath starts. Also checks that the AOT cache trained at packaging
 * time ships and is used, and measures P6 (cold start to first data painted) of the installed launcher with
 * and without it.
 */
@ExtendWith(StackExtension.class)
class InstallerIT {
    private static Path deb, root, launcher;

    @BeforeAll
    static void install() throws Exception {
        Path dir = Path.of(System.getProperty("andon.installer.dir", "target/installer"));
        try (Stream<Path> files = Files.list(dir)) {
            deb = files.filter(p -> p.toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no .deb in " + dir + " (build with -Pinstaller)"));
        }
        root = Files.createTempDirectory("andon-deb");
        run(120, "dpkg-deb", "-x", deb.toString(), root.toString());
        launcher = root.resolve("opt/andon/bin/andon");
    }

    @Test
    void installedLauncherRendersASnapshot() throws Exception {
        assertThat(launcher).isExecutable();
        assertThat(root.resolve("opt/andon/lib/andon-andon.desktop")).exists();

        Path png = root.resolve("snapshot.png");
        long start = System.nanoTime();
        // No Prometheus on this port: the page must still render, showing its sources as unreachable.
        Process p = new ProcessBuilder(launcher.toString(), "--snapshot", png.toString(),
                "--prometheus", "http://127.0.0.1:9", "--lang", "zh-CN")
                .redirectErrorStream(true).redirectOutput(root.resolve("launcher.log").toFile()).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String out = Files.readString(root.resolve("launcher.log"));
        assertThat(png).as("snapshot; launcher said:\n" + out).exists();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1920);
        assertThat(img.getHeight()).isEqualTo(1080);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) for (int x = 0; x < img.getWidth(); x += 7) colours.add(img.getRGB(x, y));
        assertThat(colours.size()).as("distinct colours in the snapshot (a blank window has ~1)").isGreaterThan(20);
        System.out.printf("installer: deb %.1f MiB, runtime %.1f MiB, launcher to snapshot %d ms%n",
                Files.size(deb) / 1048576.0, sizeOf(root.resolve("opt/andon/lib/runtime")) / 1048576.0, ms);
    }

    @Test
    void aotCacheShipsAndIsUsed() throws Exception {
        Path cache = root.resolve("opt/andon/lib/app/andon.aot");
        assertThat(cache).as("AOT cache trained by installer/aot-train.sh").isRegularFile();
        assertThat(Files.readAllLines(root.resolve("opt/andon/lib/app/andon.cfg")))
                .contains("java-options=-XX:AOTCache=$APPDIR/andon.aot")
                .noneMatch(l -> l.contains("AOTCacheOutput"));
        start("-Xlog:aot=info", "http://127.0.0.1:9");
        assertThat(Files.readString(launcherLog())).as("launcher output").contains("Opened AOT cache " + cache).contains("snapshot written");
    }

    /** P6 as installed: the packaged launcher from process start to `snapshot written` (first data painted). */
    @Test
    void coldStartWithAndWithoutTheAotCache(Stack stack) throws Exception {
        String prometheus = stack.prometheus().baseUri().toString();
        String on = "installed (AOT cache)", off = "installed, cache off (`-XX:AOTMode=off`)";
        Map<String, String> variants = new java.util.LinkedHashMap<>();
        variants.put(on, null);
        variants.put(off, "-XX:AOTMode=off");
        int runs = 5;
        Map<String, double[]> ms = new java.util.LinkedHashMap<>();
        variants.keySet().forEach(k -> ms.put(k, new double[runs]));
        for (int i = -1; i < runs; i++) { // run -1 warms the disk cache, unmeasured
            for (var v : variants.entrySet()) {
                long t = start(v.getValue(), prometheus);
                if (i >= 0) ms.get(v.getKey())[i] = t;
            }
        }
        BenchReport.write("p6-installed", new StringBuilder("## P6 cold start of the installed package (`InstallerIT`)\n")
                .append("The Debian package extracted as dpkg lays it out; `/opt/andon/bin/andon --prometheus URL --page system --snapshot FILE`\n")
                .append("on the harness Prometheus under Xvfb, from process start until `snapshot written` (the first refresh's data painted,\n")
                .append("rendered and written as PNG: an upper bound). ").append(runs).append(" runs each, alternated, after one unmeasured run each.\n")
                .append(String.format(Locale.ROOT, "Deb %.1f MiB, AOT cache %.1f MiB.%n%n",
                        Files.size(deb) / 1048576.0, Files.size(root.resolve("opt/andon/lib/app/andon.aot")) / 1048576.0))
                .append("| launcher | median ms | runs ms | vs cache off | vs 2500 ms goal |\n|---|---|---|---|---|\n")
                .append(BenchReport.coldStartRows(ms, off, 2500)).append('\n').toString());
    }

    private static Path launcherLog() {
        return root.resolve("launcher-run.log");
    }

    /**
     * Runs the installed launcher to `--snapshot` on the system page; JVM options go in through _JAVA_OPTIONS, which
     * the JVM itself reads, so they reach the JVM behind the native launcher. Returns the ms to exit.
     */
    private static long start(String javaOptions, String prometheus) throws Exception {
        Path png = Files.createTempFile(root, "p6", ".png");
        Files.delete(png);
        Path log = launcherLog();
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--snapshot", png.toString(), "--page", "system",
                "--prometheus", prometheus, "--lang", "en").redirectErrorStream(true).redirectOutput(log.toFile());
        if (javaOptions != null) pb.environment().put("_JAVA_OPTIONS", javaOptions);
        long t0 = System.nanoTime();
        Process p = pb.start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        assertThat(png).exists();
        return ms;
    }

    private static long sizeOf(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void run(int seconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
    }
}
