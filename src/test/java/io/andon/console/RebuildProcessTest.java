package io.andon.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's own rebuild (what a stall on the wall triggers; here the test-only trigger the soak uses), in the console
 * as a process: the new console takes the window, the wall goes on turning pages, and the old console is gone from the
 * heap. Until the soak, only the soak ran this path, and it found a disposed console kept alive by a part the app moves
 * from console to console (the watchdog's notice).
 */
class RebuildProcessTest {
    private static final Pattern ACTIVITY = Pattern.compile("(?m)^andon-activity .*$");
    private static final Pattern SHELLS = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+io\\.andon\\.console\\.Shell\\s*$");

    @TempDir
    Path dir;

    @Test
    void aRebuiltWallLeavesOneConsoleAndKeepsTurning() throws Exception {
        assertThat(System.getenv("DISPLAY")).as("this test needs a display (run under xvfb-run, as andon.sh test does)").isNotBlank();
        Path trigger = Files.writeString(dir.resolve("rebuild-trigger"), "0"), out = dir.resolve("out.txt");
        Process p = CliProcessTest.console(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-Dandon.watchdog.reportSeconds=1",
                                "-Dandon.test.rebuildTrigger=" + trigger, "-Dandon.test.dwellMillis=300"),
                        List.of("--wall", "--prometheus", "http://127.0.0.1:9", "--lang", "en"), dir)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            await(p, out, "the console's first activity report", Duration.ofSeconds(90), a -> a.containsKey("rebuilds"));
            for (int i = 1; i <= 2; i++) {
                // a new modification time each round: the trigger's only signal
                Files.setLastModifiedTime(trigger, FileTime.fromMillis(System.currentTimeMillis() + i * 10_000L));
                long rebuilds = i;
                await(p, out, "rebuild " + i, Duration.ofSeconds(30), a -> a.getOrDefault("rebuilds", 0L) >= rebuilds);
            }
            long switches = activity(out).getOrDefault("page-switches", 0L);
            await(p, out, "page switches after the rebuilds (the wall re-entered)", Duration.ofSeconds(30),
                    a -> a.getOrDefault("page-switches", 0L) >= switches + 3);
            String histogram = io.andon.bench.Jvm.jcmd(p.pid(), "GC.class_histogram"); // a full GC first
            Matcher m = SHELLS.matcher(histogram);
            assertThat(m.find()).as("a console in the heap:\n" + histogram.lines().limit(40).reduce("", (x, y) -> x + y + "\n")).isTrue();
            assertThat(Long.parseLong(m.group(1))).as("consoles alive after two rebuilds and a full GC").isEqualTo(1);
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("console rebuilt: test trigger");
        } finally {
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    /** The counters of the console's latest activity line. */
    private static java.util.Map<String, Long> activity(Path out) throws Exception {
        Matcher m = ACTIVITY.matcher(Files.readString(out, StandardCharsets.UTF_8));
        String last = null;
        while (m.find()) last = m.group();
        return last == null ? java.util.Map.of() : io.andon.bench.Jvm.activity(last);
    }

    private static void await(Process p, Path out, String what, Duration limit, java.util.function.Predicate<java.util.Map<String, Long>> done) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new AssertionError("the console ended (exit " + p.exitValue() + ") waiting for " + what + ":\n" + Files.readString(out));
            if (done.test(activity(out))) return;
            Thread.sleep(200);
        }
        throw new AssertionError("no " + what + " in " + limit.toSeconds() + " s; last activity " + activity(out) + "\n" + tail(out));
    }

    private static String tail(Path out) throws Exception {
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
