package io.andon.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The log shipper of the server bundle: a private rsyslogd with src/server/rsyslog/andon-shipper.conf. */
public final class Shipper extends ProcessService {
    public static final String BIN = System.getProperty("andon.rsyslogd.bin", "/usr/sbin/rsyslogd");
    private final Path configSource;
    private final String logGlob;
    private final Elasticsearch es;

    Shipper(Path dir, Path configSource, String logGlob, Elasticsearch es) {
        super("shipper", dir, 0, Duration.ofSeconds(30));
        this.configSource = configSource;
        this.logGlob = logGlob;
        this.es = es;
    }

    public Path errorFile() { return dir.resolve("es-errors.json"); }

    @Override
    protected void prepare() throws Exception {
        Files.createDirectories(dir.resolve("work"));
        String cfg = Files.readString(configSource)
                .replace("${ANDON_LOG_GLOB}", logGlob)
                .replace("${ANDON_ES_HOST}", "127.0.0.1")
                .replace("${ANDON_ES_PORT}", String.valueOf(es.port()))
                .replace("${ANDON_RSYSLOG_WORKDIR}", dir.resolve("work").toString())
                .replace("${ANDON_RSYSLOG_ERRORFILE}", errorFile().toString());
        Files.writeString(dir.resolve("andon-shipper.conf"), cfg);
    }

    @Override
    protected List<String> command() {
        Path pid = dir.resolve("rsyslogd.pid");
        return List.of(BIN, "-n", "-f", dir.resolve("andon-shipper.conf").toString(), "-i", pid.toString());
    }

    @Override
    protected boolean ready() {
        return Files.exists(dir.resolve("rsyslogd.pid"));
    }

    @Override
    public java.net.URI baseUri() { return es.baseUri(); }
}
