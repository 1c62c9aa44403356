package io.andon.installer;

import io.andon.bench.BenchReport;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Debian package the build just made, installed as a user would: {@code apt-get install ./andon_….deb} as root
 * (CI runs as root; elsewhere through {@code sudo -n}). Once on a machine without a desktop menu directory
 * (/usr/share/applications moved aside, put back in a finally), then the same version again, then a
 * newer build (the same deb repacked with a higher version: the upgrade path of the maintainer scripts without a
 * second jpackage run). Then `andon` from the PATH: --version, --help, a bad argument, a headless snapshot whose
 * text and pixels are checked; the desktop entry validates; the AOT cache ships and is used; P6 cold start. Last,
 * {@code apt-get remove} and {@code purge}: nothing of the package is left (dpkg -L before, compared after), and a
 * user's ~/.config/andon is untouched.
 */
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallerIT {
    private static final Path APP = Path.of("/opt/andon"), LAUNCHER = APP.resolve("bin/andon"), ON_PATH = Path.of("/usr/bin/andon");
    private static final Path MENU = Path.of("/usr/share/applications"), MENU_ASIDE = Path.of("/usr/share/applications.andon-installer-it");
    private static final Path ENTRY = MENU.resolve("andon.desktop");
    private static Path deb, newer, work, home, userConfig;
    private static String userConfigText;
    private static final List<String> AS_ROOT = new ArrayList<>();
    private static FileChannel lockFile;
    private static FileLock lock;
    private static final Map<String, Long> STEP_MS = new LinkedHashMap<>();

    @BeforeAll
    static void install() throws Exception {
        Path dir = Path.of(System.getProperty("andon.installer.dir", "target/installer")).toAbsolutePath();
        try (Stream<Path> files = Files.list(dir)) {
            deb = files.filter(p -> p.toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no .deb in " + dir + " (build with -Pinstaller)"));
        }
        if (!sh("id", "-u").out.strip().equals("0")) AS_ROOT.addAll(List.of("sudo", "-n"));
        // one installer test at a time on a machine: the package and the menu directory are the machine's
        lockFile = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "andon-installer-it.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockFile.lock();
        restoreMenu(); // an earlier run killed while the directory was aside
        work = Files.createDirectories(dir.resolve("it"));
        home = Files.createTempDirectory(work, "home");
        // a user's settings, which neither remove nor purge may touch (apt runs with this HOME)
        userConfig = Files.createDirectories(home.resolve(".config/andon")).resolve("profiles.json");
        userConfigText = "[{\"name\":\"plant-1\",\"prometheus\":{\"url\":\"http://prom:9090\"}}]";
        Files.writeString(userConfig, userConfigText);
        if (installedVersion() != null) apt(300, "purge", "-y", "andon"); // a left-over of an aborted run

        // 1. a machine without a menu directory: the install succeeds, says so, and `andon` is on the PATH
        assertThat(MENU).as("this machine's menu directory (the test moves it aside once)").isDirectory();
        Run first;
        try {
            root("mv", MENU.toString(), MENU_ASIDE.toString());
            first = timed("install, no menu directory", () -> apt(300, "install", "-y", deb.toString()));
            assertThat(first.out).contains("no /usr/share/applications on this machine, so no menu entry");
            assertThat(MENU).doesNotExist();
        } finally {
            restoreMenu();
        }
        assertThat(ON_PATH.toRealPath()).isEqualTo(LAUNCHER);
        assertThat(ENTRY).doesNotExist();
        // 2. the same version again: apt has nothing to do, and says so
        Run again = timed("install again (same version)", () -> apt(300, "install", "-y", deb.toString()));
        assertThat(again.out).contains("already the newest version");
        assertThat(ENTRY).doesNotExist();
        // 3. a newer build over it (old prerm `upgrade`, new postinst `configure`), now with a menu directory: the entry appears
        String version = sh("dpkg-deb", "-f", deb.toString(), "Version").out.strip();
        String next = version + "+1";
        newer = timed("repack newer", () -> repack(deb, next));
        timed("upgrade", () -> apt(300, "install", "-y", newer.toString()));
        assertThat(installedVersion()).isEqualTo(next);
        assertThat(ON_PATH.toRealPath()).isEqualTo(LAUNCHER);
        assertThat(ENTRY).isRegularFile();
    }

    @AfterAll
    static void removeWhateverIsLeft() throws Exception {
        try {
            restoreMenu();
            if (installedVersion() != null) apt(300, "purge", "-y", "andon");
            if (newer != null) Files.deleteIfExists(newer);
        } finally {
            if (lock != null) lock.release();
            if (lockFile != null) lockFile.close();
        }
        System.out.println("installer: apt steps " + STEP_MS);
    }

    @Test
    @Order(1)
    void versionHelpAndABadArgumentFromThePath() throws Exception {
        assertThat(sh("sh", "-c", "command -v andon").out.strip()).isEqualTo(ON_PATH.toString());
        Run version = andon(null, "--version");
        assertThat(version.code).isZero();
        assertThat(version.out).startsWith("Andon ");
        assertThat(version.err).as("nothing but Andon's own lines: no JDK warnings").isEmpty();
        Run help = andon(null, "--help");
        assertThat(help.code).isZero();
        assertThat(help.out).startsWith("Usage: andon [options]");
        assertThat(help.err).isEmpty();
        Run bad = andon(null, "--lang", "fr");
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err.strip()).isEqualTo("andon: --lang 'fr': not a language of the console (zh-CN, en)");
    }

    /**
     * The installed launcher from the PATH renders the System page in Chinese with its source down: exit code 0, the
     * page says the source is unreachable (the snapshot's text list), and the Chinese glyphs are drawn, not boxes.
     */
    @Test
    @Order(2)
    void headlessSnapshotFromThePathShowsTheSourceUnreachableInChinese() throws Exception {
        Path png = work.resolve("snapshot-zh.png");
        Files.deleteIfExists(png);
        long start = System.nanoTime();
        // No Prometheus on this port: the page must still render, showing its source as unreachable.
        Run r = andon("-Dandon.snapshotText=true", "--snapshot", png.toString(), "--prometheus", "http://127.0.0.1:9",
                "--lang", "zh-CN", "--page", "system");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(r.code).as("exit code; stderr:\n" + r.err).isZero();
        assertThat(r.out).contains("snapshot written: " + png);
        assertThat(r.err.lines().filter(l -> !l.startsWith("Picked up _JAVA_OPTIONS")))
                .as("no JDK warning (unnamed module, native access) on the terminal").noneMatch(l -> l.contains("WARNING"))
                .noneMatch(l -> l.contains("Exception"));
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1920);
        assertThat(img.getHeight()).isEqualTo(1080);

        Properties zh = new Properties();
        try (var in = InstallerIT.class.getResourceAsStream("/io/andon/i18n/messages_zh_CN.properties")) {
            zh.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        List<String> texts = Files.readAllLines(Path.of(png + ".txt"));
        assertThat(texts).as("texts on the page").anyMatch(l -> l.contains(zh.getProperty("problem.UNREACHABLE")) && l.contains("127.0.0.1:9"));
        // the nav button of the page, two CJK glyphs: a drawn glyph has strokes through the middle of its cell and the
        // two differ; a missing font draws nothing or hollow boxes, alike and empty in the middle
        String label = zh.getProperty("page.system");
        String[] nav = texts.stream().filter(l -> l.endsWith(" " + label)).findFirst()
                .orElseThrow(() -> new AssertionError("no text '" + label + "' in " + texts)).split(" ");
        int x = Integer.parseInt(nav[0]), y = Integer.parseInt(nav[1]), w = Integer.parseInt(nav[2]), h = Integer.parseInt(nav[3]);
        // ink: far from the box's most frequent colour (the button's background; its edges are shaded, so not exact)
        Map<Integer, Integer> freq = new java.util.HashMap<>();
        for (int dy = 0; dy < h; dy++) for (int dx = 0; dx < w; dx++) freq.merge(img.getRGB(x + dx, y + dy), 1, Integer::sum);
        int bg = freq.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int cell = w / label.length(), differ = 0, area = 0;
        int[] middle = new int[2];
        for (int dy = 0; dy < h; dy++) {
            for (int dx = 0; dx < cell; dx++) {
                boolean central = dx >= cell / 4 && dx < cell * 3 / 4 && dy >= h / 4 && dy < h * 3 / 4;
                boolean a = ink(img.getRGB(x + dx, y + dy), bg), b = ink(img.getRGB(x + cell + dx, y + dy), bg);
                if (central) area++;
                if (central && a) middle[0]++;
                if (central && b) middle[1]++;
                if (a != b) differ++;
            }
        }
        for (int i = 0; i < 2; i++) {
            assertThat(middle[i]).as("ink in the middle of glyph " + label.charAt(i) + " at " + x + "," + y + " (" + cell + "×" + h + " cells)")
                    .isGreaterThanOrEqualTo(area / 5);
        }
        assertThat(differ).as("pixels where the two glyphs of '" + label + "' differ").isGreaterThan(cell * h / 10);
        System.out.printf(Locale.ROOT, "installer: deb %.1f MiB, installed %.1f MiB, `andon --snapshot` from the PATH %d ms%n",
                Files.size(deb) / 1048576.0, sizeOf(APP) / 1048576.0, ms);
    }

    @Test
    @Order(3)
    void desktopEntryValidatesAndNamesInstalledFiles() throws Exception {
        Run v = sh("desktop-file-validate", ENTRY.toString());
        assertThat(v.code).as("desktop-file-validate (package desktop-file-utils, installed by andon.sh setup): " + v.out + v.err).isZero();
        assertThat(v.out + v.err).doesNotContain("error");
        List<String> lines = Files.readAllLines(ENTRY);
        assertThat(lines).contains("Exec=" + LAUNCHER, "Icon=" + APP.resolve("lib/andon.png"));
        assertThat(APP.resolve("lib/andon.png")).isRegularFile();
    }

    @Test
    @Order(4)
    void aotCacheShipsAndIsUsed() throws Exception {
        Path cache = APP.resolve("lib/app/andon.aot");
        assertThat(cache).as("AOT cache trained by installer/aot-train.sh").isRegularFile();
        assertThat(Files.readAllLines(APP.resolve("lib/app/andon.cfg")))
                .contains("java-options=-XX:AOTCache=$APPDIR/andon.aot")
                .noneMatch(l -> l.contains("AOTCacheOutput"));
        start("-Xlog:aot=info", "http://127.0.0.1:9");
        assertThat(Files.readString(launcherLog())).as("launcher output").contains("Opened AOT cache " + cache).contains("snapshot written");
    }

    /** P6 as installed: the packaged launcher from process start to `snapshot written` (first data painted). */
    @Test
    @Order(5)
    void coldStartWithAndWithoutTheAotCache(Stack stack) throws Exception {
        String prometheus = stack.prometheus().baseUri().toString();
        String on = "installed (AOT cache)", off = "installed, cache off (`-XX:AOTMode=off`)";
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put(on, null);
        variants.put(off, "-XX:AOTMode=off");
        int runs = 5;
        Map<String, double[]> ms = new LinkedHashMap<>();
        variants.keySet().forEach(k -> ms.put(k, new double[runs]));
        for (int i = -1; i < runs; i++) { // run -1 warms the disk cache, unmeasured
            for (var v : variants.entrySet()) {
                long t = start(v.getValue(), prometheus);
                if (i >= 0) ms.get(v.getKey())[i] = t;
            }
        }
        BenchReport.write("p6-installed", new StringBuilder("## P6 cold start of the installed package (`InstallerIT`)\n")
                .append("The Debian package installed with apt; `/opt/andon/bin/andon --prometheus URL --page system --snapshot FILE`\n")
                .append("on the harness Prometheus under Xvfb, from process start until `snapshot written` (the first refresh's data painted,\n")
                .append("rendered and written as PNG: an upper bound). ").append(runs).append(" runs each, alternated, after one unmeasured run each.\n")
                .append(String.format(Locale.ROOT, "Deb %.1f MiB, AOT cache %.1f MiB.%n%n",
                        Files.size(deb) / 1048576.0, Files.size(APP.resolve("lib/app/andon.aot")) / 1048576.0))
                .append("| launcher | median ms | runs ms | vs cache off | vs 2500 ms goal |\n|---|---|---|---|---|\n")
                .append(BenchReport.coldStartRows(ms, off, 2500)).append('\n').toString());
    }

    /** Remove, then purge: every file the package installed is gone, and so are the link and the menu entry. */
    @Test
    @Order(99)
    void removeAndPurgeLeaveNothingButTheUsersConfig() throws Exception {
        List<Path> owned = sh("dpkg", "-L", "andon").out.lines().filter(l -> l.startsWith("/")).map(Path::of).toList();
        assertThat(owned).contains(LAUNCHER, APP.resolve("lib/andon.desktop"));
        timed("remove", () -> apt(300, "remove", "-y", "andon"));
        assertThat(ON_PATH).as("the PATH entry").satisfies(p -> assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).isFalse());
        assertThat(ENTRY).doesNotExist();
        timed("purge", () -> apt(300, "purge", "-y", "andon"));
        assertThat(installedVersion()).isNull();
        List<Path> left = new ArrayList<>();
        for (Path p : owned) {
            // shared directories (/, /opt, /usr/share/doc …) stay when other packages use them; nothing of ours may
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && (p.startsWith(APP) || p.toString().contains("andon") || !Files.isDirectory(p))) left.add(p);
        }
        assertThat(left).as("files of the package left after purge").isEmpty();
        for (Path p : List.of(APP, ON_PATH, ENTRY, Path.of("/etc/alternatives/andon"), Path.of("/var/lib/dpkg/alternatives/andon"))) {
            assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).as(p + " after purge").isFalse();
        }
        assertThat(Files.readString(userConfig)).as("the user's ~/.config/andon").isEqualTo(userConfigText);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static boolean ink(int rgb, int bg) {
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) d = Math.max(d, Math.abs((rgb >> shift & 255) - (bg >> shift & 255)));
        return d > 64;
    }

    private record Run(int code, String out, String err) {}

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T timed(String what, Step<T> step) throws Exception {
        long t0 = System.nanoTime();
        T t = step.run();
        STEP_MS.put(what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return t;
    }

    /** apt-get as a user types it (a local .deb by its path), as root, with the test's HOME; must exit 0. */
    private static Run apt(int seconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(AS_ROOT);
        cmd.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "HOME=" + home, "apt-get", "-o", "Dpkg::Use-Pty=0"));
        cmd.addAll(List.of(args));
        Run r = exec(cmd, seconds, null);
        assertThat(r.code).as(String.join(" ", cmd) + "\n" + r.out + r.err).isZero();
        return r;
    }

    private static void root(String... cmd) throws Exception {
        List<String> c = new ArrayList<>(AS_ROOT);
        c.addAll(List.of(cmd));
        Run r = exec(c, 60, null);
        assertThat(r.code).as(String.join(" ", c) + "\n" + r.out + r.err).isZero();
    }

    private static void restoreMenu() throws Exception {
        if (Files.isDirectory(MENU_ASIDE) && !Files.exists(MENU)) root("mv", MENU_ASIDE.toString(), MENU.toString());
    }

    private static String installedVersion() throws Exception {
        Run r = sh("dpkg-query", "-W", "-f=${db:Status-Status} ${Version}", "andon");
        if (r.code != 0 || !r.out.startsWith("installed ")) return null;
        return r.out.substring("installed ".length()).strip();
    }

    /** The same payload and scripts under a higher version: the upgrade path without a second jpackage run. */
    private static Path repack(Path from, String version) throws Exception {
        Path tree = work.resolve("newer");
        exec(List.of("rm", "-rf", tree.toString()), 60, null);
        assertThat(exec(List.of("dpkg-deb", "-R", from.toString(), tree.toString()), 300, null).code).isZero();
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + version));
        Path out = work.resolve("andon_" + version + "_amd64.deb");
        // uncompressed: the repack only has to be installable, and xz over 170 MiB would cost a minute of CI
        Run r = exec(List.of("fakeroot", "dpkg-deb", "-Znone", "-b", tree.toString(), out.toString()), 300, null);
        assertThat(r.code).as(r.out + r.err).isZero();
        exec(List.of("rm", "-rf", tree.toString()), 60, null);
        return out;
    }

    /** `andon ARGS` resolved through the PATH by a shell, as a user types it; javaOptions via _JAVA_OPTIONS. */
    private static Run andon(String javaOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec andon \"$@\"", "andon"));
        cmd.addAll(List.of(args));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        if (javaOptions != null) env.put("_JAVA_OPTIONS", javaOptions);
        return exec(cmd, 120, env);
    }

    private static Path launcherLog() {
        return work.resolve("launcher-run.log");
    }

    /**
     * Runs the installed launcher to `--snapshot` on the system page; JVM options go in through _JAVA_OPTIONS, which
     * the JVM itself reads, so they reach the JVM behind the native launcher. Returns the ms to exit.
     */
    private static long start(String javaOptions, String prometheus) throws Exception {
        Path png = Files.createTempFile(work, "p6", ".png");
        Files.delete(png);
        Path log = launcherLog();
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "--snapshot", png.toString(), "--page", "system",
                "--prometheus", prometheus, "--lang", "en").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        if (javaOptions != null) pb.environment().put("_JAVA_OPTIONS", javaOptions);
        long t0 = System.nanoTime();
        Process p = pb.start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        assertThat(png).exists();
        Files.delete(png);
        return ms;
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static Run sh(String... cmd) throws Exception {
        return exec(List.of(cmd), 60, null);
    }

    private static Run exec(List<String> cmd, int seconds, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (env != null) {
            Map<String, String> keep = new LinkedHashMap<>();
            for (String k : List.of("DISPLAY", "XAUTHORITY")) if (pb.environment().get(k) != null) keep.put(k, pb.environment().get(k));
            pb.environment().clear();
            pb.environment().putAll(keep);
            pb.environment().putAll(env);
        }
        Path out = Files.createTempFile("andon-it", ".out"), err = Files.createTempFile("andon-it", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + ": no exit within " + seconds + " s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
