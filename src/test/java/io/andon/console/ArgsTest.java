package io.andon.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one splitter of the console's and the report's command lines, at its edges. */
class ArgsTest {
    private static Args args(String... a) {
        return new Args(a, "see --help");
    }

    @Test
    void bothSpellingsGiveTheSameOptionAndValue() {
        Args a = args("--page=slo", "--page", "alerts", "--note=a=b", "--note", "-5");
        assertThat(a.next()).isEqualTo("--page");
        assertThat(a.value()).isEqualTo("slo");
        assertThat(a.next()).isEqualTo("--page");
        assertThat(a.value()).isEqualTo("alerts");
        assertThat(a.next()).isEqualTo("--note");
        assertThat(a.value()).as("only the first '=' splits").isEqualTo("a=b");
        assertThat(a.next()).isEqualTo("--note");
        assertThat(a.value()).as("a single dash is a value, not an option").isEqualTo("-5");
        assertThat(a.more()).isFalse();
    }

    @Test
    void anEqualsSignWithNothingAfterItIsAnEmptyValueNotAMissingOne() {
        Args a = args("--snapshot=", "--wall");
        assertThat(a.next()).isEqualTo("--snapshot");
        assertThat(a.value()).isEmpty();
        assertThat(a.next()).isEqualTo("--wall");
        // the option's own check says what is wrong with an empty value
        assertThatThrownBy(() -> Cli.parse("--snapshot=")).hasMessage("--snapshot '': not a file name (empty)");
        assertThatThrownBy(() -> Cli.parse("--theme=")).hasMessageStartingWith("--theme '': no such theme");
    }

    @Test
    void aMissingValueIsNamedWithTheOption() {
        Args last = args("--page");
        last.next();
        assertThatThrownBy(last::value).hasMessage("option --page needs a value (see --help)");
        Args beforeOption = args("--page", "--wall");
        beforeOption.next();
        assertThatThrownBy(beforeOption::value).as("the next option is not taken as the value").hasMessage("option --page needs a value (see --help)");
        assertThat(beforeOption.next()).isEqualTo("--wall");
        assertThat(new Args(new String[]{"--out"}, "see andon report --help")).satisfies(a -> {
            a.next();
            assertThatThrownBy(a::value).hasMessage("option --out needs a value (see andon report --help)");
        });
    }

    @Test
    void unknownOptionsAndStrayArgumentsAreToldApart() {
        Args a = args("--frobnicate=3", "stray", "-x");
        a.next();
        assertThat(a.unknown()).hasMessage("unknown option '--frobnicate' (see --help)");
        a.next();
        assertThat(a.unknown()).hasMessage("unexpected argument 'stray': options start with -- (see --help)");
        a.next();
        assertThat(a.unknown()).hasMessage("unknown option '-x' (see --help)");
        assertThatThrownBy(() -> Cli.parse("--wall", "stray")).hasMessageContaining("unexpected argument 'stray'");
    }

    @Test
    void passOnKeepsAnOptionWithItsValueInEitherSpelling() {
        Args a = args("--prometheus=http://p:9090", "--alertmanager", "http://a:9093", "--wall", "--profile", "x");
        List<String> out = new ArrayList<>();
        while (a.more()) {
            a.next();
            out.addAll(a.passOn());
        }
        assertThat(out).containsExactly("--prometheus", "http://p:9090", "--alertmanager", "http://a:9093", "--wall", "--profile", "x");
    }

    /** The report's command line on the same splitter: exit 2 and one line, before any source is asked. */
    @Test
    void theReportSaysTheSameAboutTheSameMistakes(@TempDir Path config) {
        assertThat(report("--shift")).isEqualTo("2 andon report: option --shift needs a value (see andon report --help)");
        assertThat(report("--shift=2026-12-06T08:00", "--out", "--lang", "en"))
                .isEqualTo("2 andon report: option --out needs a value (see andon report --help)");
        // options of the console's are passed on and judged there, '=' or not
        String shift = "--shift=2026-12-06T08:00", out = "--out=" + config.resolve("r.pdf");
        assertThat(report(shift, out, "--config", config.toString(), "--frobnicate=1"))
                .isEqualTo("2 andon report: unknown option '--frobnicate' (see --help)");
        assertThat(report(shift, out, "--config=" + config, "--theme", "neon"))
                .isEqualTo("2 andon report: --theme 'neon': no such theme (dark, light, high-contrast)");
    }

    private static String report(String... a) {
        var err = new ByteArrayOutputStream();
        int code = ReportCli.run(a, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return code + " " + err.toString(StandardCharsets.UTF_8).strip();
    }
}
