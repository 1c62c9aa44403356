package io.andon.server.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.andon.logs.LogClient;
import io.andon.logs.LogHit;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.stack.Elasticsearch;
import io.andon.stack.JavaService;
import io.andon.stack.Postgres;
import io.andon.stack.Shipper;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PostgreSQL server log (jsonlog, src/server/postgres/andon-logging.conf) through the real rsyslog shipper into
 * the real Elasticsearch as service mes-database: the simulated MES's slow-queries and lock-contention scenarios,
 * a deadlock, a rotation in the middle of a burst (counted), bound values that must never be shipped, and a line
 * that is not JSON. Figures (lines per scenario, log write -> searchable) are printed for the closing notes.
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseLogTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bound for a line to become searchable: shipper poll + bulk + the template's 5 s refresh, with margin. */
    private static final Duration ARRIVAL = Duration.ofSeconds(45);

    private static Stack stack;
    private static Elasticsearch es;
    private static Postgres pg;
    private static Shipper shipper;
    private static JavaService mes;

    @BeforeAll
    static void start(Stack s) throws Exception {
        stack = s;
        es = s.elasticsearch();
        String template = Files.readString(ServerConfigTest.SERVER.resolve("elasticsearch/mes-logs-template.json"));
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_index_template/mes-logs"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(template)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        pg = s.postgres();
        // PostgreSQL and Elasticsearch run in parallel to the MES start-up
        CompletableFuture<JavaService> m = CompletableFuture.supplyAsync(() -> s.mes("--seed"));
        shipper = s.shipper();
        mes = m.join();
    }

    @Test
    @Order(1)
    void theHarnessPostgresLogsAsTheBundleSays() throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            Map<String, String> want = Map.of("logging_collector", "on", "log_destination", "jsonlog",
                    "log_parameter_max_length", "0", "log_parameter_max_length_on_error", "0", "log_lock_waits", "on",
                    "log_connections", "on", "log_disconnections", "on", "log_checkpoints", "on", "log_temp_files", "0",
                    "log_min_error_statement", "error");
            for (var e : want.entrySet()) {
                try (var rs = st.executeQuery("SELECT current_setting('" + e.getKey() + "')")) {
                    rs.next();
                    assertThat(rs.getString(1)).as(e.getKey()).isEqualTo(e.getValue());
                }
            }
            try (var rs = st.executeQuery("SELECT setting, source FROM pg_settings WHERE name = 'log_rotation_age'")) {
                rs.next();
                assertThat(rs.getString(1)).as("from the included fragment: 1 d in minutes").isEqualTo("1440");
                assertThat(rs.getString(2)).isEqualTo("configuration file");
            }
            try (var rs = st.executeQuery("SELECT pg_current_logfile('jsonlog')")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith(pg.logDir().toString()).endsWith(".json");
            }
        }
    }

    /** slow-queries: the 0.7 s statements of the mes-load session, with duration and statement parsed out. */
    @Test
    @Order(2)
    void slowQueriesScenarioLinesArriveParsed() throws Exception {
        Instant from = Instant.now();
        scenario("slow-queries");
        try {
            Thread.sleep(4_000);
        } finally {
            scenario("normal");
        }
        Instant to = Instant.now();
        String q = window(from, to, "{\"match_phrase\":{\"statement\":\"andon_sim_slow\"}}");
        // counted by the line's own time, the field the shipper makes @timestamp: a statement still running when the
        // scenario stops logs its duration after `to`, so it is in the file but rightly outside the searched window
        long written = countInFiles(l -> l.contains("andon_sim_slow") && l.contains("\"message\":\"duration: ")
                && loggedWithin(l, from.minusSeconds(1), to), from);
        assertThat(written).as("slow statements in PostgreSQL's own log files").isGreaterThanOrEqualTo(2);
        long shipped = awaitCount(q, written);
        assertThat(shipped).as("each slow statement shipped once").isEqualTo(written);
        JsonNode doc = search(q, 1).get(0).path("_source");
        assertThat(doc.path("service").asText()).isEqualTo("mes-database");
        assertThat(doc.path("application_name").asText()).isEqualTo("mes-load");
        assertThat(doc.path("user").path("name").asText()).isEqualTo("postgres");
        assertThat(doc.path("db").path("name").asText()).isEqualTo("mes");
        assertThat(doc.path("log").path("level").asText()).isEqualTo("LOG");
        assertThat(doc.path("level").asText()).isEqualTo("INFO");
        assertThat(doc.path("client").path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(doc.path("process").asLong()).isPositive();
        assertThat(doc.path("duration_ms").asDouble()).isBetween(700.0, 10_000.0);
        assertThat(doc.path("statement").asText()).startsWith("SELECT pg_sleep(0.7) AS andon_sim_slow");
        assertThat(doc.path("message").asText()).startsWith("duration: ");
        // typed: the console's duration range filter and "slowest first" sort
        assertThat(count(window(from, to, "{\"range\":{\"duration_ms\":{\"gte\":700}}}"))).isGreaterThanOrEqualTo(shipped);
        System.out.printf("FIGURE slow-queries: %d slow-statement lines in 4 s shipped (%d database lines of any kind in the window)%n",
                shipped, count(window(from, Instant.now(), null)));

        // the console's query: service mes-database, duration range, slowest first, paged with search_after
        try (LogClient client = new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30))))) {
            LogQuery all = new LogQuery(LogQuery.DEFAULT_INDEX, from.minusSeconds(1), Instant.now(), "",
                    Map.of("service", List.of(LogQuery.DATABASE_SERVICE)), Map.of(), false).withOrder(LogQuery.Order.SLOWEST);
            LogClient.Page first = client.search(all, null, 2);
            assertThat(first.hits()).hasSize(2);
            List<LogHit> seen = new ArrayList<>(first.hits());
            for (LogClient.Page p = first; p.next() != null && seen.size() < 10_000; ) {
                p = client.search(all, p.next(), 50);
                seen.addAll(p.hits());
            }
            assertThat(seen).hasSize((int) first.total());
            assertThat(new HashSet<>(seen.stream().map(LogHit::id).toList())).hasSize(seen.size());
            List<Double> durations = seen.stream().map(h -> h.fields().get("duration_ms"))
                    .map(v -> v == null ? -1.0 : Double.parseDouble(String.valueOf(v))).toList();
            assertThat(durations).as("slowest first, lines without a duration last").isSortedAccordingTo(java.util.Comparator.reverseOrder());
            assertThat(durations.getFirst()).isGreaterThanOrEqualTo(700.0);
            LogClient.Page ranged = client.search(all.withDuration(500.0, 60_000.0), null, 100);
            assertThat(ranged.total()).as("the slow-queries lines and any other slow statement of the window").isGreaterThanOrEqualTo(shipped)
                    .isEqualTo(count(window(all.from().plusSeconds(1), all.to(), "{\"range\":{\"duration_ms\":{\"gte\":500,\"lte\":60000}}}")));
            assertThat(ranged.hits()).allSatisfy(h -> assertThat(Double.parseDouble(h.fields().get("duration_ms").toString())).isBetween(500.0, 60_000.0));
            ranged.hits().forEach(h -> System.out.println("slow line: " + h.fields().get("duration_ms") + " ms " + h.fields().get("application_name") + " " + h.message()));
            assertThat(client.search(all.withDuration(60_000.0, null), null, 10).total()).isZero();
        }
    }

    /** lock-contention: "still waiting" after deadlock_timeout, then the waiter's lock timeout with its statement. */
    @Test
    @Order(3)
    void lockContentionScenarioAndADeadlockArriveParsed() throws Exception {
        Instant from = Instant.now();
        scenario("lock-contention");
        try {
            Thread.sleep(3_000);
        } finally {
            scenario("normal");
        }
        // the scenario's own deadlock (two mes-load sessions, opposite order)
        String scenarioDeadlock = window(from, Instant.now().plusSeconds(10), "{\"term\":{\"sqlstate\":\"40P01\"}},"
                + "{\"term\":{\"application_name\":\"mes-load\"}}");
        awaitCount(scenarioDeadlock, 1);
        assertThat(search(scenarioDeadlock, 1).get(0).path("_source").path("detail").asText()).contains("Process").contains("blocked by process");
        String waiting = window(from, Instant.now().plusSeconds(10), "{\"exists\":{\"field\":\"lock_wait_ms\"}}");
        awaitCount(waiting, 1);
        JsonNode w = search(waiting, 1).get(0).path("_source");
        assertThat(w.path("message").asText()).matches("process \\d+ (still waiting|acquired) .* after [0-9.]+ ms");
        assertThat(w.path("lock_wait_ms").asDouble()).isGreaterThanOrEqualTo(1000.0);
        assertThat(w.path("application_name").asText()).isEqualTo("mes-load");
        assertThat(w.path("statement").asText()).contains("FOR UPDATE");

        // a deadlock of two sessions of this test: ERROR 40P01 with the statement that lost
        Instant dl = Instant.now();
        try (Connection a = connect("andon-dblog-test"); Connection b = connect("andon-dblog-test")) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            try (Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
                sa.execute("SELECT 1 FROM mes_core.equipment WHERE equipment_id = 190 FOR UPDATE");
                sb.execute("SELECT 1 FROM mes_core.equipment WHERE equipment_id = 191 FOR UPDATE");
                // the victim rolls back at once: its locks go and the other session gets its row
                CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> lockOrRollback(a, sa, 191));
                Thread.sleep(300);
                String second = lockOrRollback(b, sb, 190);
                assertThat(List.of(first.get(30, java.util.concurrent.TimeUnit.SECONDS), second))
                        .containsExactlyInAnyOrder("40P01", "ok");
            } finally {
                a.rollback();
                b.rollback();
            }
        }
        String deadlock = window(dl, Instant.now().plusSeconds(10), "{\"term\":{\"sqlstate\":\"40P01\"}}");
        awaitCount(deadlock, 1);
        JsonNode d = search(deadlock, 1).get(0).path("_source");
        assertThat(d.path("level").asText()).isEqualTo("ERROR");
        assertThat(d.path("log").path("level").asText()).isEqualTo("ERROR");
        assertThat(d.path("message").asText()).isEqualTo("deadlock detected");
        assertThat(d.path("statement").asText()).contains("FOR UPDATE");
        assertThat(d.path("application_name").asText()).isEqualTo("andon-dblog-test");
        System.out.printf("FIGURE lock-contention: %d lock-wait lines, %d deadlock line(s) of the scenario, %d database lines in 3 s + stop; "
                + "the test's own deadlock: %d line(s)%n", count(waiting), count(scenarioDeadlock), count(window(from, dl, null)), count(deadlock));
    }

    /**
     * 2 000 logged statements while PostgreSQL rotates by size (256 kB) and once by pg_rotate_logfile(): every
     * one arrives exactly once. Also measures log write -> searchable for the last line.
     */
    @Test
    @Order(4)
    void aRotationInTheMiddleOfABurstLosesAndDoublesNothing() throws Exception {
        int n = 2_000;
        String run = "burst" + UUID.randomUUID().toString().replace("-", "");
        long filesBefore = pgJsonFiles();
        Instant from = Instant.now();
        try (Connection admin = pg.connect(); Statement as = admin.createStatement()) {
            as.execute("ALTER SYSTEM SET log_rotation_size = '256kB'");
            as.execute("SELECT pg_reload_conf()");
            try (Connection c = connect("andon-dblog-test"); Statement st = c.createStatement()) {
                st.execute("SET log_min_duration_statement = 0");
                for (int i = 0; i < n; i++) {
                    // simple protocol (connect()): one "duration: ... statement: ..." line per statement, padded
                    // to ~0.4 kB so the burst crosses the size limit several times
                    st.execute("SELECT '" + run + "-" + i + "' AS marker, '" + "x".repeat(300) + "' AS pad");
                    if (i == n / 2) as.execute("SELECT pg_rotate_logfile()");
                    // spread over ~4 s: file names carry the second, and rotations within one second append
                    // to the same file (no truncation: log_truncate_on_rotation applies to age rotation only)
                    if (i % 100 == 99) Thread.sleep(130);
                }
            }
        } finally {
            try (Connection admin = pg.connect(); Statement as = admin.createStatement()) {
                as.execute("ALTER SYSTEM RESET log_rotation_size");
                as.execute("SELECT pg_reload_conf()");
            }
        }
        Instant lastWrite = Instant.now();
        long rotations = pgJsonFiles() - filesBefore;
        assertThat(rotations).as("new log files during the burst (size + explicit rotation)").isGreaterThanOrEqualTo(3);
        String q = window(from, Instant.now().plusSeconds(60), "{\"match_phrase\":{\"statement\":\"" + run + "\"}}");
        long t0 = System.nanoTime();
        long shipped = awaitCount(q, n);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(shipped).isEqualTo(n);
        // exactly once each: every marker 0..n-1 seen, none twice
        List<String> markers = new ArrayList<>();
        for (JsonNode h : search(q, n)) {
            var mm = java.util.regex.Pattern.compile(run + "-(\\d+)").matcher(h.path("_source").path("statement").asText());
            assertThat(mm.find()).isTrue();
            markers.add(mm.group(1));
        }
        Set<String> distinct = new HashSet<>(markers);
        assertThat(markers).hasSize(n);
        assertThat(distinct).hasSize(n);
        System.out.printf("FIGURE rotation: %d lines over %d new files (256 kB size rotation + 1 pg_rotate_logfile), shipped %d, "
                + "distinct %d; last line searchable %d ms after the burst ended%n", n, rotations, shipped, distinct.size(), ms);
        System.out.printf("FIGURE delay: burst of %d lines written in %d ms, all searchable %d ms after the last write%n",
                n, Duration.between(from, lastWrite).toMillis(), ms);
    }

    /** A slow statement, a type error and a unique violation, each with the secret bound: none of it shipped. */
    @Test
    @Order(5)
    void boundValuesNeverReachElasticsearch() throws Exception {
        String secret = "sk_live_" + UUID.randomUUID().toString().replace("-", "");
        Instant from = Instant.now();
        try (Connection c = connect("andon-dblog-secret", "extended")) {
            try (Statement st = c.createStatement()) {
                st.execute("SET log_min_duration_statement = 0");
                st.execute("CREATE TEMP TABLE andon_secret_test (k text PRIMARY KEY)");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(0.05), length(?::text) AS andon_secret_probe")) {
                ps.setString(1, secret);
                ps.executeQuery().close();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int AS andon_secret_probe")) {
                ps.setString(1, secret);
                assertThatThrownBy(() -> ps.executeQuery().close()).isInstanceOf(SQLException.class);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO andon_secret_test (k) VALUES (?)")) {
                ps.setString(1, secret);
                ps.executeUpdate();
                assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class);
            }
        }
        String mine = window(from, Instant.now().plusSeconds(60), "{\"term\":{\"application_name\":\"andon-dblog-secret\"}}");
        awaitCount(window(from, Instant.now().plusSeconds(60), "{\"term\":{\"sqlstate\":\"23505\"}}"), 1);
        awaitCount(window(from, Instant.now().plusSeconds(60), "{\"term\":{\"sqlstate\":\"22P02\"}}"), 1);
        // the session's statements are there (with $1), its secret is not: in no field of any document
        assertThat(count(window(from, Instant.now().plusSeconds(60), "{\"match_phrase\":{\"statement\":\"andon_secret_probe\"}}")))
                .isGreaterThanOrEqualTo(2);
        List<JsonNode> docs = search(mine, 1000);
        assertThat(docs).isNotEmpty();
        for (JsonNode d : docs) assertThat(d.path("_source").toString()).doesNotContain(secret);
        ObjectNode anywhere = JSON.createObjectNode();
        anywhere.putObject("query").putObject("query_string").put("query", "\"" + secret + "\"").put("lenient", true)
                .putArray("fields").add("*");
        assertThat(countBody(JSON.writeValueAsString(anywhere))).as("the secret anywhere in mes-logs-*").isZero();
        JsonNode typeError = search(window(from, Instant.now().plusSeconds(60), "{\"term\":{\"sqlstate\":\"22P02\"}}"), 1).get(0).path("_source");
        assertThat(typeError.path("message").asText()).startsWith("invalid input syntax for type integer").contains("withheld");
        // PostgreSQL's own file: the parameter lists are off (slow statement); error messages quote values (22P02,
        // 23505 detail), which is why the shipper withholds them
        long inFiles = countInFiles(l -> l.contains(secret), from);
        System.out.printf("FIGURE secret: %d shipped documents of the session, 0 with the secret; %d lines of PostgreSQL's own "
                + "file quote it (error messages/details the shipper withholds)%n", docs.size(), inFiles);
        assertThat(countInFiles(l -> l.contains(secret) && l.contains("andon_secret_probe") && l.contains("duration"), from))
                .as("no parameter list with the slow statement (log_parameter_max_length = 0)").isZero();
    }

    /** A line that is not JSON (a crash message, a truncated write) arrives flagged, as mes-database. */
    @Test
    @Order(6)
    void aNonJsonLineArrivesFlaggedUnparsed() throws Exception {
        String marker = "crash-" + UUID.randomUUID();
        Path f = pg.logDir().resolve("postgresql-test-" + UUID.randomUUID() + ".log");
        String truncated = "{\"timestamp\":\"2026-12-06 01:02:03.456 UTC\",\"user\":\"postgres\",\"message\":\"" + marker + " cut";
        Files.writeString(f, "TRAP: failed Assert(\"" + marker + "\")\n" + truncated + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        String q = "{\"bool\":{\"filter\":[{\"term\":{\"service\":\"mes-database\"}},{\"term\":{\"level\":\"UNPARSED\"}},"
                + "{\"match_phrase\":{\"message\":\"" + marker + "\"}}]}}";
        awaitCount(q, 2);
        System.out.printf("FIGURE delay: a line appended to a PostgreSQL log file was searchable after %d ms%n", lastArrivalMs);
        List<JsonNode> hits = search(q, 10);
        assertThat(hits).extracting(h -> h.path("_source").path("message").asText())
                .containsExactlyInAnyOrder("TRAP: failed Assert(\"" + marker + "\")", truncated);
    }

    /**
     * A real PostgreSQL stop and start (chaos): the shutdown, the backends it terminates, the startup and its
     * recovery check all arrive; the restart opens a new log file, which the shipper picks up like a rotation.
     */
    @Test
    @Order(7)
    void aPostgresStopAndStartIsInTheLog() throws Exception {
        Instant from = Instant.now();
        stack.stopService("postgres", false);
        try {
            Thread.sleep(1_000);
        } finally {
            stack.startAgain("postgres");
        }
        Instant to = Instant.now().plusSeconds(30);
        String down = window(from, to, "{\"match_phrase\":{\"message\":\"database system is shut down\"}}");
        String up = window(from, to, "{\"match_phrase\":{\"message\":\"database system is ready to accept connections\"}}");
        String start = window(from, to, "{\"match_phrase\":{\"message\":\"database system was shut down at\"}}");
        assertThat(awaitCount(down, 1)).isEqualTo(1);
        assertThat(awaitCount(up, 1)).isEqualTo(1);
        assertThat(awaitCount(start, 1)).isEqualTo(1);
        // the MES's pooled sessions, ended by the fast shutdown (FATAL 57P01 -> level ERROR)
        String terminated = window(from, to, "{\"term\":{\"sqlstate\":\"57P01\"}}");
        long killed = awaitCount(terminated, 1);
        JsonNode t = search(terminated, 1).get(0).path("_source");
        assertThat(t.path("log").path("level").asText()).isEqualTo("FATAL");
        assertThat(t.path("level").asText()).isEqualTo("ERROR");
        System.out.printf("FIGURE postgres stop/start: %d database lines from the stop to 30 s after the start, %d sessions "
                + "terminated (57P01)%n", count(window(from, Instant.now(), null)), killed);
    }

    // --- helpers

    private static String lockOrRollback(Connection c, Statement s, int equipmentId) {
        try {
            s.execute("SELECT 1 FROM mes_core.equipment WHERE equipment_id = " + equipmentId + " FOR UPDATE");
            return "ok";
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is closed by the caller either way
            }
            return e.getSQLState();
        }
    }

    private static void scenario(String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(mes.baseUri() + "/admin/scenario"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static Connection connect(String app) throws SQLException { return connect(app, "simple"); }

    private static Connection connect(String app, String mode) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.superUser());
        p.setProperty("password", pg.superPassword());
        p.setProperty("ApplicationName", app);
        p.setProperty("preferQueryMode", mode);
        return DriverManager.getConnection(pg.jdbcUrl(), p);
    }

    private static List<Path> pgLogFiles() throws Exception {
        try (Stream<Path> s = Files.list(pg.logDir())) {
            return s.filter(p -> p.getFileName().toString().startsWith("postgresql-")).toList();
        }
    }

    private static long pgJsonFiles() throws Exception {
        return pgLogFiles().stream().filter(p -> p.toString().endsWith(".json")).count();
    }

    /** Lines of PostgreSQL's own .json files written since {@code from} (file mtime) matching {@code p}. */
    private static long countInFiles(Predicate<String> p, Instant from) throws Exception {
        long n = 0;
        for (Path f : pgLogFiles()) {
            if (!f.toString().endsWith(".json") || Files.getLastModifiedTime(f).toInstant().isBefore(from.minusSeconds(1))) continue;
            try (Stream<String> lines = Files.lines(f)) {
                n += lines.filter(p).count();
            }
        }
        return n;
    }

    private static final java.time.format.DateTimeFormatter PG_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(java.time.ZoneOffset.UTC);

    /** Whether a jsonlog line's {@code timestamp} (log_timezone UTC, ms) lies in [from, to], as the window's range does. */
    static boolean loggedWithin(String jsonLine, Instant from, Instant to) {
        try {
            Instant t = PG_TIME.parse(JSON.readTree(jsonLine).path("timestamp").asText(), Instant::from);
            return !t.isBefore(from.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)) && !t.isAfter(to);
        } catch (Exception e) {
            throw new AssertionError("not a jsonlog line with a UTC timestamp: " + jsonLine, e);
        }
    }

    private static String window(Instant from, Instant to, String extra) {
        return "{\"bool\":{\"filter\":[{\"term\":{\"service\":\"mes-database\"}},{\"range\":{\"@timestamp\":{\"gte\":\""
                + from.minusSeconds(1) + "\",\"lte\":\"" + to + "\"}}}" + (extra == null ? "" : "," + extra) + "]}}";
    }

    /** How long the last {@link #awaitCount} waited until the documents were there (ms). */
    private static long lastArrivalMs;

    private static long awaitCount(String query, long atLeast) throws Exception {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        long n = 0;
        while (System.nanoTime() < deadline) {
            n = count(query);
            if (n >= atLeast) {
                lastArrivalMs = (System.nanoTime() - deadline + ARRIVAL.toNanos()) / 1_000_000;
                // a moment more: a doubled line would arrive with the same bulk or the next one
                Thread.sleep(1_500);
                return count(query);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("only " + n + " of " + atLeast + " documents for " + query + " in " + ARRIVAL.toSeconds()
                + " s; shipper log:\n" + shipper.tail(20) + "\nerror file: "
                + (Files.exists(shipper.errorFile()) ? Files.readString(shipper.errorFile()) : "(none)"));
    }

    private static long count(String query) throws Exception { return countBody("{\"query\":" + query + "}"); }

    private static long countBody(String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/mes-logs-*/_count?ignore_unavailable=true&allow_no_indices=true"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("count").asLong();
    }

    private static List<JsonNode> search(String query, int size) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/mes-logs-*/_search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"size\":" + size + ",\"sort\":[{\"@timestamp\":\"desc\"}],\"query\":" + query + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).path("hits").path("hits").forEach(out::add);
        return out;
    }
}
