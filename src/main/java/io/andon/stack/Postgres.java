package io.andon.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * PostgreSQL 15 in a private data directory: pg_stat_statements preloaded, database {@code mes} with the
 * project's SQL (src/server/postgres/*.sql, in file-name order) applied on first start.
 */
public final class Postgres extends ProcessService {
    public static final String BIN = System.getProperty("andon.pg.bin", "/usr/lib/postgresql/15/bin");
    public static final String DATABASE = "mes";
    public static final String MONITOR_ROLE = "andon_monitor";
    /** The bundle's postgresql.conf fragment (src/server/postgres/andon-logging.conf). */
    public static final String LOGGING_CONF = "andon-logging.conf";
    /**
     * The demo's slow-statement threshold: the sites' 1000 ms would log nothing of the slow-queries scenario
     * (0.7 s statements); 500 ms does, while the load generator's ordinary statements (a few ms) stay out.
     */
    public static final int DEMO_SLOW_STATEMENT_MS = 500;

    private final Path sqlDir;
    private final String superPassword = randomSecret();
    private final String monitorPassword = randomSecret();
    private boolean initialized;

    Postgres(Path dir, int port, Path sqlDir) {
        super("postgres", dir, port, Duration.ofSeconds(60));
        this.sqlDir = sqlDir;
    }

    public String superUser() { return "postgres"; }
    public String superPassword() { return superPassword; }
    public String monitorUser() { return MONITOR_ROLE; }
    public String monitorPassword() { return monitorPassword; }
    public String jdbcUrl() { return jdbcUrl(DATABASE); }
    public String jdbcUrl(String db) { return "jdbc:postgresql://127.0.0.1:" + port + "/" + db; }

    public Connection connect() throws SQLException { return connect(DATABASE); }

    public Connection connect(String db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", superUser());
        p.setProperty("password", superPassword);
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(db), p);
    }

    /** Where the server log goes (jsonlog, the bundle's andon-logging.conf): postgresql-*.json, rotated. */
    public Path logDir() { return dir.resolve("log"); }

    /** The shipper's glob for {@link #logDir()}: the .json files and the .log file of non-JSON stderr output. */
    public String logGlob() { return logDir() + "/postgresql-*"; }

    @Override
    protected void prepare() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(logDir());
        // the bundle's logging fragment, copied where the service user can read it (the checkout may not be)
        Path fragment = sqlDir.resolve(LOGGING_CONF);
        if (Files.isRegularFile(fragment)) Files.copy(fragment, dir.resolve(LOGGING_CONF), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(data.resolve("PG_VERSION"))) return;
        Files.createDirectories(dir.resolve("run"));
        Path pw = dir.resolve("pwfile");
        Files.writeString(pw, superPassword + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        ServiceUser.own(dir);
        List<String> initdb = ServiceUser.wrap(List.of(BIN + "/initdb", "-D", data.toString(), "-U", superUser(),
                "--pwfile=" + pw, "--auth-host=scram-sha-256", "--auth-local=peer", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync"));
        Process p = new ProcessBuilder(initdb).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
        if (p.waitFor() != 0) throw new StackException("postgres: initdb failed\n" + tail(30));
        Files.deleteIfExists(pw);
        // as a site does it: one include line in its postgresql.conf; the harness's -c values below still win
        if (Files.exists(dir.resolve(LOGGING_CONF))) {
            Files.writeString(data.resolve("postgresql.conf"), "\ninclude '" + dir.resolve(LOGGING_CONF) + "'\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    @Override
    protected List<String> command() {
        return ServiceUser.wrap(List.of(BIN + "/postgres", "-D", dir.resolve("data").toString(),
                "-p", String.valueOf(port), "-k", dir.resolve("run").toString(),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "shared_preload_libraries=pg_stat_statements",
                "-c", "pg_stat_statements.track=all",
                "-c", "track_io_timing=on",
                "-c", "max_connections=200",
                // test data, not a ledger: durability traded for speed
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                // the bundle's logging (andon-logging.conf, included) with the demo's directory and threshold
                "-c", "log_directory=" + logDir(),
                // rotation (1 d, 100 MB) stays the fragment's: a -c value would override ALTER SYSTEM, which the
                // rotation test uses to rotate by size in seconds
                "-c", "log_min_duration_statement=" + DEMO_SLOW_STATEMENT_MS));
    }

    @Override
    protected boolean ready() throws Exception {
        try (Connection c = connect("postgres")) {
            // connected: the server is up
        } catch (SQLException e) {
            return false;
        }
        // outside the catch above: a failing schema must fail the start now, not look like "not up yet"
        if (!initialized) {
            try {
                initialize();
            } catch (SQLException e) {
                throw new StackException("postgres: initializing database " + DATABASE + " failed: " + e.getMessage()
                        + "\n--- last lines of " + logFile() + " ---\n" + tail(40), e);
            }
        }
        return true;
    }

    private void initialize() throws SQLException, IOException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                try (Statement create = c.createStatement()) {
                    create.execute("CREATE DATABASE " + DATABASE);
                }
            }
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            if (Files.isDirectory(sqlDir)) {
                List<Path> files;
                try (Stream<Path> list = Files.list(sqlDir)) {
                    files = list.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
                }
                for (Path f : files) {
                    try {
                        s.execute(Files.readString(f));
                    } catch (SQLException e) {
                        throw new StackException("postgres: applying " + f + " failed: " + e.getMessage(), e);
                    }
                }
            }
            // Role passwords never live in SQL files: the harness sets a fresh one per run.
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + MONITOR_ROLE + "'")) {
                if (rs.next()) {
                    try (Statement alter = c.createStatement()) {
                        alter.execute("ALTER ROLE " + MONITOR_ROLE + " LOGIN PASSWORD '" + monitorPassword + "'");
                    }
                }
            }
        }
        initialized = true;
    }

    @Override
    protected void gracefulStop() {
        if (!isRunning()) return;
        List<String> cmd = ServiceUser.wrap(List.of(BIN + "/pg_ctl", "stop", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "-t", "20"));
        ServiceUser.exec(cmd);
        super.gracefulStop();
    }

    static String randomSecret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
