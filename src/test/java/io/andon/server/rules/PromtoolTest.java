package io.andon.server.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        assertThat(alerts.values().stream().map(r -> r.path("alert").asText()).distinct().toList()).as("the plant's 11 alerts, the down alerts and the 3 burn-rate alerts")
                .contains("MESAvailabilityLow", "MESLatencyHigh", "MESErrorRateHigh", "MESThroughputLow",
                        "DatabaseConnectionsHigh", "DatabaseSlowQueries", "DatabaseCacheHitRatioLow", "DatabaseLockWaits",
                        "EquipmentFailure", "InventoryLow", "EmployeeAttendanceLow", "ExporterDown", "DatabaseDown",
                        "ErrorBudgetBurnFast", "ErrorBudgetBurnMedium", "ErrorBudgetBurnSlow");
        alerts.forEach((key, rule) -> {
            String name = rule.path("alert").asText();
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
            for (String s : List.of("availability", "errors", "latency")) {
                assertThat(alerts.get(slo + "/" + s)).as(slo + " of SLO " + s).isNotNull();
                assertThat(alerts.get(slo + "/" + s).path("expr").asText()).as(slo + " keeps the slo label").contains("on (slo)");
            }
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
        for (String name : alerts().values().stream().map(r -> r.path("alert").asText()).distinct().toList()) {
            assertThat(firing).as(name + " has a case in tests/*.test.yml where it fires").contains(name);
            assertThat(quiet).as(name + " has a case in tests/*.test.yml where it stays quiet").contains(name);
        }
    }

    /** A metric selector with its optional label matchers and range: name, {…}, […]. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*(\\[[^\\]]*])?");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");
    private static final Duration BASE_INTERVAL = Duration.ofSeconds(15);
    private static final Duration SPARSE = Duration.ofMinutes(5);

    /**
     * P9: a 1 d+ window must read a series recorded every 5 min or less often (30 d over a 15 s series reads
     * 172,800 samples per series and took 233-426 ms per evaluation), and such a sparse series may only be read
     * through a range of 1 d+: an instant read of it finds nothing between two evaluations (5 min lookback).
     * Checked on every rule expression and every dashboard the console ships.
     */
    @Test
    void longWindowsReadOnlySparseSeriesAndSparseSeriesOnlyThroughLongRanges() throws Exception {
        Set<String> sparse = new TreeSet<>();
        Map<String, String> exprs = new LinkedHashMap<>();
        for (Path f : files(RULES, ".yml")) {
            for (JsonNode g : YAML.readTree(f.toFile()).path("groups")) {
                Duration interval = g.has("interval") ? duration(g.path("interval").asText()) : BASE_INTERVAL;
                for (JsonNode r : g.path("rules")) {
                    String name = r.has("record") ? r.path("record").asText() : r.path("alert").asText();
                    if (r.has("record") && interval.compareTo(SPARSE) >= 0) sparse.add(name);
                    exprs.put(f.getFileName() + " / " + g.path("name").asText() + " / " + name + " #" + exprs.size(), r.path("expr").asText());
                }
            }
        }
        assertThat(sparse).as("series recorded every 5 min").contains("slo:sli_bad:increase5m", "slo:sli_total:increase5m",
                "sli:requests_total:increase5m", "sli:requests_5xx:increase5m");
        int longRanges = 0;
        for (var e : exprs.entrySet()) {
            Matcher m = SELECTOR.matcher(e.getValue());
            while (m.find()) {
                String name = m.group(1);
                Duration range = m.group(3) == null ? null : duration(m.group(3).substring(1, m.group(3).length() - 1).split(":")[0].trim());
                if (range != null && range.compareTo(Duration.ofDays(1)) >= 0) {
                    longRanges++;
                    assertThat(sparse).as("%s reads %s over %s: a window of 1 d or more must read a series recorded every 5 min", e.getKey(), name, m.group(3))
                            .contains(name);
                }
                if (sparse.contains(name)) {
                    assertThat(range).as("%s reads the 5-minute series %s%s: only through a range of 1 d or more", e.getKey(), name, m.group(3) == null ? " as an instant vector" : " over " + m.group(3))
                            .isNotNull().isGreaterThanOrEqualTo(Duration.ofDays(1));
                }
            }
        }
        assertThat(longRanges).as("the 1d/3d/30d windows of sli.yml and slo.yml").isGreaterThanOrEqualTo(12);
        for (Path d : files(PROJECT.resolve("src/main/resources/io/andon/dashboards"), ".yaml")) {
            String text = Files.readString(d);
            for (String name : sparse) {
                Matcher m = Pattern.compile(Pattern.quote(name) + "\\s*(\\{[^}]*})?\\s*(\\[[^\\]]*])?").matcher(text);
                while (m.find()) {
                    assertThat(m.group(2)).as("%s reads the 5-minute series %s as an instant vector", d.getFileName(), name).isNotNull();
                }
            }
        }
    }

    static Duration duration(String text) {
        Matcher m = DURATION_PART.matcher(text);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            assertThat(m.start()).as("duration %s", text).isEqualTo(end);
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                default -> Duration.ofDays(365 * n);
            });
            end = m.end();
        }
        assertThat(end).as("duration %s", text).isEqualTo(text.length()).isPositive();
        return d;
    }

    /**
     * Alerting rules of alerts.yml and slo.yml by name. The generated slo.yml has one rule per alert and SLO
     * (thresholds scale with each SLO's window), told apart by their {@code slo} label: every one is checked.
     */
    static Map<String, JsonNode> alerts() throws IOException {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (String file : List.of("alerts.yml", "slo.yml")) {
            for (JsonNode g : YAML.readTree(RULES.resolve(file).toFile()).path("groups")) {
                for (JsonNode r : g.path("rules")) {
                    if (r.has("alert")) {
                        String slo = r.path("labels").path("slo").asText("");
                        String key = r.path("alert").asText() + (slo.isEmpty() ? "" : "/" + slo);
                        assertThat(alerts.put(key, r)).as("duplicate alert " + key).isNull();
                    }
                }
            }
        }
        return alerts;
    }
}
