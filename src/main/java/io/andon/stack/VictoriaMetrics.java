package io.andon.stack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-node VictoriaMetrics (the Debian {@code victoria-metrics} package): where a site outgrows one
 * Prometheus, each plant's Prometheus remote-writes here and the console reads its Prometheus-compatible
 * query API. Extra flags (e.g. {@code -search.latencyOffset=5s}) are passed through; by default VictoriaMetrics
 * hides the newest 30 s of data, which the console's per-datasource staleness limit has to allow for.
 */
public final class VictoriaMetrics extends ProcessService {
    public static final String BIN = System.getProperty("andon.victoriametrics.bin", "/usr/bin/victoria-metrics");
    private final List<String> extraArgs;

    VictoriaMetrics(String name, Path dir, int port, List<String> extraArgs) {
        super(name, dir, port, Duration.ofSeconds(60));
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Where Prometheus {@code remote_write} sends samples. */
    public URI remoteWriteUri() {
        return URI.create(baseUri() + "/api/v1/write");
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(BIN,
                "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dir.resolve("data"),
                "-retentionPeriod=1d",
                "-loggerLevel=WARN"));
        cmd.addAll(extraArgs);
        return cmd;
    }

    @Override
    protected boolean ready() throws Exception {
        return httpStatus(URI.create(baseUri() + "/health")) == 200;
    }
}
