package io.andon.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The log shipper of the server bundle: a private rsyslogd with src/server/rsyslog/andon-shipper.conf. */
public final class Shipper extends ProcessService {
    public static final String BIN = System.getProperty("andon.rsyslogd.bin", "/usr/sbin/rsyslogd");
    private final Path configSource;
    private final String logGlob;
    private final String pgLogGlob;
    private final Elasticsearch es;

    Shipper(Path dir, Path configSource, String logGlob, String pgLogGlob, Elasticsearch es) {
        super("shipper", dir, 0, Duration.ofSeconds(30));
        this.configSource = configSource;
        this.logGlob = logGlob;
        this.pgLogGlob = pgLogGlob;
        this.es = es;
    }

    /** The PostgreSQL server log files this shipper tails as service mes-database. */
    public String pgLogGlob() { return pgLogGlob; }

    public Path errorFile() { return dir.resolve("es-errors.json"); }

    @Override
    protected void prepare() throws Exception {
        Files.createDirectories(dir.resolve("work"));
        String cfg = render(Files.readString(configSource), Map.of(
                "ANDON_LOG_GLOB", logGlob,
                "ANDON_PG_LOG_GLOB", pgLogGlob,
                "ANDON_ES_HOST", "127.0.0.1",
                "ANDON_ES_PORT", String.valueOf(es.port()),
                "ANDON_RSYSLOG_WORKDIR", dir.resolve("work").toString(),
                "ANDON_RSYSLOG_ERRORFILE", errorFile().toString()));
        Path conf = dir.resolve("andon-shipper.conf");
        Files.writeString(conf, cfg);
        check(conf, logFile());
    }

    /**
     * Fills the ${ANDON_...} placeholders; one left over (outside comments) is a template the harness does
     * not know, which rsyslog would take literally and ship nowhere.
     */
    static String render(String template, Map<String, String> values) {
        String out = template;
        for (var e : values.entrySet()) out = out.replace("${" + e.getKey() + "}", e.getValue());
        for (String line : out.lines().toList()) {
            Matcher m = PLACEHOLDER.matcher(line);
            if (!line.strip().startsWith("#") && m.find()) {
                throw new StackException("shipper: unknown placeholder ${" + m.group(1) + "} in the rsyslog config: " + line.strip());
            }
        }
        return out;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(ANDON_[A-Z0-9_]+)}");

    /** rsyslogd starts with a broken config and just logs errors: validate first so a bad config fails now. */
    static void check(Path conf, Path log) throws Exception {
        List<String> cmd = List.of(BIN, "-N1", "-f", conf.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new StackException("shipper: config check did not finish in 30 s\ncommand: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new StackException("shipper: rsyslog rejected " + conf + " (exit " + p.exitValue() + ")\ncommand: " + String.join(" ", cmd)
                    + "\n--- last lines of " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
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
