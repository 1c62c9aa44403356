package io.andon.server.slo;

import io.andon.server.slo.Slo.Events;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Sloth's own example specs (src/test/resources/slo/sloth, copied unchanged from slok/sloth, see the README there)
 * read by Andon's generator: a team that uses Sloth brings its files as they are. The output passes the real
 * promtool (check rules, and the generated unit tests), and agrees with what Sloth itself generates for
 * getting-started.yml on objective, error budget, windows and burn factors.
 */
class SlothSpecTest {
    static final Path DIR = SloGeneratorTest.PROJECT.resolve("src/test/resources/slo/sloth");

    static String promtool(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("promtool"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }

    @Test
    void everyExampleGeneratesRulesAndTestsThatPromtoolAccepts() throws Exception {
        List<String> files = List.of("getting-started.yml", "home-wifi.yml", "no-alerts.yml", "raw-home-wifi.yml", "kubernetes-apiserver.yml", "multifile.yml");
        for (String f : files) {
            Path out = SloGeneratorTest.generate("sloth-" + f, DIR.resolve(f).toString());
            assertThat(promtool(out, "check", "rules", "rules/slo.yml")).contains("SUCCESS");
            assertThat(promtool(out, "test", "rules", "tests/slo.generated.test.yml")).contains("SUCCESS").doesNotContain("FAILED");
        }
    }

    @Test
    void slothFilesReadUnchanged() throws Exception {
        SpecReader.Result gs = SpecReader.read(List.of(DIR.resolve("getting-started.yml")));
        Slo s = gs.slos().getFirst();
        assertThat(s.name()).isEqualTo("myservice-requests-availability");
        assertThat(s.target()).isEqualByComparingTo("0.999");
        assertThat(s.windowDays()).isEqualTo(30);
        Events e = (Events) s.sli();
        assertThat(e.bad()).isEqualTo("sum(rate(http_request_duration_seconds_count{job=\"myservice\",code=~\"(5..|429)\"}[{{.window}}]))");
        // alerting.page_alert / ticket_alert labels, the service labels and the summary override
        assertThat(s.alerting().pageLabels()).containsEntry("severity", "pageteam").containsEntry("routing_key", "myteam");
        assertThat(s.alerting().ticketLabels()).containsEntry("severity", "slack").containsEntry("slack_channel", "#alerts-myteam");
        assertThat(s.alerting().labels()).containsEntry("owner", "myteam").containsEntry("category", "availability");
        assertThat(s.alerting().summary()).isEqualTo("High error rate on 'myservice' requests responses");

        Slo none = SpecReader.read(List.of(DIR.resolve("no-alerts.yml"))).slos().getFirst();
        assertThat(none.alerting().page()).isFalse();
        assertThat(none.alerting().ticket()).isFalse();
        assertThat(Files.readString(SloGeneratorTest.generate("sloth-no-alerts-only", DIR.resolve("no-alerts.yml").toString()).resolve("rules/slo.yml")))
                .doesNotContain("- alert:");
        assertThat(SpecReader.read(List.of(DIR.resolve("raw-home-wifi.yml"))).slos().getFirst().sli()).isInstanceOf(Slo.Raw.class);
        assertThat(SpecReader.read(List.of(DIR.resolve("home-wifi.yml"))).slos()).extracting(Slo::name)
                .containsExactly("home-wifi-good-wifi-client-satisfaction", "home-wifi-risk-wifi-client-satisfaction");
    }

    @Test
    void objectiveBudgetWindowsAndBurnFactorsAgreeWithSlothsOwnOutput() throws Exception {
        String sloth = Files.readString(DIR.resolve("_gen-getting-started.yml"));
        String ours = Files.readString(SloGeneratorTest.generate("sloth-compare", DIR.resolve("getting-started.yml").toString()).resolve("rules/slo.yml"));
        Matcher obj = Pattern.compile("record: slo:objective:ratio\\s+expr: vector\\(([0-9.]+)\\)").matcher(sloth);
        assertThat(obj.find()).isTrue();
        Matcher ourObj = Pattern.compile("record: slo:objective:ratio\\s+labels: \\{slo: myservice-requests-availability}\\s+expr: vector\\(([0-9.]+)\\)").matcher(ours);
        assertThat(ourObj.find()).isTrue();
        assertThat(Double.parseDouble(ourObj.group(1))).isCloseTo(Double.parseDouble(obj.group(1)), within(1e-12));
        // Sloth's alerts compare error ratios with factor x budget; ours burn rates (ratio / budget) with the factor
        TreeSet<String> slothFactors = new TreeSet<>(), ourFactors = new TreeSet<>();
        Matcher f = Pattern.compile("\\(([0-9.]+) \\* 0\\.000999").matcher(sloth);
        while (f.find()) slothFactors.add(f.group(1));
        Matcher g = Pattern.compile("slo:burn_rate:\\w+\\{slo=\"myservice-requests-availability\"} > ([0-9.]+)").matcher(ours);
        while (g.find()) ourFactors.add(g.group(1));
        assertThat(slothFactors).containsExactlyInAnyOrder("14.4", "6", "3", "1");
        assertThat(ourFactors).isEqualTo(slothFactors);
        TreeSet<String> slothWindows = new TreeSet<>(), ourWindows = new TreeSet<>();
        Matcher w = Pattern.compile("record: slo:sli_error:ratio_rate(\\w+)").matcher(sloth);
        while (w.find()) slothWindows.add(w.group(1));
        Matcher v = Pattern.compile("record: slo:sli_error:ratio_rate(\\w+)").matcher(ours);
        while (v.find()) ourWindows.add(v.group(1));
        assertThat(ourWindows).isEqualTo(slothWindows);
    }
}
