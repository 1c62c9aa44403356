package io.andon.server.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Prometheus rules under src/server/prometheus checked by the real promtool: every rule file passes
 * {@code promtool check rules}, every unit-test file passes {@code promtool test rules}, and every alert of
 * alerts.yml / slo.yml is exercised firing and not firing and carries its Chinese texts and runbook link.
 * A missing promtool fails the test; it never skips.
 */
class PromtoolTest {
    static final Path PROJECT = Path.of(System.getProperty("andon.project.dir", System.getProperty("user.dir")));
    static final Path PROM = PROJECT.resolve("src/server/prometheus");
    static final Path RULES = PROM.resolve("rules");
    static final Path TESTS = PROM.resolve("tests");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** {@code ALERTS{alertname="X", ...}} inside a promql_expr_test expression. */
    private static final Pattern ALERTS_SELECTOR = Pattern.compile("ALERTS\\s*\\{([^}]*)}");
    private static final Pattern ALERTNAME = Pattern.compile("alertname\\s*=\\s*\"([^\"]+)\"");

    record Result(int exit, String output) {}

    static Result promtool(Path dir, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("promtool");
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed or not on PATH (expected /usr/bin/promtool): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool " + String.join(" ", args) + " did not finish in 180 s:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void everyRuleFilePassesPromtoolCheck() throws Exception {
        List<Path> rules = files(RULES, ".yml");
        assertThat(rules).extracting(p -> p.getFileName().toString()).contains("sli.yml", "slo.yml", "alerts.yml");
        for (Path f : rules) {
            Result r = promtool(PROJECT, List.of("check", "rules", PROJECT.relativize(f).toString()));
            assertThat(r.exit()).as("promtool check rules %s:%n%s", f.getFileName(), r.output()).isZero();
            assertThat(r.output()).contains("SUCCESS");
        }
    }

    @Test
    void everyUnitTestFilePassesPromtoolTest() throws Exception {
        List<Path> tests = files(TESTS, ".test.yml");
        assertThat(tests).as("promtool unit-test files in " + TESTS).isNotEmpty();
        for (Path f : tests) {
            Result r = promtool(PROM, List.of("test", "rules", "tests/" + f.getFileName()));
            assertThat(r.exit()).as("promtool test rules %s:%n%s", f.getFileName(), r.output()).isZero();
            assertThat(r.output()).contains("SUCCESS").doesNotContain("FAILED");
        }
    }

    @Test
    void everyAlertHasTextsInBothLanguagesAndARunbook() throws Exception {
        String runbooks = Files.readString(PROJECT.resolve("docs/runbooks.md"));
        Map<String, JsonNode> alerts = alerts();
        assertThat(alerts.keySet()).as("the plant's 11 alerts, the down alerts and the 3 burn-rate alerts")
                .contains("MESAvailabilityLow", "MESLatencyHigh", "MESErrorRateHigh", "MESThroughputLow",
                        "DatabaseConnectionsHigh", "DatabaseSlowQueries", "DatabaseCacheHitRatioLow", "DatabaseLockWaits",
                        "EquipmentFailure", "InventoryLow", "EmployeeAttendanceLow", "ExporterDown", "DatabaseDown",
                        "ErrorBudgetBurnFast", "ErrorBudgetBurnMedium", "ErrorBudgetBurnSlow");
        alerts.forEach((name, rule) -> {
            JsonNode a = rule.path("annotations");
            for (String k : List.of("summary", "description", "summary_zh", "description_zh", "runbook_url")) {
                assertThat(a.path(k).asText()).as(name + " annotation " + k).isNotBlank();
            }
            assertThat(a.path("summary_zh").asText() + a.path("description_zh").asText()).as(name + " Chinese texts")
                    .matches("(?s).*\\p{IsHan}.*");
            assertThat(a.path("runbook_url").asText()).as(name + " runbook_url")
                    .isEqualTo("docs/runbooks.md#" + name.toLowerCase());
            assertThat(runbooks).as("runbook section for " + name).contains("## " + name + "\n");
            assertThat(rule.path("labels").path("severity").asText()).as(name + " severity").isIn("critical", "warning", "ticket");
            assertThat(rule.path("labels").path("team").asText()).as(name + " team").isIn("mes", "dba", "ops");
        });
        for (String slo : List.of("ErrorBudgetBurnFast", "ErrorBudgetBurnMedium", "ErrorBudgetBurnSlow")) {
            assertThat(alerts.get(slo).path("expr").asText()).as(slo + " keeps the slo label").contains("on (slo)");
        }
    }

    @Test
    void everyAlertHasAFiringAndANonFiringCase() throws Exception {
        TreeSet<String> firing = new TreeSet<>();
        TreeSet<String> quiet = new TreeSet<>();
        for (Path f : files(TESTS, ".test.yml")) {
            for (JsonNode test : YAML.readTree(f.toFile()).path("tests")) {
                for (JsonNode c : test.path("alert_rule_test")) {
                    String name = c.path("alertname").asText();
                    (c.path("exp_alerts").isEmpty() ? quiet : firing).add(name);
                }
                for (JsonNode c : test.path("promql_expr_test")) {
                    Matcher sel = ALERTS_SELECTOR.matcher(c.path("expr").asText());
                    while (sel.find()) {
                        Matcher n = ALERTNAME.matcher(sel.group(1));
                        if (!n.find()) continue;
                        if (c.path("exp_samples").isEmpty()) quiet.add(n.group(1));
                        else if (sel.group(1).contains("firing")) firing.add(n.group(1));
                    }
                }
            }
        }
        for (String name : alerts().keySet()) {
            assertThat(firing).as(name + " has a case in tests/*.test.yml where it fires").contains(name);
            assertThat(quiet).as(name + " has a case in tests/*.test.yml where it stays quiet").contains(name);
        }
    }

    /** Alerting rules of alerts.yml and slo.yml by name. */
    static Map<String, JsonNode> alerts() throws IOException {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (String file : List.of("alerts.yml", "slo.yml")) {
            for (JsonNode g : YAML.readTree(RULES.resolve(file).toFile()).path("groups")) {
                for (JsonNode r : g.path("rules")) {
                    if (r.has("alert")) {
                        assertThat(alerts.put(r.path("alert").asText(), r)).as("duplicate alert " + r.path("alert")).isNull();
                    }
                }
            }
        }
        return alerts;
    }
}
