package io.andon.console;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each bad argument as a user types it, in a real `java … io.andon.console.Main` process without a display: the
 * answer is exactly one line on stderr naming the option and the value, nothing on stdout, exit code 2, no stack
 * trace. Without a display, an argument that slipped through the checks would meet the "no display" hint (exit 3)
 * instead, so exit 2 also proves the check ran before anything of JavaFX.
 */
class CliProcessTest {
    @TempDir
    static Path config;

    static Stream<Arguments> bad() {
        return Stream.of(
                arguments(List.of("--page", "nosuch"), "--page 'nosuch': no such page (system, database"),
                arguments(List.of("--page", "logs"), "--page 'logs': the logs page needs Elasticsearch"),
                arguments(List.of("--theme", "pink"), "--theme 'pink': no such theme (dark, light, high-contrast)"),
                arguments(List.of("--lang", "fr"), "--lang 'fr': not a language of the console (zh-CN, en)"),
                arguments(List.of("--lang=", "--wall"), "--lang '': not a language of the console"),
                arguments(List.of("--prometheus", "notaurl"), "--prometheus: 'notaurl' must start with http:// or https://"),
                arguments(List.of("--alertmanager", "http://a m:9093"), "--alertmanager: 'http://a m:9093' is not a URL"),
                arguments(List.of("--elasticsearch", "es:9200"), "--elasticsearch: 'es:9200' must start with http:// or https://"),
                arguments(List.of("--traces", "http://z:9411,kind=elastic"), "'elastic' is not one of [zipkin, jaeger, tempo]"),
                arguments(List.of("--datasource", "nourl"), "--datasource wants NAME=URL[,staleness=45s], not 'nourl'"),
                arguments(List.of("--dwell", "-5"), "--dwell '-5': out of range (seconds per page, 3 to 3600)"),
                arguments(List.of("--dwell", "1"), "--dwell '1': out of range"),
                arguments(List.of("--dwell", "abc"), "--dwell 'abc': not a whole number"),
                arguments(List.of("--monitor", "-1"), "--monitor '-1': out of range (a monitor number, 0 = the primary)"),
                arguments(List.of("--monitor", "two"), "--monitor 'two': not a whole number"),
                arguments(List.of("--profile", "nosuch"), "--profile 'nosuch': no such profile (none saved yet"),
                arguments(List.of("--snapshot", "/nonexistent-dir/page.png"), "--snapshot '/nonexistent-dir/page.png': directory /nonexistent-dir does not exist"),
                arguments(List.of("--snapshot", "/tmp"), "--snapshot '/tmp': is a directory"),
                arguments(List.of("--snapshot", "/proc/page.png"), "--snapshot '/proc/page.png': cannot be written in /proc"),
                arguments(List.of("--scenario", "night"), "--scenario 'night': only with --demo"),
                arguments(List.of("--demo", "--scenario", "nosuch"), "--scenario 'nosuch': no such scenario (normal, latency-spike"),
                arguments(List.of("--frobnicate"), "unknown option '--frobnicate' (see --help)"),
                arguments(List.of("--page"), "option --page needs a value"),
                arguments(List.of("--wall", "stray"), "unexpected argument 'stray'"),
                arguments(List.of("nosuchcommand"), "unknown command 'nosuchcommand'"));
    }

    @BeforeAll
    static void compiled() {
        assertThat(System.getProperty("java.class.path")).contains("classes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badArgumentIsOneLineAndExitCode2(List<String> args, String expected) throws Exception {
        Run r = run(args, false);
        assertThat(r.code).as("exit code; stderr:\n" + r.err).isEqualTo(2);
        assertThat(r.out).as("stdout").isEmpty();
        assertThat(r.err.lines().toList()).as("stderr").hasSize(1);
        assertThat(r.err.strip()).startsWith("andon: ").contains(expected)
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("no display");
    }

    /** The control: a good command line passes every check and only then meets the missing display. */
    @Test
    void goodArgumentsPassTheChecksAndMeetTheDisplayHint() throws Exception {
        Path png = config.resolve("page.png");
        Run r = run(List.of("--page", "slo", "--theme", "High_Contrast", "--lang", "zh_CN", "--dwell", "3", "--monitor", "7", "--wall",
                "--prometheus", "http://127.0.0.1:9", "--snapshot", png.toString()), false);
        assertThat(r.code).as(r.err).isEqualTo(3);
        assertThat(r.err).startsWith("andon: no display.").doesNotContain("Exception");
        assertThat(png).as("the writability probe leaves no file behind").doesNotExist();
        assertThat(run(List.of("--help"), false).out).contains("Usage: andon [options]").contains("3 to 3600");
    }

    /** A monitor that isn't there is known only once the toolkit lists the screens: a warning naming the one used. */
    @Test
    void aMissingMonitorIsAWarningNamingTheOneUsed() throws Exception {
        assertThat(System.getenv("DISPLAY")).as("this test needs a display (run under xvfb-run, as andon.sh test does)").isNotBlank();
        Path png = config.resolve("wall.png");
        Run r = run(List.of("--wall", "--monitor", "7", "--prometheus", "http://127.0.0.1:9", "--snapshot", png.toString(), "--lang", "en"), true);
        assertThat(r.err).contains("andon: --monitor 7: 1 monitor found; the wall uses monitor 0 (the primary)")
                .doesNotContain("Exception");
        assertThat(png).exists();
    }

    private record Run(int code, String out, String err) {}

    /** The console as a user starts it, with these JVM options and arguments, and a private config dir {@code config}. */
    static ProcessBuilder console(List<String> jvmOptions, List<String> args, Path config) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.andon.console.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // a private config dir: no saved profile, nothing remembered, the user's own config untouched
        pb.environment().put("XDG_CONFIG_HOME", config.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("ANDON_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        return pb;
    }

    private static Run run(List<String> args, boolean display) throws Exception {
        ProcessBuilder pb = console(List.of(), args, config);
        if (!display) {
            pb.environment().remove("DISPLAY");
            pb.environment().remove("WAYLAND_DISPLAY");
        }
        Path out = Files.createTempFile(config, "out", ".txt"), err = Files.createTempFile(config, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(display ? 120 : 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("andon " + args + " did not exit");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
