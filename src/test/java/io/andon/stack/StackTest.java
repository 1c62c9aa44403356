package io.andon.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness starts the real services, restarts them on the same port with their data, and fails loudly. */
@Tag("integration")
@ExtendWith(StackExtension.class)
class StackTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void postgresKeepsDataAcrossRestartAndHasTheSchema(Stack stack) throws Exception {
        Postgres pg = stack.postgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS harness_probe(v int)");
            s.execute("INSERT INTO harness_probe VALUES (42)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'mes_core'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("mes_core tables from src/server/postgres").isGreaterThanOrEqualTo(10);
            }
        }
        int port = pg.port();
        stack.stopService("postgres", false);
        assertThat(pg.isRunning()).isFalse();
        stack.startAgain("postgres");
        assertThat(pg.port()).isEqualTo(port);
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sum(v) FROM harness_probe")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void prometheusScrapesItselfAndSurvivesAKill(Stack stack) throws Exception {
        Prometheus prom = stack.prometheus();
        URI q = URI.create(prom.baseUri() + "/api/v1/query?query=up%7Bjob%3D%22prometheus%22%7D");
        JsonNode result = awaitResult(q, Duration.ofSeconds(30));
        assertThat(result.path(0).path("value").path(1).asText()).isEqualTo("1");

        long pid = prom.process().pid();
        stack.stopService("prometheus", true);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("SIGKILLed").isFalse();
        assertThatThrownBy(() -> get(q)).isInstanceOf(java.io.IOException.class);
        stack.startAgain("prometheus");
        assertThat(get(q).statusCode()).isEqualTo(200);
    }

    @Test
    void alertmanagerDeliversToTheWebhookSink(Stack stack) throws Exception {
        Alertmanager am = stack.alertmanager();
        String body = """
                [{"labels":{"alertname":"HarnessProbe","severity":"critical","plant":"SH01"},
                  "annotations":{"summary":"probe"},"startsAt":"%s"}]""".formatted(Instant.now());
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am.baseUri() + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // the shipped routing applies: critical alerts go out after a 10 s group_wait
        Optional<JsonNode> got = stack.webhookSink().awaitAlert("HarnessProbe", "firing", Duration.ofSeconds(60));
        assertThat(got).as("webhook received HarnessProbe").isPresent();
        assertThat(got.get().path("labels").path("plant").asText()).isEqualTo("SH01");
    }

    @Test
    void elasticsearchIndexesAndSearches(Stack stack) throws Exception {
        Elasticsearch es = stack.elasticsearch();
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/harness-probe/_doc/1?refresh=true"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"message\":\"设备 probe\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        JsonNode hits = JSON.readTree(get(URI.create(es.baseUri() + "/harness-probe/_search?q=message:probe")).body());
        assertThat(hits.path("hits").path("total").path("value").asInt()).isEqualTo(1);
        System.out.println("service start times (ms): " + stack.startTimes());
    }

    @Test
    void aBrokenConfigFailsWithTheServiceNameAndItsLog() throws Exception {
        Path bad = Files.createTempFile("prometheus-bad", ".yml");
        Files.writeString(bad, "global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: [oops\n");
        try (Stack broken = new Stack(StackOptions.forTests().withPrometheusConfig(bad))) {
            assertThatThrownBy(broken::prometheus).isInstanceOf(StackException.class)
                    .hasMessageContaining("prometheus");
        }
        Path semantic = Files.createTempFile("prometheus-bad", ".yml");
        Files.writeString(semantic, "scrape_configs:\n  - job_name: x\n    scrape_interval: banana\n");
        try (Stack broken = new Stack(StackOptions.forTests().withPrometheusConfig(semantic))) {
            assertThatThrownBy(broken::prometheus).isInstanceOf(StackException.class)
                    .hasMessageContaining("prometheus").hasMessageContaining("last lines of")
                    .hasMessageContaining("command: " + Prometheus.BIN)
                    // the tail is Prometheus's own complaint about the bad value
                    .hasMessageContaining("banana");
        }
    }

    @Test
    void aChildJvmRestartsOnItsPortAndAKillEndsTheWholeTree(Stack stack) throws Exception {
        String secret = Postgres.randomSecret();
        JavaService probe = stack.javaService("probe", ProbeMain.class.getName(), List.of(), Map.of("ANDON_DB_PASSWORD", secret));
        assertThat(get(URI.create(probe.baseUri() + "/health/live")).statusCode()).isEqualTo(200);
        assertThat(get(URI.create(probe.baseUri() + "/secret")).body()).as("password passed in the environment").isEqualTo("present");
        // the whole argv from /proc (ProcessHandle.Info cuts long command lines): no password in it
        String argv = Files.readString(Path.of("/proc", String.valueOf(probe.processHandle().orElseThrow().pid()), "cmdline"))
                .replace('\0', ' ');
        assertThat(argv).contains(ProbeMain.class.getName()).doesNotContain(secret);

        long grandchild = Long.parseLong(get(URI.create(probe.baseUri() + "/child")).body());
        int port = probe.port();
        stack.stopService("probe", false);
        assertThat(gone(grandchild)).as("graceful stop ends the grandchild too").isTrue();
        assertThatThrownBy(() -> get(URI.create(probe.baseUri() + "/health/live"))).isInstanceOf(java.io.IOException.class);

        stack.startAgain("probe");
        assertThat(probe.port()).isEqualTo(port);
        assertThat(get(URI.create(probe.baseUri() + "/health/live")).statusCode()).isEqualTo(200);
        long jvm = probe.processHandle().orElseThrow().pid();
        long grandchild2 = Long.parseLong(get(URI.create(probe.baseUri() + "/child")).body());
        assertThat(grandchild2).isNotEqualTo(grandchild);

        stack.stopService("probe", true);
        assertThat(probe.isRunning()).isFalse();
        assertThat(gone(jvm)).as("SIGKILL ends the child JVM").isTrue();
        assertThat(gone(grandchild2)).as("SIGKILL ends the grandchild").isTrue();
    }

    @Test
    void aSecondAlertmanagerJoinsTheFirstAsAnHaPair(Stack stack) throws Exception {
        Alertmanager first = stack.alertmanager();
        Alertmanager second = stack.alertmanager(1);
        assertThat(second.port()).isNotEqualTo(first.port());
        assertThat(second.dir()).isNotEqualTo(first.dir());
        // the first was started alone; gossip lets the second join it without a restart
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int peers = 0;
        while (System.nanoTime() < deadline) {
            peers = JSON.readTree(get(URI.create(first.baseUri() + "/api/v2/status")).body()).path("cluster").path("peers").size();
            if (peers == 2) break;
            Thread.sleep(300);
        }
        assertThat(peers).as("cluster members seen by the first Alertmanager").isEqualTo(2);
        Path targets = stack.prometheus().dir().resolve("targets/alertmanager.json");
        assertThat(Files.readString(targets)).contains("127.0.0.1:" + first.port()).contains("127.0.0.1:" + second.port());
    }

    @Test
    void theCliStartsWhatItIsAskedForAndRejectsTheRest() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int rc = StackMain.run(new String[] {"--only", "prometheus", "--check"}, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true), false);
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("Prometheus +http://127\\.0\\.0\\.1:\\d+").contains("working dir");
        assertThat(StackMain.run(new String[] {"--only", "redis"}, new java.io.PrintStream(out), new java.io.PrintStream(err, true), false)).isEqualTo(2);
        assertThat(err.toString()).contains("unknown service 'redis'");
        assertThat(StackMain.run(new String[0], new java.io.PrintStream(out), new java.io.PrintStream(err, true), false)).isEqualTo(2);
    }

    @Test
    void closingTheStackCutsAHungStartShort() throws Exception {
        Stack stack = new Stack(StackOptions.forTests());
        var failure = new java.util.concurrent.CompletableFuture<Throwable>();
        Thread starter = Thread.ofPlatform().start(() -> {
            try {
                stack.javaService("hung", ProbeMain.class.getName(), List.of("--never-ready"), Map.of());
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        // wait until the child JVM is really up and answering 503, i.e. the start is polling
        Path log = stack.workDir().resolve("hung/hung.log");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains("probe listening")) && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(Files.readString(log)).contains("probe listening");
        stack.close(); // what the Ctrl-C hook does
        // the start's own timeout is 60 s; closing must end it well before that
        Throwable t = failure.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(StackException.class).hasMessageContaining("hung").hasMessageContaining("stack is closing");
        starter.join(5_000);
    }

    @Test
    void aFailingSchemaFailsThePostgresStartAtOnceWithTheFileName(@org.junit.jupiter.api.io.TempDir Path project) throws Exception {
        Path sql = Files.createDirectories(project.resolve("src/server/postgres"));
        Files.writeString(sql.resolve("01-ok.sql"), "CREATE TABLE fine(v int);\n");
        Files.writeString(sql.resolve("02-broken.sql"), "CREATE TABLE broken (;\n");
        String before = System.getProperty("andon.project.dir");
        System.setProperty("andon.project.dir", project.toString());
        Stack stack;
        try {
            stack = new Stack(StackOptions.forTests());
        } finally {
            if (before == null) System.clearProperty("andon.project.dir"); else System.setProperty("andon.project.dir", before);
        }
        try (stack) {
            assertThatThrownBy(stack::postgres).isInstanceOf(StackException.class)
                    .hasMessageContaining("postgres").hasMessageContaining("02-broken.sql")
                    .hasMessageContaining("syntax error")
                    .hasMessageNotContaining("not ready within");
            assertThat(stack.startTimes()).containsEntry("postgres", -1L);
            if (ServiceUser.isRoot()) {
                // JUnit's temp dir is private to root: the service user cannot reach it, so the stack moved
                assertThat(stack.workDir()).startsWith(Path.of(System.getProperty("java.io.tmpdir"), "andon-stack"));
            }
        } finally {
            if (stack.workDir().startsWith(Path.of(System.getProperty("java.io.tmpdir"), "andon-stack"))) {
                ServiceUser.exec(List.of("rm", "-rf", stack.workDir().toString()));
            }
        }
    }

    @Test
    void theShipperConfigIsRenderedCompletelyAndABrokenOneIsRejectedBeforeRsyslogRuns(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path template = Path.of(System.getProperty("andon.project.dir", "."), "src/server/rsyslog/andon-shipper.conf");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(template), "no shipper config in this branch");
        Map<String, String> values = Map.of("ANDON_LOG_GLOB", dir + "/*.json", "ANDON_PG_LOG_GLOB", dir + "/postgresql-*", "ANDON_ES_HOST", "127.0.0.1", "ANDON_ES_PORT", "9200",
                "ANDON_RSYSLOG_WORKDIR", dir.toString(), "ANDON_RSYSLOG_ERRORFILE", dir + "/err.json");
        String cfg = Shipper.render(Files.readString(template), values);
        assertThat(cfg.lines().filter(l -> !l.strip().startsWith("#"))).noneMatch(l -> l.contains("${"));
        Path good = dir.resolve("good.conf");
        Files.writeString(good, cfg);
        Shipper.check(good, dir.resolve("good.log"));

        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, cfg + "\naction(type=\"omnowhere\")\n");
        assertThatThrownBy(() -> Shipper.check(bad, dir.resolve("bad.log"))).isInstanceOf(StackException.class)
                .hasMessageContaining("shipper").hasMessageContaining("-N1").hasMessageContaining("omnowhere");
        assertThatThrownBy(() -> Shipper.render("input(type=\"imfile\" File=\"${ANDON_LOG_DIR}\")", values))
                .isInstanceOf(StackException.class).hasMessageContaining("${ANDON_LOG_DIR}");
    }

    /** Waits a little for a pid to disappear: a SIGKILLed grandchild is reaped by init, not by us. */
    private static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) return true;
            Thread.sleep(100);
        }
        return false;
    }

    private static JsonNode awaitResult(URI q, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode r = JSON.readTree(get(q).body()).path("data").path("result");
            if (r.size() > 0 || System.nanoTime() > deadline) return r;
            Thread.sleep(300);
        }
    }
}
