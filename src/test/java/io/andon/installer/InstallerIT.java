package io.andon.installer;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Installs the Debian package the build just made (extracted with dpkg-deb, as dpkg would lay it out)
 * and runs the installed launcher with --snapshot: proves the jlink'd runtime holds every module the
 * console needs and that the packaged classpath starts.
 */
class InstallerIT {

    @Test
    void installedLauncherRendersASnapshot() throws Exception {
        Path dir = Path.of(System.getProperty("andon.installer.dir", "target/installer"));
        Path deb;
        try (Stream<Path> files = Files.list(dir)) {
            deb = files.filter(p -> p.toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no .deb in " + dir + " (build with -Pinstaller)"));
        }
        Path root = Files.createTempDirectory("andon-deb");
        run(120, "dpkg-deb", "-x", deb.toString(), root.toString());
        Path launcher = root.resolve("opt/andon/bin/andon");
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
