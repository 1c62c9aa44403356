package io.andon.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Prometheus rendered from the project's own src/server/prometheus/prometheus.yml and rules/*.yml: the
 * harness only shortens intervals (and, for end-to-end alert tests, every rule's {@code for:}) and writes
 * the file_sd target files.
 */
public final class Prometheus extends ProcessService {
    public static final String BIN = System.getProperty("andon.prometheus.bin", "/usr/bin/prometheus");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path serverDir;
    private final StackOptions options;
    private final Map<String, List<String>> targets = new ConcurrentHashMap<>();

    Prometheus(Path dir, int port, Path serverDir, StackOptions options) {
        super("prometheus", dir, port, Duration.ofSeconds(60));
        this.serverDir = serverDir;
        this.options = options;
    }

    @Override
    protected void prepare() throws Exception {
        Path src = options.prometheusConfig().orElse(serverDir.resolve("prometheus/prometheus.yml"));
        ObjectNode cfg = (ObjectNode) YAML.readTree(src.toFile());
        ObjectNode global = cfg.has("global") ? (ObjectNode) cfg.get("global") : cfg.putObject("global");
        global.put("scrape_interval", options.scrapeInterval().toMillis() + "ms");
        global.put("evaluation_interval", options.evaluationInterval().toMillis() + "ms");
        if (options.scrapeInterval().toSeconds() < 10) global.put("scrape_timeout", options.scrapeInterval().toMillis() + "ms");
        Files.createDirectories(dir.resolve("rules"));
        Files.createDirectories(dir.resolve("targets"));
        Path rules = serverDir.resolve("prometheus/rules");
        if (Files.isDirectory(rules)) {
            try (Stream<Path> list = Files.list(rules)) {
                for (Path f : list.filter(p -> p.toString().endsWith(".yml")).toList()) {
                    copyRules(f, dir.resolve("rules").resolve(f.getFileName()));
                }
            }
        }
        for (Path extra : options.extraRuleFiles()) copyRules(extra, dir.resolve("rules").resolve(extra.getFileName()));
        YAML.writeValue(dir.resolve("prometheus.yml").toFile(), cfg);
        for (String job : List.of("prometheus", "alertmanager", "andon-exporter", "mes-app")) writeTargets(job, List.of());
        setTargets("prometheus", List.of("127.0.0.1:" + port));
    }

    private void copyRules(Path from, Path to) throws IOException {
        if (options.ruleForOverride().isEmpty()) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        ObjectNode doc = (ObjectNode) YAML.readTree(from.toFile());
        String forValue = options.ruleForOverride().get().toMillis() + "ms";
        if (doc.get("groups") instanceof ArrayNode groups) {
            groups.forEach(g -> {
                if (g.get("rules") instanceof ArrayNode rs) {
                    rs.forEach(r -> {
                        if (r.has("alert") && r.has("for")) ((ObjectNode) r).put("for", forValue);
                    });
                }
            });
        }
        YAML.writeValue(to.toFile(), doc);
    }

    @Override
    protected void portChanged() {
        setTargets("prometheus", List.of("127.0.0.1:" + port));
    }

    /** Points a scrape job (file_sd) at these host:port targets; Prometheus picks the file up by itself. */
    public void setTargets(String job, List<String> hostPorts) {
        targets.put(job, List.copyOf(hostPorts));
        try {
            writeTargets(job, hostPorts);
        } catch (IOException e) {
            throw new StackException("prometheus: cannot write targets for " + job + ": " + e.getMessage(), e);
        }
    }

    private void writeTargets(String job, List<String> hostPorts) throws IOException {
        Path file = dir.resolve("targets").resolve(job + ".json");
        Path tmp = file.resolveSibling(job + ".json.tmp");
        Object body = hostPorts.isEmpty() ? List.of() : List.of(Map.of("targets", hostPorts, "labels", Map.of("plant", "SH01")));
        JSON.writeValue(tmp.toFile(), body);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new java.util.ArrayList<>(List.of(BIN, "--config.file=" + dir.resolve("prometheus.yml"),
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.enable-lifecycle", "--web.enable-admin-api",
                "--log.level=warn"));
        options.alertResendDelay().ifPresent(d -> cmd.add("--rules.alert.resend-delay=" + d.toMillis() + "ms"));
        return cmd;
    }

    @Override
    protected boolean ready() throws Exception {
        return httpStatus(URI.create(baseUri() + "/-/ready")) == 200;
    }

    /** Re-reads the rendered config and rules. */
    public void reload() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUri() + "/-/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new StackException("prometheus: reload answered " + r.statusCode() + ": " + r.body());
        } catch (IOException e) {
            throw new StackException("prometheus: reload failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
