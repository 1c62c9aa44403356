package io.andon.server.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployable server configs checked by the real tools: amtool (config + routing tree), rsyslogd (shipper
 * config), SQL without password literals. promtool is run by {@code io.andon.server.rules.PromtoolTest}.
 * A missing tool fails, it does not skip.
 */
class ServerConfigTest {
    static final Path PROJECT = Path.of(System.getProperty("andon.project.dir", System.getProperty("user.dir")));
    static final Path SERVER = PROJECT.resolve("src/server");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record Result(int exit, String output) {}

    static Result run(Path dir, String... cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(cmd[0] + " is not installed (run `bash src/bin/andon.sh setup`): " + e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void amtoolAcceptsTheConfigAndRoutesBySeverity() throws Exception {
        Path dir = Files.createTempDirectory("am");
        Files.writeString(dir.resolve("alertmanager.yml"), Files.readString(SERVER.resolve("alertmanager/alertmanager.yml"))
                .replace("${ANDON_WEBHOOK_URL}", "http://127.0.0.1:9/alerts"));
        Files.createDirectories(dir.resolve("templates"));
        for (Path t : files(SERVER.resolve("alertmanager/templates"), ".tmpl")) Files.copy(t, dir.resolve("templates").resolve(t.getFileName()));
        Result check = run(dir, "amtool", "check-config", "alertmanager.yml");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("2 inhibit rules").contains("1 templates");
        assertThat(route(dir, "severity=critical", "alertname=DatabaseDown")).isEqualTo("oncall");
        assertThat(route(dir, "severity=warning", "alertname=DatabaseLockWaits")).isEqualTo("webhook");
        assertThat(route(dir, "severity=ticket", "alertname=ErrorBudgetBurnSlow")).isEqualTo("tickets");
        assertThat(Files.readString(SERVER.resolve("alertmanager/alertmanager.yml"))).as("no secret literal")
                .doesNotContainPattern("(?i)(password|secret|token)\\s*:\\s*['\"]?[^\\s'\"]+['\"]?\\s*$");
    }

    private static String route(Path dir, String... labels) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("amtool", "config", "routes", "test", "--config.file=alertmanager.yml"));
        cmd.addAll(List.of(labels));
        Result r = run(dir, cmd.toArray(String[]::new));
        return r.output().lines().filter(l -> !l.startsWith("Warning")).findFirst().orElse("").trim();
    }

    @Test
    void rsyslogValidatesTheShipperConfig() throws Exception {
        Path dir = Files.createTempDirectory("rs");
        Files.writeString(dir.resolve("shipper.conf"), Files.readString(SERVER.resolve("rsyslog/andon-shipper.conf"))
                .replace("${ANDON_LOG_GLOB}", dir + "/*.json").replace("${ANDON_PG_LOG_GLOB}", dir + "/postgresql-*")
                .replace("${ANDON_ES_HOST}", "127.0.0.1")
                .replace("${ANDON_ES_PORT}", "9200").replace("${ANDON_RSYSLOG_WORKDIR}", dir.toString())
                .replace("${ANDON_RSYSLOG_ERRORFILE}", dir + "/err.json"));
        Result r = run(dir, "/usr/sbin/rsyslogd", "-N1", "-f", "shipper.conf");
        assertThat(r.exit()).as(r.output()).isZero();
    }

    @Test
    void sqlHasNoPasswordLiteral() throws Exception {
        for (Path f : files(SERVER.resolve("postgres"), ".sql")) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContainPattern("(?i)password\\s+'");
        }
    }
}
