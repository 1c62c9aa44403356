package io.andon.stack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Elasticsearch 8.19 from the integ-test distribution the build unpacks. Single node, its own copy of the config
 * dir (the distribution may be read-only for the service user). Security off, or in a secured stack: xpack.security
 * with HTTPS (the test CA's server certificate), file-realm users {@link StackSecurity#ES_ADMIN} (superuser, for the
 * harness) and {@link StackSecurity#ES_READER} (read-only on mes-logs-*, for the console), API keys on request.
 */
public final class Elasticsearch extends ProcessService {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Elasticsearch.class);
    private Path home;
    private final int transportPort = Ports.free();
    // null: a single node (discovery.type=single-node); otherwise a member of this named cluster
    private final String clusterName;
    private final boolean masterEligible;
    private final List<Elasticsearch> members = new java.util.concurrent.CopyOnWriteArrayList<>();

    Elasticsearch(Path dir, int port, Path home) {
        this("elasticsearch", dir, port, home, null, true);
    }

    /**
     * A node of a multi-node cluster (scale-out tests): {@link #joinCluster} tells it every member before the
     * first start. Only master-eligible members bootstrap the cluster.
     */
    Elasticsearch(String name, Path dir, int port, Path home, String clusterName, boolean masterEligible) {
        // nodes start side by side and share the cores: 160-180 s each was measured on a loaded 2-core machine
        // andon.es.startSeconds: a longer wait where the machine is busier still (andon.sh screenshots next to a test run)
        super(name, dir, port, Duration.ofSeconds(Long.getLong("andon.es.startSeconds", clusterName == null ? 180 : 360)));
        this.home = home;
        this.clusterName = clusterName;
        this.masterEligible = masterEligible;
    }

    void joinCluster(List<Elasticsearch> all) {
        members.clear();
        members.addAll(all);
    }

    public int transportPort() { return transportPort; }

    public boolean isMasterEligible() { return masterEligible; }

    public static Path defaultHome() {
        String prop = System.getProperty("andon.es.home");
        if (prop != null) return Path.of(prop);
        Path cache = Path.of(System.getProperty("user.home"), ".cache/andon/es");
        if ("root".equals(System.getProperty("user.name"))) cache = Path.of("/var/cache/andon/es");
        try (var s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().startsWith("elasticsearch-")).findFirst().orElse(cache.resolve("elasticsearch-8.19.7"));
        } catch (Exception e) {
            return cache.resolve("elasticsearch-8.19.7");
        }
    }

    @Override
    protected void prepare() throws Exception {
        if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
            throw new StackException("elasticsearch: no distribution at " + home
                    + " (run `mvn generate-test-resources` to unpack it, or set -Dandon.es.home)");
        }
        if (!ServiceUser.canRead(home.resolve("lib"))) home = readableMirror(home);
        Path conf = Files.createDirectories(dir.resolve("config"));
        try (var s = Files.walk(home.resolve("config"))) {
            for (Path f : s.toList()) {
                Path to = conf.resolve(home.resolve("config").relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (security() != null) secureConfig(conf);
        // the stock jvm.options asks for GC logs under logs/ of the home; point them at our dir
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        ServiceUser.own(dir);
    }

    /**
     * Certificates are copied into the config dir (Elasticsearch reads TLS files only from there); users are
     * file-realm entries with bcrypt hashes, so no password is ever in a file in clear and no bootstrap call is
     * needed before the node answers.
     */
    private void secureConfig(Path conf) throws Exception {
        StackSecurity sec = security();
        Path certs = Files.createDirectories(conf.resolve("certs"));
        Files.copy(sec.pki().caCert(), certs.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(sec.pki().server().cert(), certs.resolve("http.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(sec.pki().server().key(), certs.resolve("http.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // Elasticsearch's bcrypt reads the $2a$ prefix; $2b$ is the same algorithm for these ASCII passwords
        Files.writeString(conf.resolve("users"),
                StackSecurity.ES_ADMIN + ":" + StackSecurity.bcrypt(sec.esAdminPassword()).replaceFirst("^\\$2[by]\\$", "\\$2a\\$") + "\n"
                + StackSecurity.ES_READER + ":" + StackSecurity.bcrypt(sec.esReaderPassword()).replaceFirst("^\\$2[by]\\$", "\\$2a\\$") + "\n");
        // the console's user also writes the operator journal (andon-journal-role.json next to the reader role)
        Path journalRole = readerRole.resolveSibling("andon-journal-role.json");
        Files.writeString(conf.resolve("users_roles"), "superuser:" + StackSecurity.ES_ADMIN + "\n"
                + StackSecurity.ES_READER_ROLE + ":" + StackSecurity.ES_READER + "\n"
                + (Files.isRegularFile(journalRole) ? StackSecurity.ES_JOURNAL_ROLE + ":" + StackSecurity.ES_READER + "\n" : ""));
        // the deployable role file (JSON is YAML too): the harness's reader has exactly what a site gives the console
        Files.writeString(conf.resolve("roles.yml"), StackSecurity.ES_READER_ROLE + ": " + Files.readString(readerRole).strip().replaceAll("\\s*\\n\\s*", " ") + "\n"
                + (Files.isRegularFile(journalRole) ? StackSecurity.ES_JOURNAL_ROLE + ": " + Files.readString(journalRole).strip().replaceAll("\\s*\\n\\s*", " ") + "\n" : ""));
    }

    private Path readerRole;

    /** src/server/elasticsearch/andon-reader-role.json: the console's role (secured stack). */
    void readerRole(Path file) { this.readerRole = file; }

    /** An API key as Elasticsearch returns it: {@code encoded} is what the console sends (base64 of id:key). */
    public record ApiKey(String id, String encoded) {}

    /** Creates an API key limited to the console's read-only role (secured stack only). */
    public ApiKey createApiKey(String name) {
        var body = JSON.createObjectNode().put("name", name).put("expiration", "1d");
        try {
            body.putObject("role_descriptors").set("andon_logs", JSON.readTree(readerRole.toFile()));
        } catch (java.io.IOException e) {
            throw new StackException("elasticsearch: cannot read " + readerRole + ": " + e.getMessage(), e);
        }
        try {
            var r = JSON.readTree(admin("POST", "/_security/api_key", body.toString()));
            return new ApiKey(r.path("id").asText(), r.path("encoded").asText());
        } catch (java.io.IOException e) {
            throw new StackException("elasticsearch: unreadable API key answer", e);
        }
    }

    /** Invalidates (revokes) an API key by id. */
    public void invalidateApiKey(String id) {
        admin("DELETE", "/_security/api_key", JSON.createObjectNode().set("ids", JSON.createArrayNode().add(id)).toString());
    }

    /**
     * A request as the harness's superuser (HTTPS with the test CA when secured): index setup and test documents.
     * Returns the body; a non-2xx answer fails with status and body (never with the credentials).
     */
    public String admin(String method, String path, String json) {
        var req = java.net.http.HttpRequest.newBuilder(URI.create(baseUri() + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofString(json));
        if (json != null) req.header("Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json");
        if (security() != null) req.header("Authorization", security().esAdminAuthorization());
        try {
            var r = (security() == null ? HTTP : security().client()).send(req.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new StackException("elasticsearch: " + method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            return r.body();
        } catch (java.io.IOException e) {
            throw new StackException("elasticsearch: " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("elasticsearch: interrupted", e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * As root the build unpacks into ~/.cache under /root, which the service user cannot traverse. Rather
     * than opening /root, mirror the distribution with hard links (same inodes, no extra space) under
     * /var/cache/andon, where it can.
     */
    private Path readableMirror(Path from) throws Exception {
        Path to = Path.of(System.getProperty("andon.es.mirror", "/var/cache/andon/es")).resolve(from.getFileName());
        if (Files.isExecutable(to.resolve("bin/elasticsearch")) && ServiceUser.canRead(to.resolve("lib"))) {
            log.info("elasticsearch: {} is not readable by '{}'; using the mirror {}", from, ServiceUser.NAME, to);
            return to;
        }
        Files.createDirectories(to.getParent());
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        boolean copied = ServiceUser.exec(List.of("cp", "-al", from.toString(), tmp.toString())) == 0
                || ServiceUser.exec(List.of("cp", "-a", from.toString(), tmp.toString())) == 0;
        if (!copied || ServiceUser.exec(List.of("chmod", "-R", "o+rX", tmp.toString())) != 0) {
            throw new StackException("elasticsearch: " + from + " is not readable by the service user '" + ServiceUser.NAME
                    + "' and mirroring it to " + to + " failed; unpack it somewhere that user can read (-Dandon.es.home)");
        }
        ServiceUser.exec(List.of("chmod", "o+rx", to.getParent().toString()));
        if (!Files.exists(to)) Files.move(tmp, to);
        else ServiceUser.exec(List.of("rm", "-rf", tmp.toString())); // another JVM won the race
        if (!ServiceUser.canRead(to.resolve("lib"))) {
            throw new StackException("elasticsearch: mirrored to " + to + " but '" + ServiceUser.NAME + "' still cannot read it");
        }
        log.warn("elasticsearch: {} is not readable by '{}'; mirrored it (hard links) to {}", from, ServiceUser.NAME, to);
        return to;
    }

    public Path home() { return home; }

    @Override
    protected List<String> command() {
        List<String> cmd = new java.util.ArrayList<>(List.of(home.resolve("bin/elasticsearch").toString()));
        if (clusterName == null) {
            cmd.addAll(List.of("-E", "discovery.type=single-node"));
        } else {
            cmd.addAll(List.of("-E", "cluster.name=" + clusterName,
                    "-E", "node.name=" + name,
                    "-E", "discovery.seed_hosts=" + String.join(",", members.stream().map(m -> "127.0.0.1:" + m.transportPort).toList()),
                    "-E", "cluster.initial_master_nodes=" + String.join(",", members.stream().filter(m -> m.masterEligible).map(Elasticsearch::name).toList()),
                    "-E", "node.roles=" + (masterEligible ? "master,data,ingest" : "data,ingest")));
        }
        cmd.addAll(List.of(
                "-E", "xpack.ml.enabled=false",
                "-E", "network.host=127.0.0.1",
                "-E", "http.port=" + port,
                "-E", "transport.port=" + transportPort,
                "-E", "path.data=" + dir.resolve("data"),
                "-E", "path.logs=" + dir.resolve("logs"),
                "-E", "cluster.routing.allocation.disk.threshold_enabled=false",
                "-E", "action.destructive_requires_name=false"));
        if (security() == null) {
            cmd.addAll(List.of("-E", "xpack.security.enabled=false"));
        } else {
            // paths relative to the config dir; transport TLS too, as a node with security on expects
            for (String layer : List.of("http", "transport")) {
                cmd.addAll(List.of("-E", "xpack.security." + layer + ".ssl.enabled=true",
                        "-E", "xpack.security." + layer + ".ssl.certificate=certs/http.crt",
                        "-E", "xpack.security." + layer + ".ssl.key=certs/http.key",
                        "-E", "xpack.security." + layer + ".ssl.certificate_authorities=certs/ca.crt"));
            }
            cmd.addAll(List.of("-E", "xpack.security.enabled=true",
                    "-E", "xpack.security.transport.ssl.verification_mode=certificate",
                    "-E", "xpack.security.authc.api_key.enabled=true"));
        }
        return ServiceUser.wrap(cmd);
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("ES_JAVA_HOME", System.getProperty("java.home"),
                "ES_PATH_CONF", dir.resolve("config").toString(),
                "ES_TMPDIR", dir.resolve("tmp").toString(),
                "ES_JAVA_OPTS", "-Xms512m -Xmx512m -XX:-HeapDumpOnOutOfMemoryError");
    }

    @Override
    protected boolean ready() throws Exception {
        return httpStatus(URI.create(baseUri() + "/_cluster/health?wait_for_status=yellow&timeout=1s"),
                security() == null ? null : security().esAdminAuthorization()) == 200;
    }
}
