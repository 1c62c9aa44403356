package io.andon.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.alertmanager.Alert;
import io.andon.alertmanager.AlertFilter;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.Silence;
import io.andon.board.SourceProbe;
import io.andon.logs.LogClient;
import io.andon.logs.LogException;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.net.Endpoint.Auth;
import io.andon.net.SourceException;
import io.andon.prometheus.PromQL;
import io.andon.prometheus.PrometheusClient;
import io.andon.settings.EncryptedFileSecretStore;
import io.andon.settings.Profile;
import io.andon.settings.ProfileStore;
import io.andon.stack.Alertmanager;
import io.andon.stack.Elasticsearch;
import io.andon.stack.Prometheus;
import io.andon.stack.Service;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import io.andon.stack.StackSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Security of the console against real, secured sources: Prometheus and Alertmanager behind web.config (TLS with a
 * CA made in this run + basic auth), Elasticsearch with xpack.security (TLS, a read-only user, API keys). Everything
 * goes through the console's own clients and the health page's probe. Proves: right CA + credentials work; wrong or
 * missing credentials, a revoked key, an unknown CA and a wrong host name each fail with a clear sentence that holds
 * no secret; user text stays a value (PromQL variables, alert filter, log search); and no secret reaches logs, the
 * saved profile, an export, the console's own output or git.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureSourcesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String INDEX = "mes-logs-secure-2026.11.25";
    static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");
    static final String PROBE_ALERT = "AndonSecureProbe";

    @TempDir
    static Path tmp;

    static Stack stack;
    static StackSecurity sec;
    static Prometheus prom;
    static Alertmanager am;
    static Elasticsearch es;
    /** Secrets besides the stack's: API keys, the wrong passwords tried. None may show up anywhere. */
    static final List<String> secrets = new CopyOnWriteArrayList<>();
    /** Every message a failure produced, grepped at the end. */
    static final List<String> messages = new CopyOnWriteArrayList<>();
    static final List<String> logLines = new CopyOnWriteArrayList<>();
    static AppenderBase<ILoggingEvent> capture;
    static final List<LogClient> logClients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        attachLogCapture();
        Path rules = tmp.resolve("secure-probe.yml");
        // an alert that is always firing: proves rule evaluation and the Prometheus -> Alertmanager path over TLS + auth.
        // `for` lets Prometheus discover Alertmanager first: an alert firing before that is dropped and resent only a minute later

        Files.writeString(rules, """
                groups:
                  - name: andon-secure-probe
                    rules:
                      - alert: %s
                        expr: vector(1)
                        for: 5s
                        labels: {severity: info, probe: secure}
                        annotations: {summary: "TLS delivery probe"}
                """.formatted(PROBE_ALERT));
        stack = new Stack(StackOptions.forTests().withExtraRules(List.of(rules)).withSecurity());
        sec = stack.security();
        es = stack.elasticsearch();
        am = stack.alertmanager();
        prom = stack.prometheus();
        // API keys are not tested here: they live in the .security index, whose mapping needs the analysis-common module,
        // and the integ-test distribution the build unpacks has only x-pack-core/-security and transport-netty4.
        // ElasticsearchApiKeyTest (tag full-es, outside the default suite, listed in the README) covers them on a full one.
        secrets.addAll(sec.secrets());
        es.admin("PUT", "/_index_template/mes-logs", Files.readString(Path.of(System.getProperty("andon.project.dir", "."), "src/server/elasticsearch/mes-logs-template.json")));
        StringBuilder bulk = new StringBuilder();
        String[] msgs = {"secure pipeline ok", "pressure valve alarm on line 3", "operator login accepted", "press 7 stopped for tooling"};
        for (int i = 0; i < msgs.length; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("@timestamp", T0.plusSeconds(i).toString());
            d.put("level", i == 1 ? "ERROR" : "INFO");
            d.put("service", "mes-app");
            d.put("message", msgs[i]);
            d.put("request_id", "req-" + i);
            bulk.append("{\"index\":{\"_index\":\"").append(INDEX).append("\"}}\n").append(JSON.writeValueAsString(d)).append('\n');
        }
        JsonNode r = JSON.readTree(es.admin("POST", "/_bulk?refresh=true", bulk.toString()));
        assertThat(r.path("errors").asBoolean()).as("bulk errors: " + r).isFalse();
        // an index the console's role does not cover (the 403 case)
        es.admin("PUT", "/andon-private", null);
        System.out.printf("secure stack: ready in %d ms (elasticsearch %d ms, prometheus %d ms, alertmanager %d ms)%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), es.lastStartMillis(), prom.lastStartMillis(), am.lastStartMillis());
    }

    @AfterAll
    static void stop() {
        logClients.forEach(LogClient::close);
        if (stack != null) stack.close();
        if (capture != null) ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
    }

    /** Everything our code logs in this JVM (at the shipped levels, io.andon at DEBUG), kept for the secret grep. */
    static void attachLogCapture() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                logLines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
            }
        };
        capture.setContext(ctx);
        capture.start();
        ctx.getLogger("io.andon").setLevel(Level.DEBUG);
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
    }

    // ---- endpoints as a site configures them ----

    static Endpoint ep(Service s, Auth auth, Path ca) {
        Endpoint e = Endpoint.of(s.baseUri().toString()).withAuth(auth).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(10));
        return ca == null ? e : e.withCa(ca);
    }

    static Auth web() { return Auth.basic(StackSecurity.WEB_USER, sec.webPassword().toCharArray()); }

    static Auth reader() { return Auth.basic(StackSecurity.ES_READER, sec.esReaderPassword().toCharArray()); }

    static Path ca() { return sec.pki().caCert(); }

    static LogClient logs(Auth auth, Path ca) {
        LogClient c = new LogClient("Elasticsearch", List.of(ep(es, auth, ca)));
        logClients.add(c);
        return c;
    }

    static LogQuery all() {
        return new LogQuery(INDEX, T0.minusSeconds(60), T0.plusSeconds(60), "", Map.of(), Map.of(), false);
    }

    static <T> T eventually(Duration limit, ThrowingSupplier<T> get, java.util.function.Predicate<T> ok) throws Throwable {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            T v = get.get();
            if (ok.test(v) || System.nanoTime() > deadline) return v;
            Thread.sleep(300);
        }
    }

    @Test
    @Order(1)
    void rightCaAndCredentialsWorkForEverySource() throws Throwable {
        PrometheusClient p = new PrometheusClient("Prometheus", ep(prom, web(), ca()));
        // Prometheus scrapes itself and Alertmanager over HTTPS with basic auth: its own config is right too
        var up = eventually(Duration.ofSeconds(30), () -> p.query("up{job=~\"prometheus|alertmanager\"} == 1"), q -> q.samples().size() == 2);
        assertThat(up.samples()).as("both self-scrapes over TLS succeed").hasSize(2);
        JsonNode ams = p.getApi("api/v1/alertmanagers").path("data").path("activeAlertmanagers");
        assertThat(ams.toString()).as("Prometheus alerts Alertmanager over HTTPS").contains("https://127.0.0.1:" + am.port());

        AlertmanagerClient a = new AlertmanagerClient("Alertmanager", ep(am, web(), ca()));
        List<Alert> alerts = eventually(Duration.ofSeconds(30), a::alerts, l -> l.stream().anyMatch(x -> x.name().equals(PROBE_ALERT)));
        assertThat(alerts).as("the rule fired and was delivered over TLS + auth").anyMatch(x -> x.name().equals(PROBE_ALERT));
        String id = a.createSilence(List.of(Silence.Matcher.equal("alertname", PROBE_ALERT)), Instant.now(), Instant.now().plus(Duration.ofMinutes(10)),
                "security-test", "silence over TLS");
        assertThat(a.silences()).anyMatch(s -> s.id().equals(id) && s.state().equals("active"));
        a.expireSilence(id);
        assertThat(a.silences()).anyMatch(s -> s.id().equals(id) && s.state().equals("expired"));

        for (Auth auth : List.of(reader())) {
            LogClient c = logs(auth, ca());
            assertThat(c.health()).isIn("green", "yellow");
            LogClient.Page page = c.search(all(), null, 10);
            assertThat(page.total()).as(auth.getClass().getSimpleName()).isEqualTo(4);
            assertThat(c.search(all().withText("valve"), null, 10).hits()).singleElement()
                    .satisfies(h -> assertThat(h.message()).isEqualTo("pressure valve alarm on line 3"));
        }

        // the health page's probe, with the same endpoints
        List<SourceProbe.Check> checks = new ArrayList<>(List.of(SourceProbe.prometheus(ep(prom, web(), ca())),
                SourceProbe.alertmanager("Alertmanager", ep(am, web(), ca())), SourceProbe.elasticsearch(ep(es, reader(), ca()))));
        List<SourceProbe.Result> health = new SourceProbe(checks).probe();
        health.forEach(r -> System.out.println("health: " + r));
        assertThat(health).allSatisfy(r -> assertThat(r.ok()).as(r.toString()).isTrue());
    }

    @Test
    @Order(2)
    void wrongOrMissingCredentialsFailClearly() throws Exception {
        String wrong = StackSecurity.class.getSimpleName() + "-wrong-" + System.nanoTime();
        secrets.add(wrong);
        for (Service s : List.of(prom, am)) {
            for (Auth auth : List.of(Auth.basic(StackSecurity.WEB_USER, wrong.toCharArray()), Auth.NONE)) {
                SourceException e = s == prom
                        ? catchThrowableOfType(SourceException.class, () -> new PrometheusClient("Prometheus", ep(s, auth, ca())).query("1"))
                        : catchThrowableOfType(SourceException.class, () -> new AlertmanagerClient("Alertmanager", ep(s, auth, ca())).alerts());
                messages.add(e.getMessage());
                System.out.println(s.name() + " with " + auth.getClass().getSimpleName() + ": " + e.getMessage());
                assertThat(e.kind()).isEqualTo(SourceException.Kind.AUTH_FAILED);
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.getMessage()).contains(auth == Auth.NONE ? "requires credentials (HTTP 401) and none are configured" : "refused the credentials (HTTP 401)");
            }
        }
        // Elasticsearch: wrong password, none, a made-up API key (a revoked one: ElasticsearchApiKeyTest, full distribution only)
        String madeUp = Base64.getEncoder().encodeToString(("nosuchid:" + wrong).getBytes(StandardCharsets.UTF_8));
        secrets.add(madeUp);
        Map<String, Auth> cases = new LinkedHashMap<>();
        cases.put("wrong password", Auth.basic(StackSecurity.ES_READER, wrong.toCharArray()));
        cases.put("made-up API key", Auth.apiKey(madeUp.toCharArray()));
        cases.put("no credentials", Auth.NONE);
        for (var c : cases.entrySet()) {
            LogException e = catchThrowableOfType(LogException.class, () -> logs(c.getValue(), ca()).search(all(), null, 5));
            messages.add(e.getMessage());
            System.out.println("elasticsearch, " + c.getKey() + ": " + e.getMessage());
            assertThat(e.kind()).as(c.getKey()).isEqualTo(LogException.Kind.AUTH_FAILED);
            assertThat(e.getMessage()).as(c.getKey()).contains(c.getValue() == Auth.NONE ? "requires credentials (HTTP 401)" : "refused the credentials (HTTP 401)");
        }
        // right credentials, wrong index: a permission, not a password problem
        LogException denied = catchThrowableOfType(LogException.class, () -> logs(reader(), ca()).search(all().withIndex("andon-private"), null, 5));
        messages.add(denied.getMessage());
        System.out.println("elasticsearch, index outside the role: " + denied.getMessage());
        assertThat(denied.kind()).isEqualTo(LogException.Kind.AUTH_FAILED);
        assertThat(denied.getMessage()).contains("denied access (HTTP 403)");
        // the health page says the same
        var r = new SourceProbe(List.of(SourceProbe.elasticsearch(ep(es, Auth.apiKey(madeUp.toCharArray()), ca())))).probe().getFirst();
        messages.add(r.detail());
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).contains("HTTP 401");
    }

    @Test
    @Order(3)
    void unknownCaWrongHostAndPlainHttpFailClearly() throws Exception {
        Path other = sec.pki().otherCaCert();
        for (Path ca : java.util.Arrays.asList(other, null)) {
            String which = ca == null ? "JDK trust store" : "unrelated CA";
            SourceException pe = catchThrowableOfType(SourceException.class, () -> new PrometheusClient("Prometheus", ep(prom, web(), ca)).query("1"));
            SourceException ae = catchThrowableOfType(SourceException.class, () -> new AlertmanagerClient("Alertmanager", ep(am, web(), ca)).alerts());
            LogException ee = catchThrowableOfType(LogException.class, () -> logs(reader(), ca).search(all(), null, 5));
            for (Exception e : List.<Exception>of(pe, ae, ee)) {
                messages.add(e.getMessage());
                System.out.println(which + ": " + e.getMessage());
                assertThat(e.getMessage()).contains("TLS handshake failed (certificate signed by an unknown CA");
            }
            assertThat(pe.kind()).isEqualTo(SourceException.Kind.TLS_FAILED);
            assertThat(ee.kind()).isEqualTo(LogException.Kind.TLS_FAILED);
        }
        // a name that reaches the same loopback service but is not in the certificate (127.0.0.1, localhost)
        String alias = loopbackAlias();
        {
            Endpoint byAlias = new Endpoint(java.net.URI.create("https://" + alias + ":" + prom.port()), web(), java.util.Optional.of(ca()),
                    Duration.ofSeconds(3), Duration.ofSeconds(5), null, Endpoint.DEFAULT_MAX_BYTES);
            SourceException he = catchThrowableOfType(SourceException.class, () -> new PrometheusClient("Prometheus", byAlias).query("1"));
            Endpoint esAlias = new Endpoint(java.net.URI.create("https://" + alias + ":" + es.port()), reader(), java.util.Optional.of(ca()),
                    Duration.ofSeconds(3), Duration.ofSeconds(5), null, Endpoint.DEFAULT_MAX_BYTES);
            LogClient lc = new LogClient("Elasticsearch", List.of(esAlias));
            logClients.add(lc);
            LogException le = catchThrowableOfType(LogException.class, () -> lc.search(all(), null, 5));
            for (Exception e : List.<Exception>of(he, le)) {
                messages.add(e.getMessage());
                System.out.println("host name " + alias + ": " + e.getMessage());
                assertThat(e.getMessage()).contains("certificate does not match the host name '" + alias + "'").doesNotContain("\n");
            }
        }
        // http:// to an HTTPS port: the server's own answer says what is wrong
        Endpoint plain = Endpoint.of("http://127.0.0.1:" + prom.port()).withAuth(web());
        SourceException pl = catchThrowableOfType(SourceException.class, () -> new PrometheusClient("Prometheus", plain).query("1"));
        messages.add(pl.getMessage());
        System.out.println("plain http: " + pl.getMessage());
        assertThat(pl.getMessage()).contains("HTTP 400").contains("HTTPS");
    }

    /**
     * A host name other than localhost that reaches 127.0.0.1 on every machine: {@link TestHostAliases} resolves it in
     * this JVM. Fails (never skips) when that resolver is not in effect.
     */
    static String loopbackAlias() throws Exception {
        String alias = "secure" + TestHostAliases.SUFFIX;
        assertThat(Stream.of(InetAddress.getAllByName(alias)).map(InetAddress::getHostAddress).toList())
                .as(alias + " resolved by the test resolver (META-INF/services/java.net.spi.InetAddressResolverProvider)").containsExactly("127.0.0.1");
        return alias;
    }

    static final List<String> EVIL = List.of("\"}", "\\", "\\\"}", "{{", "}}", "{{ .Labels }}", "up or vector(1)", "{job=~\".*\"}",
            "prometheus\"} or vector(1) or up{job=\"", "*", "OR", "message:*", "{\"match_all\":{}}", "\"}},{\"match_all\":{}}", ".*");

    @Test
    @Order(4)
    void userTextStaysPlainTextOnTheSecuredSources() throws Throwable {
        PrometheusClient p = new PrometheusClient("Prometheus", ep(prom, web(), ca()));
        // control: the templated queries do find the real job, so an empty answer below means something
        assertThat(p.query(PromQL.render("up{job=\"$job\"}", Map.of("job", "prometheus"))).samples()).hasSize(1);
        assertThat(p.query(PromQL.render("up{job=~\"$job\"}", Map.of("job", "prometheus"))).samples()).hasSize(1);
        for (String evil : EVIL) {
            for (String template : List.of("up{job=\"$job\"}", "up{job=~\"$job\"}", "sum by (job) (up{job!=\"\", instance=\"$job\"})")) {
                String q = PromQL.render(template, Map.of("job", evil));
                assertThat(p.query(q).samples()).as(q).isEmpty();
            }
        }

        AlertmanagerClient a = new AlertmanagerClient("Alertmanager", ep(am, web(), ca()));
        List<Alert> alerts = a.alerts();
        assertThat(alerts.stream().filter(AlertFilter.parse("alertname=" + PROBE_ALERT)::test)).as("control").hasSize(1);
        for (String evil : EVIL) {
            // the page's filter runs locally on the list: text is a substring, matchers are Alertmanager's own
            List<Alert> hits;
            try {
                hits = alerts.stream().filter(AlertFilter.parse(evil)::test).toList();
            } catch (IllegalArgumentException bad) {
                messages.add(bad.getMessage());
                assertThat(bad.getMessage()).as(evil).containsAnyOf("incomplete matcher", "invalid regular expression");
                continue;
            }
            if (evil.equals(".*")) continue; // no matcher, and no alert label contains the two characters ".*"
            assertThat(hits).as("alert filter " + evil).isEmpty();
            // as a label value sent to Alertmanager's own filter: a value, not matcher syntax
            assertThat(a.alerts(AlertmanagerClient.AlertQuery.ALL.withFilter(List.of(Silence.Matcher.equal("alertname", evil))))).as(evil).isEmpty();
        }

        LogClient logs = logs(reader(), ca());
        for (String evil : EVIL) {
            assertThat(logs.search(all().including("request_id", evil), null, 10).total()).as("term filter " + evil).isZero();
            assertThat(logs.search(all().excluding("request_id", evil), null, 10).total()).as("excluding " + evil).isEqualTo(4);
            if (evil.equals("*")) continue; // a lone * is the search box's documented wildcard: every document
            try {
                assertThat(logs.search(all().withText(evil), null, 10).total()).as("search text " + evil).isZero();
            } catch (LogException bad) {
                messages.add(bad.getMessage());
                assertThat(bad.kind()).as(evil).isEqualTo(LogException.Kind.BAD_QUERY);
                assertThat(bad.getMessage()).as(evil).startsWith("search text problem");
            }
        }
    }

    @Test
    @Order(5)
    void noSecretInLogsProfilesExportsConsoleOutputOrGit() throws Exception {
        // a saved profile: Prometheus right, Alertmanager with a wrong password (an error path), Elasticsearch by password
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path config = Files.createDirectories(home.resolve(".config/andon"));
        String wrongAm = "am-wrong-" + System.nanoTime();
        secrets.add(wrongAm);
        ProfileStore profiles = new ProfileStore(config);
        EncryptedFileSecretStore store = new EncryptedFileSecretStore(config);
        profiles.save(new Profile("secure", new Profile.Source(prom.baseUri().toString(), StackSecurity.WEB_USER, ca().toString()),
                List.of(new Profile.Source(am.baseUri().toString(), StackSecurity.WEB_USER, ca().toString())),
                new Profile.Source(es.baseUri().toString(), StackSecurity.ES_READER, ca().toString())));
        store.put("secure", "prometheus", sec.webPassword().toCharArray());
        store.put("secure", "alertmanager0", wrongAm.toCharArray());
        String esSecret = sec.esReaderPassword();
        store.put("secure", "elasticsearch", esSecret.toCharArray());
        Path export = tmp.resolve("exported-profiles.json");
        profiles.exportTo(export);
        assertThat(store.get("secure", "elasticsearch")).as("the store gives the key back").hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo(esSecret));

        // the console itself, in a child JVM on that profile: health page snapshot, headless under Xvfb
        Path png = tmp.resolve("health.png");
        Path out = tmp.resolve("console.out");
        List<String> cmd = new ArrayList<>();
        if (System.getenv("DISPLAY") == null) cmd.addAll(List.of("xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-Dfile.encoding=UTF-8",
                "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), "io.andon.console.Main",
                "--profile", "secure", "--page", "health", "--lang", "en", "--snapshot", png.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        PrometheusClient p = new PrometheusClient("Prometheus", ep(prom, web(), ca()));
        String served = "sum(prometheus_http_requests_total{handler=\"/api/v1/query\", code=\"200\"})";
        Thread.sleep(2500); // the queries of the tests before are scraped: the difference below is ours + the console's
        double queriesBefore = p.query(served).samples().getFirst().value();
        long t0 = System.nanoTime();
        Process console = pb.start();
        boolean done = console.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            console.descendants().forEach(ProcessHandle::destroyForcibly);
            console.destroyForcibly();
        }
        String said = Files.readString(out);
        System.out.printf("console snapshot on the secured profile: %d ms%n--- console output ---%n%s%n---%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), said);
        assertThat(done).as("console finished").isTrue();
        assertThat(png).as("snapshot written; console said:\n" + said).exists();
        // the console really asked the secured Prometheus (with the stored password and the site CA): its health
        // probe is a query; our own reading above is one more
        Thread.sleep(2500);
        double queriesAfter = p.query(served).samples().getFirst().value();
        System.out.printf("Prometheus answered %.0f queries while the console ran (1 of them ours)%n", queriesAfter - queriesBefore);
        assertThat(queriesAfter - queriesBefore).as("queries Prometheus answered while the console ran").isGreaterThanOrEqualTo(2);

        List<String> all = new ArrayList<>(secrets);
        all.addAll(sec.secrets());
        all = withBasicAuthForms(all);
        // 1. what the console printed and everything logged in this JVM, every failure message of the tests above
        assertNoSecret("console output", said, all);
        assertThat(logLines).as("captured log lines").isNotEmpty();
        assertNoSecret("logs of this JVM", String.join("\n", logLines), all);
        assertThat(messages).as("failure messages collected").hasSizeGreaterThan(15);
        assertNoSecret("failure messages", String.join("\n", messages), all);
        // 2. the saved profile, the secret store's files (encrypted), UI state, the export
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) assertNoSecret(f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1), all);
        }
        assertNoSecret("export", Files.readString(export), all);
        assertThat(Files.readString(export)).contains(StackSecurity.WEB_USER).contains(prom.baseUri().toString());
        // 3. the stack's work dir: configs, service logs, data. Only Prometheus's scrape password file may hold one
        List<String> holders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(stack.workDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (Files.size(f) > 64L << 20) continue;
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (all.stream().anyMatch(text::contains)) holders.add(stack.workDir().relativize(f).toString());
            }
        }
        assertThat(holders).as("files of the stack holding a secret in clear").containsExactly("prometheus/web-password");
        // 4. git: no secret, no private key in any tracked file; the PKI lives under an ignored dir
        Path repo = Path.of(System.getProperty("andon.project.dir", System.getProperty("user.dir")));
        Process ls = new ProcessBuilder("git", "-C", repo.toString(), "ls-files", "-z").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String[] tracked = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\0");
        assertThat(ls.waitFor()).isZero();
        assertThat(tracked.length).isGreaterThan(50);
        String pemKey = "PRIVATE " + "KEY-----"; // split, or this file would match itself
        for (String t : tracked) {
            Path f = repo.resolve(t);
            if (!Files.isRegularFile(f) || Files.size(f) > 8L << 20) continue;
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertNoSecret(t, text, all);
            assertThat(text).as(t).doesNotContain(pemKey);
        }
        if (sec.pki().caCert().toAbsolutePath().startsWith(repo.toAbsolutePath())) {
            Process ignored = new ProcessBuilder("git", "-C", repo.toString(), "check-ignore", "-q", sec.pki().caCert().toString()).start();
            assertThat(ignored.waitFor()).as("the test PKI is under a git-ignored dir").isZero();
        }
    }

    /**
     * The secrets plus each password as it travels in a header: base64 of "user:password" for every user the stack
     * knows (the right and the wrong passwords), so a logged or saved {@code Authorization: Basic ...} is caught too.
     */
    static List<String> withBasicAuthForms(List<String> secrets) {
        List<String> all = new ArrayList<>(secrets);
        for (String user : List.of(StackSecurity.WEB_USER, StackSecurity.ES_READER, StackSecurity.ES_ADMIN)) {
            for (String s : secrets) all.add(Base64.getEncoder().encodeToString((user + ":" + s).getBytes(StandardCharsets.UTF_8)));
        }
        return all;
    }

    static void assertNoSecret(String where, String text, List<String> secrets) {
        for (String s : secrets) assertThat(text.contains(s)).as(where + " contains a secret (" + s.length() + " chars)").isFalse();
    }
}
