package io.andon.stack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Alertmanager with the project's src/server/alertmanager config; receivers pointed at the webhook sink. */
public final class Alertmanager extends ProcessService {
    public static final String BIN = System.getProperty("andon.alertmanager.bin", "/usr/bin/prometheus-alertmanager");
    private final Path configSource;
    private final Path templatesDir;
    private final String webhookUrl;
    private final List<Alertmanager> peers = new ArrayList<>();
    private final int clusterPort;

    Alertmanager(String name, Path dir, int port, Path configSource, Path templatesDir, String webhookUrl) {
        super(name, dir, port, Duration.ofSeconds(60));
        this.configSource = configSource;
        this.templatesDir = templatesDir;
        this.webhookUrl = webhookUrl;
        this.clusterPort = Ports.free();
    }

    /** Peers form an HA cluster (gossip on loopback), as sites run them. */
    void addPeer(Alertmanager peer) { peers.add(peer); }

    int clusterPort() { return clusterPort; }

    @Override
    protected void prepare() throws Exception {
        String cfg = Files.readString(configSource).replace("${ANDON_WEBHOOK_URL}", webhookUrl);
        Files.writeString(dir.resolve("alertmanager.yml"), cfg);
        if (security() != null) security().writeWebConfig(dir.resolve("web.yml"));
        if (Files.isDirectory(templatesDir)) {
            Path t = Files.createDirectories(dir.resolve("templates"));
            try (var s = Files.list(templatesDir)) {
                for (Path f : s.toList()) Files.copy(f, t.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(BIN, "--config.file=" + dir.resolve("alertmanager.yml"),
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.path=" + dir.resolve("data"),
                // silences reach the disk within a minute, not 15: a crash of the whole pair loses less (ChaosTest)
                "--data.maintenance-interval=1m",
                "--log.level=warn"));
        if (security() != null) cmd.add("--web.config.file=" + dir.resolve("web.yml"));
        // Gossip always listens (loopback only): a second instance created later joins this one without a
        // restart, and the pair then deduplicates notifications as an HA pair does at a site.
        cmd.add("--cluster.listen-address=127.0.0.1:" + clusterPort);
        cmd.add("--cluster.advertise-address=127.0.0.1:" + clusterPort);
        for (Alertmanager p : peers) cmd.add("--cluster.peer=127.0.0.1:" + p.clusterPort());
        return cmd;
    }

    @Override
    protected boolean ready() throws Exception {
        return httpStatus(URI.create(baseUri() + "/-/ready"), security() == null ? null : security().webAuthorization()) == 200;
    }
}
