package io.andon.server.slo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Bad specs give located messages ({@code file:line: message}), all problems of a file at once. */
class SloSpecValidationTest {
    private static final String GOOD = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceLevelObjective
            metadata:
              name: mes-availability-slo
            spec:
              target: 0.999
              window: 30d
              indicators:
              - name: availability
                ratio:
                  events:
                    total:
                      query: 'sum(rate(http_requests_total{job="mes-app"}[5m]))'
                    success:
                      query: 'sum(rate(http_requests_total{job="mes-app", status!~"5.."}[5m]))'
            """;

    private static List<String> errors(String text) {
        SloSpecException e = catchThrowableOfType(SloSpecException.class, () -> SpecReader.read("slo-definitions.yaml", text));
        assertThat(e).as("the spec must be refused:%n%s", text).isNotNull();
        return e.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::toString).toList();
    }

    @Test
    void theGoodSpecReads() throws Exception {
        assertThat(SpecReader.read("slo-definitions.yaml", GOOD).slos()).extracting(Slo::name).containsExactly("availability");
    }

    @Test
    void targetOutsideZeroOneIsRefusedAtItsLine() {
        assertThat(errors(GOOD.replace("target: 0.999", "target: 99.9")))
                .containsExactly("slo-definitions.yaml:6: target must be between 0 and 1 exclusive (got 99.9: a percentage? write it as a fraction, e.g. 0.999)");
        assertThat(errors(GOOD.replace("target: 0.999", "target: 1"))).containsExactly("slo-definitions.yaml:6: target must be between 0 and 1 exclusive (got 1)");
        assertThat(errors(GOOD.replace("target: 0.999", "target: \"high\""))).singleElement().asString().startsWith("slo-definitions.yaml:6: target must be a number");
    }

    @Test
    void unknownWindowIsRefused() {
        assertThat(errors(GOOD.replace("window: 30d", "window: 1month")))
                .containsExactly("slo-definitions.yaml:7: unknown window '1month': whole days from 7d to 90d (e.g. 28d, 30d); the alerts read 1 h to 3 d windows of it");
        assertThat(errors(GOOD.replace("window: 30d", "window: 2d"))).singleElement().asString().startsWith("slo-definitions.yaml:7: unknown window '2d'");
    }

    @Test
    void missingQueriesAreNamed() {
        assertThat(errors(GOOD.replace("      query: 'sum(rate(http_requests_total{job=\"mes-app\"}[5m]))'\n", "      source: prometheus\n")))
                .containsExactly("slo-definitions.yaml:12: missing query: total");
        assertThat(errors(GOOD.replace("success:", "good:")))
                .containsExactly("slo-definitions.yaml:11: missing query: events.success (good events) or events.bad");
        assertThat(errors(GOOD.replace("[5m]))'\n        success", "))'\n        success")))
                .containsExactly("slo-definitions.yaml:13: the total query has no range for the window: write [{{.window}}] (or [5m]) where it goes");
    }

    @Test
    void duplicateNamesAreRefusedWithTheFirstPlace() {
        assertThat(errors(GOOD + "---\n" + GOOD))
                .containsExactly("slo-definitions.yaml:25: duplicate SLO name 'availability' (first defined at slo-definitions.yaml:9)");
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        assertThat(errors(GOOD.replace("target: 0.999", "target: 2").replace("window: 30d", "window: 30x").replace("name: availability", "name: Avail ability")))
                .hasSize(3).allMatch(m -> m.startsWith("slo-definitions.yaml:"));
    }

    @Test
    void aLatencyThresholdOffTheBucketEdgesWarns() throws Exception {
        String latency = GOOD.replace("""
                    ratio:
                      events:
                        total:
                          query: 'sum(rate(http_requests_total{job="mes-app"}[5m]))'
                        success:
                          query: 'sum(rate(http_requests_total{job="mes-app", status!~"5.."}[5m]))'
                """, """
                    latency:
                      histogram: http_request_duration_seconds
                      selector: 'job="mes-app"'
                      classes:
                      - {name: query, selector: 'method="GET"', threshold: 0.2}
                      - {name: write, selector: 'method!="GET"', threshold: 0.35}
                """);
        assertThat(latency).contains("0.35");
        SpecReader.Result r = SpecReader.read("slo-definitions.yaml", latency);
        assertThat(r.slos()).hasSize(1);
        assertThat(r.warnings()).extracting(Diagnostic::toString).containsExactly(
                "slo-definitions.yaml:15: warning: threshold 0.35 s is not a bucket edge of http_request_duration_seconds "
                        + "[0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.3, 0.5, 1, 2.5, 5, 10]: Prometheus has no le=\"0.35\" bucket, "
                        + "so no request counts as fast (the SLI would be wrong, at best approximate)");
        // the plant's own form, a bucket query in a ratio: le="0.4" is no edge either
        SpecReader.Result plant = SpecReader.read("slo-definitions.yaml", GOOD.replace("sum(rate(http_requests_total{job=\"mes-app\", status!~\"5..\"}[5m]))",
                "sum(rate(http_request_duration_seconds_bucket{job=\"mes-app\", le=\"0.4\"}[5m]))"));
        assertThat(plant.warnings()).extracting(Diagnostic::toString).singleElement().asString()
                .startsWith("slo-definitions.yaml:15: warning: le=\"0.4\" is not a bucket edge");
    }

    @Test
    void promqlThatPromtoolRejectsIsLocated() throws Exception {
        SpecReader.Result r = SpecReader.read("slo-definitions.yaml", GOOD.replace("sum(rate(http_requests_total{job=\"mes-app\"}[5m]))", "sum(rate(http_requests_total{job=\"mes-app\"}[5m])"));
        List<Diagnostic> bad = PromQLCheck.check(r.slos(), "promtool");
        assertThat(bad).extracting(Diagnostic::toString).singleElement().asString()
                .startsWith("slo-definitions.yaml:9: PromQL of SLO 'availability' rejected by promtool:").contains("unclosed left parenthesis");
        assertThat(PromQLCheck.check(SpecReader.read("slo-definitions.yaml", GOOD).slos(), "promtool")).isEmpty();
    }

    @Test
    void theCommandLineTellsErrorsAndWritesNothing() throws Exception {
        Path dir = Files.createTempDirectory("slo-bad");
        Path spec = dir.resolve("slo-definitions.yaml");
        Files.writeString(spec, GOOD.replace("target: 0.999", "target: 0"));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = SloMain.run(new String[]{"generate", spec.toString(), "--out", dir.resolve("out").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("slo-definitions.yaml:6: target must be between 0 and 1 exclusive (got 0)");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(SloMain.run(new String[]{"generate", "--out", "x"}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
    }

    @Test
    void notAnSloFileIsSaidSo() {
        assertThat(errors("groups: []\n")).containsExactly(
                "slo-definitions.yaml:1: neither kind: ServiceLevelObjective (the plant's format) nor version: \"prometheus/v1\" (Sloth's)");
        assertThat(errors("a: [\n")).singleElement().asString().startsWith("slo-definitions.yaml:");
    }
}
