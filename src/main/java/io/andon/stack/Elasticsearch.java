package io.andon.stack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Elasticsearch 8.19 from the integ-test distribution the build unpacks. Single node, security off,
 * its own copy of the config dir (the distribution may be read-only for the service user).
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
        super(name, dir, port, Duration.ofSeconds(180));
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
        // the stock jvm.options asks for GC logs under logs/ of the home; point them at our dir
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        ServiceUser.own(dir);
    }

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
                "-E", "xpack.security.enabled=false",
                "-E", "xpack.ml.enabled=false",
                "-E", "network.host=127.0.0.1",
                "-E", "http.port=" + port,
                "-E", "transport.port=" + transportPort,
                "-E", "path.data=" + dir.resolve("data"),
                "-E", "path.logs=" + dir.resolve("logs"),
                "-E", "cluster.routing.allocation.disk.threshold_enabled=false",
                "-E", "action.destructive_requires_name=false"));
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
        return httpStatus(URI.create(baseUri() + "/_cluster/health?wait_for_status=yellow&timeout=1s")) == 200;
    }
}
