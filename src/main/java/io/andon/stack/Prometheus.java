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
import java.util.Optional;
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
    private final String plant;
    private final Optional<URI> remoteWrite;

    Prometheus(Path dir, int port, Path serverDir, StackOptions options) {
        this("prometheus", dir, port, serverDir, options, "SH01", Optional.empty());
    }

    /**
     * One plant's Prometheus: its targets carry {@code plant=<plant>}; with {@code remoteWrite} it also sends
     * every sample (scraped, recorded, ALERTS) to a shared long-term store, labelled {@code site=<plant>} so that
     * the plants' recording-rule outputs (which aggregate the plant label away) stay apart there.
     */
    Prometheus(String name, Path dir, int port, Path serverDir, StackOptions options, String plant, Optional<URI> remoteWrite) {
        super(name, dir, port, Duration.ofSeconds(60));
        this.serverDir = serverDir;
        this.options = options;
        this.plant = plant;
        this.remoteWrite = remoteWrite;
    }

    public String plant() { return plant; }

    @Override
    protected void prepare() throws Exception {
        Path src = options.prometheusConfig().orElse(serverDir.resolve("prometheus/prometheus.yml"));
        ObjectNode cfg = (ObjectNode) YAML.readTree(src.toFile());
        ObjectNode global = cfg.has("global") ? (ObjectNode) cfg.get("global") : cfg.putObject("global");
        global.put("scrape_interval", options.scrapeInterval().toMillis() + "ms");
        global.put("evaluation_interval", options.evaluationInterval().toMillis() + "ms");
        if (options.scrapeInterval().toSeconds() < 10) global.put("scrape_timeout", options.scrapeInterval().toMillis() + "ms");
        if (remoteWrite.isPresent()) {
            // external labels only fill labels a series lacks: scraped series keep their own plant
            ObjectNode ext = global.has("external_labels") ? (ObjectNode) global.get("external_labels") : global.putObject("external_labels");
            ext.put("site", plant);
            ext.put("plant", plant);
            ObjectNode rw = cfg.putArray("remote_write").addObject();
            rw.put("url", remoteWrite.get().toString());
            // tests read the store seconds later: flush small batches quickly instead of the default 5 s
            rw.putObject("queue_config").put("batch_send_deadline", "1s");
        }
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
        if (security() != null) secure(cfg);
        YAML.writeValue(dir.resolve("prometheus.yml").toFile(), cfg);
        for (String job : List.of("prometheus", "alertmanager", "andon-exporter", "mes-app")) writeTargets(job, List.of());
        setTargets("prometheus", List.of("127.0.0.1:" + port));
    }

    /** Secured stack: writes web.config and the scrape password file again (after a password or CA rotation). */
    public void rewriteWebConfig() {
        try {
            security().writeWebConfig(dir.resolve("web.yml"));
            security().writeWebPasswordFile(dir.resolve("web-password"));
        } catch (IOException e) {
            throw new StackException("prometheus: cannot rewrite web.config: " + e.getMessage(), e);
        }
    }

    /**
     * Secured stack: Prometheus serves HTTPS with basic auth (web.config), so its self-scrape, the Alertmanager
     * scrape and the alert delivery to Alertmanager must speak HTTPS, trust the test CA and authenticate, as a
     * site's config does. The password comes from a file, not from prometheus.yml.
     */
    private void secure(ObjectNode cfg) throws IOException {
        StackSecurity sec = security();
        sec.writeWebConfig(dir.resolve("web.yml"));
        Path pw = sec.writeWebPasswordFile(dir.resolve("web-password"));
        java.util.function.Consumer<ObjectNode> https = n -> {
            n.put("scheme", "https");
            n.putObject("tls_config").put("ca_file", sec.pki().caCert().toString());
            n.putObject("basic_auth").put("username", StackSecurity.WEB_USER).put("password_file", pw.toString());
        };
        if (cfg.get("scrape_configs") instanceof ArrayNode jobs) {
            jobs.forEach(j -> {
                String job = j.path("job_name").asText();
                if (job.equals("prometheus") || job.equals("alertmanager")) https.accept((ObjectNode) j);
            });
        }
        if (cfg.path("alerting").get("alertmanagers") instanceof ArrayNode ams) ams.forEach(a -> https.accept((ObjectNode) a));
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
        Object body = hostPorts.isEmpty() ? List.of() : List.of(Map.of("targets", hostPorts, "labels", Map.of("plant", plant)));
        JSON.writeValue(tmp.toFile(), body);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new java.util.ArrayList<>(List.of(BIN, "--config.file=" + dir.resolve("prometheus.yml"),
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.path=" + dir.resolve("data"),
                // the SLO rules read 30 d windows: the default 15 d retention would silently halve them
                "--storage.tsdb.retention.time=35d",
                "--web.enable-lifecycle", "--web.enable-admin-api",
                // keeps the trace ids the simulated MES attaches to its histogram buckets (/api/v1/query_exemplars)
                "--enable-feature=exemplar-storage",
                "--log.level=warn"));
        if (security() != null) cmd.add("--web.config.file=" + dir.resolve("web.yml"));
        options.alertResendDelay().ifPresent(d -> cmd.add("--rules.alert.resend-delay=" + d.toMillis() + "ms"));
        // scrapes ask for protobuf, the only format that carries native histograms (Prometheus 2.40+; 3.x alike)
        if (options.nativeHistograms()) cmd.add("--enable-feature=native-histograms");
        return cmd;
    }

    @Override
    protected boolean ready() throws Exception {
        return httpStatus(URI.create(baseUri() + "/-/ready"), security() == null ? null : security().webAuthorization()) == 200;
    }

    /** Re-reads the rendered config and rules. */
    public void reload() {
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUri() + "/-/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
            if (security() != null) req.header("Authorization", security().webAuthorization());
            HttpResponse<String> r = (security() == null ? HTTP : security().client()).send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new StackException("prometheus: reload answered " + r.statusCode() + ": " + r.body());
        } catch (IOException e) {
            throw new StackException("prometheus: reload failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
