package io.andon.server.slo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The committed SLO rules, their generated promtool tests and the console's SLO page are what
 * {@code andon-server slo generate src/server/slo/slo-definitions.yaml} writes: regenerated into target/ and
 * compared byte for byte. A hand edit of a generated file, or a spec change without regenerating, fails here.
 */
class SloGeneratorTest {
    static final Path PROJECT = Path.of(System.getProperty("andon.project.dir", System.getProperty("user.dir")));
    static final Path SPEC = PROJECT.resolve("src/server/slo/slo-definitions.yaml");
    static final Map<String, Path> COMMITTED = Map.of(
            "rules/slo.yml", PROJECT.resolve("src/server/prometheus/rules/slo.yml"),
            "tests/slo.generated.test.yml", PROJECT.resolve("src/server/prometheus/tests/slo.generated.test.yml"),
            "dashboards/slo.yaml", PROJECT.resolve("src/main/resources/io/andon/dashboards/slo.yaml"));

    static Path generate(String name, String... specs) throws Exception {
        Path out = PROJECT.resolve("target/slo-generated/" + name);
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        String[] argv = new String[specs.length + 3];
        argv[0] = "generate";
        System.arraycopy(specs, 0, argv, 1, specs.length);
        argv[specs.length + 1] = "--out";
        argv[specs.length + 2] = out.toString();
        int rc = SloMain.run(argv, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(rc).as("slo generate exit code; stderr:%n%s", e.toString(StandardCharsets.UTF_8)).isZero();
        return out;
    }

    @Test
    void committedFilesAreTheGeneratedOnes() throws Exception {
        Path out = generate("committed", SPEC.toString());
        for (var f : COMMITTED.entrySet()) {
            List<String> want = Files.readAllLines(out.resolve(f.getKey())), have = Files.readAllLines(f.getValue());
            for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
                String w = i < want.size() ? want.get(i) : "<end of file>", h = i < have.size() ? have.get(i) : "<end of file>";
                if (!w.equals(h)) {
                    fail("%s differs from what the spec generates (line %d):%n  committed: %s%n  generated: %s%n"
                            + "Regenerate: java -jar target/andon-*-server.jar slo generate src/server/slo/slo-definitions.yaml --out DIR, copy %s",
                            PROJECT.relativize(f.getValue()), i + 1, h, w, f.getKey());
                }
            }
        }
    }

    @Test
    void outputIsDeterministicWhateverTheOrderOfTheSpecs() throws Exception {
        Path a = generate("order-a", SPEC.toString());
        // the same SLOs split over two files, given in the other order
        String text = Files.readString(SPEC);
        int cut = text.indexOf("\n---\n", text.indexOf("mes-latency-slo"));
        Path dir = Files.createDirectories(PROJECT.resolve("target/slo-generated/split"));
        Files.writeString(dir.resolve("slo-definitions.yaml"), text.substring(0, cut + 1));
        Files.writeString(dir.resolve("more.yaml"), text.substring(cut + 5));
        Path b = generate("order-b", dir.resolve("more.yaml").toString(), dir.resolve("slo-definitions.yaml").toString());
        for (String f : COMMITTED.keySet()) {
            // only the header names the files (and the line where each SLO is defined)
            assertThat(Files.readString(b.resolve(f)).replace("more.yaml, slo-definitions.yaml", "slo-definitions.yaml").replaceAll("\\((more|slo-definitions)\\.yaml:\\d+\\)", "(spec)"))
                    .as(f).isEqualTo(Files.readString(a.resolve(f)).replaceAll("\\(slo-definitions\\.yaml:\\d+\\)", "(spec)"));
        }
    }

    /** The generated promtool cases can fail: on rules with a wrong page factor or a wrong budget they do. */
    @Test
    void theGeneratedPromtoolCasesCatchWrongRules() throws Exception {
        Path out = generate("mutants", SPEC.toString());
        String rules = Files.readString(out.resolve("rules/slo.yml"));
        for (var mutant : Map.of("fast page at 40x", rules.replace("> 14.4", "> 40"),
                "budget 0.01", rules.replace("/ 0.001", "/ 0.01"),
                "no-traffic budget 0", rules.replace("(vector(1) and on ()", "(vector(0) and on ()")).entrySet()) {
            assertThat(mutant.getValue()).as(mutant.getKey()).isNotEqualTo(rules);
            Files.writeString(out.resolve("rules/slo.yml"), mutant.getValue());
            Process p = new ProcessBuilder("promtool", "test", "rules", "tests/slo.generated.test.yml").directory(out.toFile()).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("promtool on the mutant '%s' must fail:%n%s", mutant.getKey(), text).isNotZero();
            assertThat(text).contains("FAILED");
        }
    }

    @Test
    void burnFactorsScaleWithTheWindowAsInTheSreWorkbook() {
        assertThat(Generator.num(Generator.FAST.factor(720))).isEqualTo("14.4");
        assertThat(Generator.num(Generator.MEDIUM.factor(720))).isEqualTo("6");
        assertThat(Generator.num(Generator.TICKET_DAY.factor(720))).isEqualTo("3");
        assertThat(Generator.num(Generator.TICKET_3D.factor(720))).isEqualTo("1");
        // 28 d: 2 % of 672 h in 1 h = 13.44 (Sloth's 28-day window gives the same)
        assertThat(Generator.num(Generator.FAST.factor(672))).isEqualTo("13.44");
        assertThat(Generator.num(Generator.MEDIUM.factor(672))).isEqualTo("5.6");
        assertThat(Generator.num(Generator.TICKET_DAY.factor(672))).isEqualTo("2.8");
        assertThat(Generator.num(Generator.TICKET_3D.factor(672))).isEqualTo("0.9333");
    }

    @Test
    void theSpecReadsAsTheThreeSlosTheConsoleAndAlertsUse() throws Exception {
        SpecReader.Result r = SpecReader.read(List.of(SPEC));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.slos()).extracting(Slo::name).containsExactly("availability", "errors", "latency");
        Slo latency = r.slos().get(2);
        Slo.Events e = (Slo.Events) latency.sli();
        // per class, on the duration histogram's bucket edges; status, not code
        assertThat(e.good()).contains("method=\"GET\", le=\"0.2\"").contains("method!=\"GET\", le=\"0.3\"").contains("http_request_duration_seconds_bucket");
        assertThat(e.total()).isEqualTo("sum(rate(http_request_duration_seconds_count{job=\"mes-app\"}[{{.window}}]))");
        assertThat(((Slo.Events) r.slos().getFirst().sli()).good()).contains("status!~\"5..\"").doesNotContain("code");
    }
}
