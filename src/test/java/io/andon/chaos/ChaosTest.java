package io.andon.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.alertmanager.Alert;
import io.andon.alertmanager.AlertService;
import io.andon.alertmanager.AlertSnapshot;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.alertmanager.Silence;
import io.andon.bench.BenchReport;
import io.andon.board.DashboardRepository;
import io.andon.board.PageSpec;
import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.logs.LogClient;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryResult;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import io.andon.ui.alerts.AlertsViewModel;
import io.andon.ui.dashboard.DashboardViewModel;
import io.andon.ui.logs.LogsViewModel;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos on the real stack (issue 10): while the console's own view models refresh every second, each of
 * PostgreSQL, the exporter, Prometheus, Alertmanager and Elasticsearch is SIGKILLed and restarted, alone and in
 * overlapping pairs. Checked each time: the affected tiles/pages leave their live state within two intervals
 * (never a false OK), unaffected ones stay live, everything recovers within one interval (+{@link #RECOVER_SLACK}) of the return without
 * new view models; the exporter's db_up and health endpoints tell the truth while the database is gone; nothing
 * queued (logs, alerts, silences) is lost; no thread or heap growth across cycles.
 *
 * <p>Where the console cannot see an outage directly, the chain in front of it is measured and allowed for
 * separately: database → exporter collection (every 1 s, Hikari connect timeout 3 s) → Prometheus scrape (1 s)
 * → console; exporter → Prometheus scrape (1 s, timeout 1 s) → console. The console's own share (from the moment
 * Prometheus answers differently to the moment the view model shows it) is what must fit in two intervals.
 *
 * <p>Default run: every target alone, three overlapping pairs (PostgreSQL+Prometheus, Alertmanager+exporter,
 * Prometheus+exporter), a silence across an Alertmanager restart and {@value #DEFAULT_CYCLES} leak cycles.
 * {@code -Dandon.chaos.cycles=20} (by hand) runs 20 leak cycles (Elasticsearch in every tenth) and adds the
 * Prometheus+Alertmanager and Prometheus+Elasticsearch pairs (the latter restarts Elasticsearch once more).
 * Needs a display (JavaFX toolkit for the view models): run under xvfb-run.
 */
@Tag("integration")
@Tag("chaos") // also run by `andon.sh bench`, so its table lands in docs/benchmarks.md
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosTest {
    static final int DEFAULT_CYCLES = 4;
    /** Refresh interval of the dashboard pages and of the alerts poll. */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** The logs page's live tail polls every 2 s (fixed in LogsViewModel): that is its interval. */
    static final Duration LOGS_INTERVAL = Duration.ofSeconds(2);
    /**
     * Beyond the intervals: one refresh's own duration (a refused connection is retried twice, 200/400 ms), the
     * hop to the FX thread and this test's 50 ms sampling, on a 2-core machine shared with other builds.
     */
    static final Duration SLACK = Duration.ofMillis(1200);
    /**
     * Recovery needs no retries (the source answers again): one interval until the next refresh starts, then that
     * refresh's own duration, the FX hop and the 50 ms sampling. Measured at 555–815 ms beyond the chain for a 1 s
     * interval; the claim "within one interval" is checked with this much, not with the 1.2 s of {@link #SLACK}.
     */
    static final Duration RECOVER_SLACK = Duration.ofMillis(500);
    /** Thread-count growth per leak cycle judged a leak (by least-squares slope over the cycles, see LeakTrend). */
    static final double LEAK_THREADS_PER_CYCLE = 0.5;
    /** Chain bounds (documented above): how long the source may take to show the outage/return in Prometheus. */
    static final Duration DB_CHAIN = Duration.ofSeconds(7);
    static final Duration EXPORTER_CHAIN = Duration.ofSeconds(4);
    static final Set<TileState.Status> LIVE = Set.of(TileState.Status.OK, TileState.Status.WARN, TileState.Status.CRIT);
    static final ObjectMapper JSON = new ObjectMapper();
    /** The health page's indicator tiles: they must show the outage as a 0, not go dark. */
    static final String EXPORTER_UP = "max(up{job=\"andon-exporter\"})";
    /** The gate of the exporter-backed tiles (database.yaml, business.yaml). */
    static final String GATE = "max(up{job=\"andon-exporter\"}) == 1 and on() max(db_up) == 1";
    static final String DB_UP = "max(db_up) and on() (max(up{job=\"andon-exporter\"}) == 1)";

    enum Target {
        POSTGRES("postgres"), EXPORTER("exporter"), PROMETHEUS("prometheus"), ALERTMANAGER("alertmanager"), ELASTICSEARCH("elasticsearch");
        final String service;

        Target(String service) { this.service = service; }

        String label() { return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT); }
    }

    /** One measured outage of one target. -1: not measurable (another target blinds the same view). */
    record Row(String scenario, Target target, long chainDownMs, long staleMs, long chainUpMs, long recoverMs, String seen) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Stack stack;
    private PrometheusClient direct; // the test's own view of Prometheus, to time the chain
    private final Map<String, DashboardViewModel> pages = new LinkedHashMap<>();
    private final Map<String, TileSpec> tileSpecs = new LinkedHashMap<>();
    private AlertsViewModel alerts;
    private LogsViewModel logs;
    private LogClient logClient;
    private Set<String> exporterMetrics;
    private long startNanos;
    private volatile long restartedAt; // epoch ms when the last restart began

    // ------------------------------------------------------------------------------------------------ set-up

    @BeforeAll
    void startStackAndConsole() throws Exception {
        startNanos = System.nanoTime();
        try {
            Platform.startup(() -> {});
        } catch (IllegalStateException alreadyRunning) {
            // another test of this JVM started the toolkit
        }
        Platform.setImplicitExit(false);
        // alerts fire 2 s after their condition and an undelivered one is resent every 2 s (sites: 1 m)
        stack = new Stack(StackOptions.forTests().withLabel("chaos").withRuleFor(Duration.ofSeconds(2))
                .withAlertResendDelay(Duration.ofSeconds(2)));
        var mes = stack.mes("--seed", "--load", "--load-rate", "20");
        stack.exporter("--db-interval", "1s", "--business-interval", "1s");
        var prom = stack.prometheus();
        var am = stack.alertmanager();
        var es = stack.elasticsearch();
        var put = http.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_index_template/mes-logs")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofFile(stack.serverDir().resolve("elasticsearch/mes-logs-template.json"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as("index template: %s", put.body()).isEqualTo(200);
        stack.shipper();
        direct = new PrometheusClient("Prometheus", Endpoint.of(prom.baseUri().toString()).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2)));
        exporterMetrics = exporterMetricNames();

        // the console, as PageCatalog builds it, with every page refreshing each second
        for (PageSpec s : new DashboardRepository(java.util.Optional.empty()).load()) {
            if (!Set.of("system", "database", "business", "health").contains(s.id())) continue;
            PageSpec fast = new PageSpec(s.id(), s.title(), INTERVAL.toMillis() + "ms", s.datasource(), s.columns(), s.tiles());
            DashboardViewModel vm = new DashboardViewModel(fast, new PrometheusClient("Prometheus", Endpoint.of(prom.baseUri().toString())), Duration.ZERO);
            pages.put(s.id(), vm);
            for (TileSpec t : s.tiles()) tileSpecs.put(s.id() + "/" + t.id(), t);
        }
        var pool = new AlertmanagerPool(List.of(new AlertmanagerClient("Alertmanager", Endpoint.of(am.baseUri().toString()))));
        alerts = new AlertsViewModel(sink -> new AlertService(pool, INTERVAL, snap -> sink.accept(snap, null), crit -> sink.accept(null, crit),
                Clock.systemUTC()), crit -> {});
        logClient = new LogClient("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString()).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30))));
        logs = new LogsViewModel(logClient);

        // some log lines to page and tail, shipped before the console opens the logs page
        String warm = marker("warm");
        int sent = rejectedRequests(mes.baseUri(), warm, 5);
        awaitTrue("warm-up log lines in Elasticsearch", Duration.ofSeconds(90), () -> esCount(warm) >= sent);
        pages.values().forEach(DashboardViewModel::resume);
        alerts.start();
        fx(() -> {
            logs.search(LogQuery.last(Duration.ofHours(1)));
            return null;
        });
        awaitTrue("logs page has hits", Duration.ofSeconds(30), () -> fx(() -> !logs.hits().isEmpty()));
        fx(() -> {
            logs.tailProperty().set(true);
            return null;
        });
        // the exporter's figures are in Prometheus and on the pages (a few more scrapes for rates to settle)
        // every tile the stack feeds, not a sample of three: an outage can only be judged on tiles that were live
        Set<String>[] fedNow = new Set[] {Set.of()};
        awaitTrue("every tile the stack feeds live", Duration.ofSeconds(90), () -> {
            fedNow[0] = fedTiles();
            return notLiveWithStatus(fedNow[0]).isEmpty();
        }, () -> "not live: " + notLive(fedNow[0]));
        Thread.sleep(3000);
        awaitTrue("alerts page fresh", Duration.ofSeconds(20), () -> !fx(() -> alerts.staleProperty().get()));
        System.out.printf("chaos: stack and console up in %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos));
    }

    @AfterAll
    void report() throws Exception {
        try {
            if (!rows.isEmpty()) BenchReport.write("chaos", markdown());
        } finally {
            pages.values().forEach(DashboardViewModel::close);
            if (alerts != null) alerts.close();
            if (logs != null) fx(() -> {
                logs.tailProperty().set(false);
                return null;
            });
            if (logs != null) logs.close();
            if (stack != null) stack.close();
            System.out.printf("chaos: total wall time %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos));
        }
    }

    // ------------------------------------------------------------------------------------------------- tests

    @Test
    @Order(1)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void eachServiceAloneGoesStaleAndRecovers() throws Exception {
        outage("alone", List.of(Target.POSTGRES));
        outage("alone", List.of(Target.EXPORTER));
        outage("alone", List.of(Target.PROMETHEUS));
        outage("alone", List.of(Target.ALERTMANAGER));
        outage("alone", List.of(Target.ELASTICSEARCH));
    }

    @Test
    @Order(2)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void overlappingPairs() throws Exception {
        outage("pair", List.of(Target.POSTGRES, Target.PROMETHEUS));
        outage("pair", List.of(Target.ALERTMANAGER, Target.EXPORTER));
        // the exporter dies while Prometheus is away: its series are never marked stale (the new scrape loop
        // never saw them) and linger 5 min; the pages must not show them as current
        outage("pair", List.of(Target.PROMETHEUS, Target.EXPORTER));
        if (longRun()) {
            outage("pair", List.of(Target.PROMETHEUS, Target.ALERTMANAGER));
            // a second Elasticsearch restart costs one to two minutes on a busy 2-core machine: long run only
            outage("pair", List.of(Target.PROMETHEUS, Target.ELASTICSEARCH));
        }
    }

    private static boolean longRun() {
        return Integer.getInteger("andon.chaos.cycles", DEFAULT_CYCLES) >= 10;
    }

    @Test
    @Order(3)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void silenceSurvivesAlertmanagerRestart() throws Exception {
        var am = stack.alertmanager();
        String name = marker("silence");
        CompletableFuture<String> done = new CompletableFuture<>();
        fx(() -> {
            alerts.createSilence(List.of(Silence.Matcher.equal("alertname", name)), Duration.ofHours(1), "chaos-test", "survives a restart", done::complete);
            return null;
        });
        assertThat(done.get(10, TimeUnit.SECONDS)).as("silence created").isNull();
        awaitTrue("console lists the silence", Duration.ofSeconds(10), () -> consoleHasSilence(name));
        // a graceful restart (what an upgrade or a host reboot does): the silence is snapshotted to --storage.path
        am.stop();
        am.start();
        awaitTrue("console lists the silence after the restart", Duration.ofSeconds(10), () -> consoleHasSilence(name));
        assertThat(new AlertmanagerClient("direct", Endpoint.of(am.baseUri().toString())).silences())
                .as("Alertmanager still has the silence").anyMatch(s -> isActiveSilence(s, name));

        // SIGKILL (OOM killer, power loss): a lone Alertmanager only snapshots every --data.maintenance-interval
        // (1 m in the bundle, 15 min by default) and on a clean shutdown, so a silence younger than that is gone
        // from its disk. The site answer is the HA pair: the restarted member gets it back from its peer.
        var peer = stack.alertmanager(1);
        var amDirect = new AlertmanagerClient("direct", Endpoint.of(am.baseUri().toString()));
        var peerClient = new AlertmanagerClient("peer", Endpoint.of(peer.baseUri().toString()));
        String young = marker("silence-kill");
        amDirect.createSilence(List.of(Silence.Matcher.equal("alertname", young)),
                java.time.Instant.now(), java.time.Instant.now().plus(Duration.ofHours(1)), "chaos-test", "SIGKILL probe");
        awaitTrue("the peer has the young silence (gossip)", Duration.ofSeconds(20),
                () -> peerClient.silences().stream().anyMatch(s -> isActiveSilence(s, young)));
        stack.stopService("alertmanager", true);
        stack.startAgain("alertmanager");
        long t0 = System.nanoTime();
        awaitTrue("the young silence is back on the SIGKILLed member (from its peer)", Duration.ofSeconds(30),
                () -> amDirect.silences().stream().anyMatch(s -> isActiveSilence(s, young)));
        long backMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        boolean oldKept = amDirect.silences().stream().anyMatch(s -> isActiveSilence(s, name));
        notes.add("Silence across a graceful Alertmanager restart: kept. Across SIGKILL of one member of the HA pair: a silence made "
                + "seconds before was back on it " + backMs + " ms after its restart (gossip from the peer); the older one "
                + (oldKept ? "was kept" : "was LOST") + ".");
        assertThat(oldKept).as("a silence on disk survives a SIGKILL").isTrue();
        awaitTrue("alerts page fresh after the SIGKILL", Duration.ofSeconds(10), () -> !fx(() -> alerts.staleProperty().get()));
    }

    @Test
    @Order(4)
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void noThreadOrHeapGrowthAcrossCycles() throws Exception {
        int cycles = Integer.getInteger("andon.chaos.cycles", DEFAULT_CYCLES);
        List<Target> rota = List.of(Target.POSTGRES, Target.EXPORTER, Target.PROMETHEUS, Target.ALERTMANAGER);
        List<long[]> samples = new ArrayList<>(); // threads, heap bytes
        Map<String, Integer> firstGroups = null;
        Map<String, Integer> lastGroups = null;
        for (int i = 0; i < cycles; i++) {
            // Elasticsearch (a minute per restart) joins every tenth cycle of a long run
            Target t = cycles >= 10 && i % 10 == 9 ? Target.ELASTICSEARCH : rota.get(i % rota.size());
            outage("cycle " + (i + 1), List.of(t));
            long[] s = sample();
            // the fewest threads of a few readings: a pool thread about to retire is not a leak, a leaked one stays
            for (int r = 0; r < 4; r++) {
                Thread.sleep(500);
                s[0] = Math.min(s[0], ManagementFactory.getThreadMXBean().getThreadCount());
            }
            samples.add(s);
            Map<String, Integer> groups = threadGroups();
            if (i == 0) firstGroups = groups;
            lastGroups = groups;
            System.out.printf("chaos: cycle %d (%s): %d threads, heap %.1f MB after GC, %d log rows on the logs page%n", i + 1, t.label(), s[0],
                    s[1] / 1048576.0, fx(() -> logs.hits().size()));
        }
        long baseThreads = samples.getFirst()[0];
        long baseHeap = samples.getFirst()[1];
        String series = samples.stream().map(s -> s[0] + "/" + String.format(Locale.ROOT, "%.0f", s[1] / 1048576.0)).collect(Collectors.joining(" "));
        notes.add("Leak check, " + cycles + " kill/restart cycles (" + rota.stream().map(Target::label).collect(Collectors.joining(", "))
                + (cycles >= 10 ? ", Elasticsearch every 10th" : "") + "), console JVM threads/heap MB after GC per cycle: " + series);
        Map<String, Integer> grown = new TreeMap<>();
        for (var e : lastGroups.entrySet()) {
            int before = firstGroups.getOrDefault(e.getKey(), 0);
            if (e.getValue() > before) grown.put(e.getKey(), e.getValue() - before);
        }
        if (!grown.isEmpty()) notes.add("Thread groups that grew from cycle 1 to the last: " + grown);
        System.out.println("chaos: threads/heapMB per cycle: " + series + (grown.isEmpty() ? "" : "; grown groups " + grown));
        long[] threads = samples.stream().mapToLong(s -> s[0]).toArray();
        String threadTrend = LeakTrend.growth("platform threads after each cycle", threads, LEAK_THREADS_PER_CYCLE);
        notes.add(String.format(Locale.ROOT, "Thread trend over the cycles: %+.2f per cycle (limit %.1f; one leaked thread per cycle is +1.00).",
                LeakTrend.slope(threads), LEAK_THREADS_PER_CYCLE));
        assertThat(threadTrend).as("thread leak across cycles (baseline %d)", baseThreads).isNull();
        for (long[] s : samples) {
            // 1.3× the baseline, with 16 MB for the noise of a small heap (a 40 MB heap moves by more than 12 MB)
            assertThat(s[1]).as("heap after GC (baseline %d MB): %s", baseHeap >> 20, series)
                    .isLessThanOrEqualTo(Math.max((long) (baseHeap * 1.3), baseHeap + (16L << 20)));
        }
    }

    // ------------------------------------------------------------------------------------------------ outage

    /**
     * Kills the targets one after the other (each once its effect is visible), restarts them in the same order,
     * and checks and times every step.
     */
    private void outage(String scenario, List<Target> targets) throws Exception {
        try {
            outageSteps(scenario, targets);
        } catch (AssertionError | Exception e) {
            for (Target t : targets) {
                try {
                    stack.startAgain(t.service);
                } catch (RuntimeException ignored) {
                    // reported by the original failure
                }
            }
            throw e;
        }
    }

    private void outageSteps(String scenario, List<Target> targets) throws Exception {
        Set<String> fed = fedTiles();
        awaitTrue(scenario + ": every tile the stack feeds live before the outage", Duration.ofSeconds(20), () -> notLiveWithStatus(fed).isEmpty(),
                () -> "not live: " + notLive(fed));
        Map<String, TileState> before = tiles();
        Set<String> liveBefore = before.entrySet().stream().filter(e -> LIVE.contains(e.getValue().status())).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(liveBefore).as(scenario + ": live before the outage").containsAll(fed);
        Map<Target, long[]> times = new LinkedHashMap<>(); // chainDown, stale, chainUp, recover
        Map<Target, String> seen = new LinkedHashMap<>();
        List<Target> down = new ArrayList<>();
        String logMarker = null;
        int logLinesWhileDown = 0;
        String pgMarker = null;
        long pgLinesWhileDown = 0;
        java.time.Instant pgKilledAt = null;
        for (Target t : targets) {
            down.add(t);
            long[] tm = {-1, -1, -1, -1};
            times.put(t, tm);
            long t0 = System.nanoTime();
            if (t == Target.POSTGRES) pgKilledAt = java.time.Instant.now();
            stack.stopService(t.service, true);
            long[] chain = {0};
            awaitTrue(scenario + ": " + t.label() + " visible to the console", staleBound(t), () -> {
                if (chain[0] == 0 && (down.contains(Target.PROMETHEUS) || chainDown(t))) chain[0] = System.nanoTime();
                return chain[0] != 0 && consoleShowsDown(t, down, liveBefore);
            }, () -> "chain seen: " + (chain[0] != 0) + "; affected tiles still live: " + stillLive(affected(t, liveBefore)));
            tm[0] = ms(chain[0] - t0);
            tm[1] = ms(System.nanoTime() - t0);
            assertThat(tm[1] - tm[0]).as("%s: the console shows %s down within two intervals of the source showing it", scenario, t.label())
                    .isLessThanOrEqualTo(interval(t).multipliedBy(2).plus(SLACK).toMillis());
            seen.put(t, summary(down, liveBefore));
            assertUnaffectedStayLive(scenario, down, liveBefore);
            if (t == Target.POSTGRES) exporterTellsTheTruth();
            if (t == Target.ELASTICSEARCH) {
                logMarker = marker("es-down");
                logLinesWhileDown = rejectedRequests(stack.mes().baseUri(), logMarker, 40);
                if (!down.contains(Target.POSTGRES)) {
                    // the PostgreSQL server log goes through the same shipper queue (service mes-database)
                    pgMarker = marker("pg-es-down");
                    pgLinesWhileDown = loggedStatements(pgMarker, 40);
                }
            }
        }
        if (targets.equals(List.of(Target.ALERTMANAGER, Target.EXPORTER))) {
            // ExporterDown fires while no Alertmanager listens: Prometheus must deliver it once one is back
            awaitTrue("ExporterDown firing in Prometheus while Alertmanager is down", Duration.ofSeconds(20),
                    () -> !direct.query("ALERTS{alertname=\"ExporterDown\",alertstate=\"firing\"}").samples().isEmpty());
        }
        for (Target t : targets) {
            down.remove(t);
            long[] tm = times.get(t);
            restartedAt = System.currentTimeMillis();
            stack.startAgain(t.service);
            long t0 = System.nanoTime();
            long[] chain = {0};
            Set<String> expected = recoverable(t, down, liveBefore);
            if (blinds(down, t)) {
                // the other target (Prometheus) still hides it: its return is timed with that one's
                tm[2] = tm[3] = -1;
            } else {
                awaitTrue(scenario + ": " + t.label() + " recovered on the console", recoverBound(t), () -> {
                    if (chain[0] == 0 && chainUp(t)) chain[0] = System.nanoTime();
                    return chain[0] != 0 && consoleShowsUp(t, down, expected);
                }, () -> "chain seen: " + (chain[0] != 0) + "; tiles not live: " + notLive(expected));
                tm[2] = ms(chain[0] - t0);
                tm[3] = ms(System.nanoTime() - t0);
                assertThat(tm[3] - tm[2]).as("%s: %s recovers within one interval (+%d ms) of the source being back", scenario, t.label(), RECOVER_SLACK.toMillis())
                    .isLessThanOrEqualTo(interval(t).plus(RECOVER_SLACK).toMillis());
            }
            if (!down.isEmpty()) {
                List<Target> still = List.copyOf(down);
                awaitTrue(scenario + ": " + still + " still shown down after " + t.label() + " returned", INTERVAL.multipliedBy(2).plus(SLACK),
                        () -> still.stream().allMatch(d -> uncheck(() -> consoleShowsDown(d, still, liveBefore))),
                        () -> "affected tiles live: " + stillLive(affected(still.getFirst(), liveBefore)));
            }
            if (t == Target.ALERTMANAGER && targets.contains(Target.EXPORTER)) {
                awaitTrue("ExporterDown (fired during the Alertmanager outage) reaches the console", Duration.ofSeconds(20),
                        () -> fx(() -> alerts.snapshotProperty().get()).alerts().stream().map(Alert::name).anyMatch("ExporterDown"::equals));
                var hook = stack.webhookSink().awaitAlert("ExporterDown", "firing", Duration.ofSeconds(40));
                assertThat(hook).as("ExporterDown notification delivered after Alertmanager returned").isPresent();
                notes.add("Alert fired during an Alertmanager outage (ExporterDown): delivered after it returned (console + webhook).");
            }
            if (t == Target.ELASTICSEARCH) {
                String m = logMarker;
                int n = logLinesWhileDown;
                long q0 = System.nanoTime();
                awaitTrue(n + " log lines written while Elasticsearch was down arrive", Duration.ofSeconds(120), () -> esCount(m) >= n);
                assertThat(esCount(m)).as("no line lost, none doubled").isEqualTo(n);
                notes.add(String.format(Locale.ROOT, "%s: %d log lines written while Elasticsearch was down: all %d in Elasticsearch %.1f s after it returned (rsyslog disk-assisted queue).",
                        scenario, n, n, (System.nanoTime() - q0) / 1e9 + tm[3] / 1000.0));
                if (pgMarker != null) {
                    String pm = pgMarker;
                    long pn = pgLinesWhileDown;
                    awaitTrue(pn + " PostgreSQL log lines written while Elasticsearch was down arrive", Duration.ofSeconds(120),
                            () -> pgCount("{\"match_phrase\":{\"statement\":\"" + pm + "\"}}", null) >= pn);
                    assertThat(pgCount("{\"match_phrase\":{\"statement\":\"" + pm + "\"}}", null)).as("database lines: none lost, none doubled").isEqualTo(pn);
                    notes.add(String.format(Locale.ROOT, "%s: %d PostgreSQL log lines (mes-database) written while Elasticsearch was down: all %d delivered once after it returned.",
                            scenario, pn, pn));
                }
            }
            if (t == Target.POSTGRES && pgKilledAt != null && !down.contains(Target.ELASTICSEARCH)) {
                // a killed PostgreSQL: its next start recovers, and says so in the server log, which is shipped
                java.time.Instant since = pgKilledAt;
                awaitTrue("PostgreSQL's recovery after the kill in the database log", Duration.ofSeconds(60),
                        () -> pgCount("{\"match_phrase\":{\"message\":\"automatic recovery in progress\"}}", since) >= 1
                                && pgCount("{\"match_phrase\":{\"message\":\"database system is ready to accept connections\"}}", since) >= 1);
                notes.add(scenario + ": PostgreSQL killed and restarted: its recovery (\"not properly shut down; automatic recovery in progress\", "
                        + "\"ready to accept connections\") is in the database log, " + pgCount(null, since) + " mes-database lines since the kill.");
            }
        }
        for (Target t : targets) {
            long[] tm = times.get(t);
            rows.add(new Row(scenario + (targets.size() > 1 ? " " + targets.stream().map(Target::label).collect(Collectors.joining("+")) : ""),
                    t, tm[0], tm[1], tm[2], tm[3], seen.get(t)));
        }
        // nothing lingers dark that was live before (the last target's recovery covered every page)
        awaitTrue(scenario + ": every tile live again", Duration.ofSeconds(15), () -> {
            Map<String, TileState> now = tiles();
            return liveBefore.stream().allMatch(id -> LIVE.contains(now.get(id).status()));
        });
    }

    /** How long the whole chain may take before the console must show the outage (beyond that: a failure). */
    private Duration staleBound(Target t) {
        return switch (t) {
            case POSTGRES -> DB_CHAIN.plus(INTERVAL.multipliedBy(2)).plus(SLACK);
            case EXPORTER -> EXPORTER_CHAIN.plus(INTERVAL.multipliedBy(2)).plus(SLACK);
            default -> interval(t).multipliedBy(2).plus(SLACK).plusSeconds(2);
        };
    }

    private Duration recoverBound(Target t) {
        return switch (t) {
            case POSTGRES -> DB_CHAIN.plus(INTERVAL).plus(SLACK).plusSeconds(10);
            case EXPORTER -> EXPORTER_CHAIN.plus(INTERVAL).plus(SLACK).plusSeconds(10);
            case ELASTICSEARCH -> Duration.ofSeconds(30);
            case PROMETHEUS -> Duration.ofSeconds(25);
            default -> interval(t).plus(SLACK).plusSeconds(10);
        };
    }

    private static Duration interval(Target t) {
        return t == Target.ELASTICSEARCH ? LOGS_INTERVAL : INTERVAL;
    }

    /** The source side of the outage: what the console's source (Prometheus, or the service itself) now says. */
    private boolean chainDown(Target t) throws Exception {
        return switch (t) {
            case POSTGRES -> value("max(db_up)") == 0.0;
            case EXPORTER -> value("max(up{job=\"andon-exporter\"})") == 0.0;
            default -> true; // the console talks to it directly: down the moment it is killed
        };
    }

    private boolean chainUp(Target t) throws Exception {
        return switch (t) {
            // the pages' gate passes and Prometheus holds DB and business figures scraped since the restart (not ones
            // that lingered from before a Prometheus restart)
            case POSTGRES, EXPORTER -> value(GATE) == 1.0
                    && value("max(timestamp(mes_equipment_total))") * 1000 > restartedAt
                    && value("max(timestamp(db_connections_max))") * 1000 > restartedAt;
            // Prometheus answers at once, but re-discovers its file_sd targets only ~5 s after start (its discovery
            // manager batches updates): until it scrapes the exporter again, figures are the ones from before
            case PROMETHEUS -> value("max(timestamp(up{job=\"andon-exporter\"}))") * 1000 > restartedAt;
            default -> true; // startAgain returned: it answers
        };
    }

    private double value(String q) {
        try {
            QueryResult r = direct.query(q);
            return r.samples().isEmpty() ? Double.NaN : r.samples().getFirst().value();
        } catch (Exception blind) {
            return Double.NaN;
        }
    }

    /** The console shows target {@code t} down: its tiles dark (or its indicator at 0), its page stale. */
    private boolean consoleShowsDown(Target t, List<Target> down, Set<String> liveBefore) throws Exception {
        Map<String, TileState> now = tiles();
        return switch (t) {
            case PROMETHEUS -> liveBefore.stream().allMatch(id -> now.get(id).status() == TileState.Status.STALE);
            // with Prometheus down too, the indicators are STALE like everything else
            case EXPORTER -> affected(t, liveBefore).stream().allMatch(id -> dark(now.get(id)))
                    && (down.contains(Target.PROMETHEUS) || indicatorsAtZero(now, EXPORTER_UP));
            case POSTGRES -> affected(t, liveBefore).stream().allMatch(id -> dark(now.get(id)))
                    && (down.contains(Target.PROMETHEUS) || indicatorsAtZero(now, DB_UP));
            case ALERTMANAGER -> fx(() -> alerts.staleProperty().get());
            case ELASTICSEARCH -> fx(() -> !logs.errorProperty().get().isEmpty());
        };
    }

    private boolean consoleShowsUp(Target t, List<Target> stillDown, Set<String> expected) throws Exception {
        Map<String, TileState> now = tiles();
        boolean tilesLive = expected.stream().allMatch(id -> LIVE.contains(now.get(id).status()));
        return switch (t) {
            case ALERTMANAGER -> tilesLive && !fx(() -> alerts.staleProperty().get());
            case ELASTICSEARCH -> tilesLive && fx(() -> logs.errorProperty().get().isEmpty());
            default -> tilesLive;
        };
    }

    /** Tiles of target t's outage that were live before and should be live again while {@code stillDown} are down. */
    private Set<String> recoverable(Target t, List<Target> stillDown, Set<String> liveBefore) {
        Set<String> out = new LinkedHashSet<>(affected(t, liveBefore));
        if (t == Target.PROMETHEUS) out.addAll(liveBefore);
        for (Target d : stillDown) {
            if (d == Target.PROMETHEUS) return Set.of();
            out.removeAll(affected(d, liveBefore));
            out.removeIf(id -> isIndicator(id, d));
        }
        return out;
    }

    /** True when a still-down target hides t's recovery (Prometheus down hides everything the pages show). */
    private static boolean blinds(List<Target> stillDown, Target t) {
        return stillDown.contains(Target.PROMETHEUS) && (t == Target.POSTGRES || t == Target.EXPORTER);
    }

    /** Tile ids whose figures come (through Prometheus) from the target, among those live before. */
    private Set<String> affected(Target t, Set<String> liveBefore) {
        return switch (t) {
            case PROMETHEUS -> liveBefore;
            case EXPORTER -> liveBefore.stream().filter(id -> usesExporter(id, false) && !isIndicator(id, t)).collect(Collectors.toCollection(LinkedHashSet::new));
            // db_up stays (0: the truth) and the collector's last-success time stays (it ages: the truth)
            case POSTGRES -> liveBefore.stream().filter(id -> usesExporter(id, true) && !isIndicator(id, t)).collect(Collectors.toCollection(LinkedHashSet::new));
            default -> Set.of();
        };
    }

    private boolean usesExporter(String id, boolean dbFiguresOnly) {
        String q = tileSpecs.get(id).query();
        for (String m : exporterMetrics) {
            if (dbFiguresOnly && (m.equals("db_up") || m.startsWith("andon_collector_"))) continue;
            if (Pattern.compile("\\b" + m + "\\b").matcher(q).find()) return true;
        }
        return false;
    }

    private boolean isIndicator(String id, Target t) {
        String q = tileSpecs.get(id).query();
        return switch (t) {
            case EXPORTER -> q.equals(EXPORTER_UP);
            case POSTGRES -> q.equals(DB_UP);
            default -> false;
        };
    }

    private boolean indicatorsAtZero(Map<String, TileState> now, String query) {
        return tileSpecs.entrySet().stream().filter(e -> e.getValue().query().equals(query))
                .allMatch(e -> now.get(e.getKey()).value() == 0.0 && LIVE.contains(now.get(e.getKey()).status()));
    }

    private static boolean dark(TileState s) {
        return !LIVE.contains(s.status());
    }

    /** While non-Prometheus targets are down, Prometheus still answers: no tile may claim its source is blind. */
    private void assertUnaffectedStayLive(String scenario, List<Target> down, Set<String> liveBefore) throws Exception {
        Map<String, TileState> now = tiles();
        if (!down.contains(Target.PROMETHEUS)) {
            Set<String> mayBeDark = new LinkedHashSet<>();
            for (Target d : down) mayBeDark.addAll(affected(d, liveBefore));
            for (String id : liveBefore) {
                if (mayBeDark.contains(id)) continue;
                assertThat(now.get(id).status()).as("%s: unaffected tile %s while %s down: %s", scenario, id, down, now.get(id))
                        .isIn(LIVE);
            }
        }
        if (!down.contains(Target.ALERTMANAGER)) {
            assertThat(fx(() -> alerts.staleProperty().get())).as("%s: alerts page fresh while %s down", scenario, down).isFalse();
        }
        if (!down.contains(Target.ELASTICSEARCH)) {
            assertThat(fx(() -> logs.errorProperty().get())).as("%s: logs page fine while %s down", scenario, down).isEmpty();
        }
    }

    private static boolean uncheck(Check c) {
        try {
            return c.test();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String summary(List<Target> down, Set<String> liveBefore) throws Exception {
        Map<String, TileState> now = tiles();
        Set<String> ids = new LinkedHashSet<>();
        for (Target d : down) ids.addAll(affected(d, liveBefore));
        Map<TileState.Status, Long> by = ids.stream().collect(Collectors.groupingBy(id -> now.get(id).status(), TreeMap::new, Collectors.counting()));
        List<String> parts = new ArrayList<>();
        by.forEach((s, n) -> parts.add(n + " " + s));
        if (down.contains(Target.EXPORTER)) parts.add("exporter-up 0 " + statusOf(now, EXPORTER_UP));
        if (down.contains(Target.POSTGRES) && !down.contains(Target.PROMETHEUS)) parts.add("db_up 0 " + statusOf(now, DB_UP));
        if (down.contains(Target.ALERTMANAGER)) parts.add("alerts stale");
        if (down.contains(Target.ELASTICSEARCH)) parts.add("logs error");
        return String.join(", ", parts);
    }

    private String statusOf(Map<String, TileState> now, String query) {
        return tileSpecs.entrySet().stream().filter(e -> e.getValue().query().equals(query)).map(e -> now.get(e.getKey()).status().toString())
                .findFirst().orElse("?");
    }

    // ---------------------------------------------------------------------------- the exporter while PG is down

    /** db_up 0 and no business figure served; /health and /health/ready not ready with a fixed reason; live OK. */
    private void exporterTellsTheTruth() throws Exception {
        URI ex = stack.exporter().baseUri();
        String metrics = get(ex + "/metrics").body();
        assertThat(metrics.lines().filter(l -> l.startsWith("db_up ")).toList()).as("db_up").containsExactly("db_up 0.0");
        List<String> stale = metrics.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> exporterMetrics.stream().anyMatch(m -> !m.equals("db_up") && !m.startsWith("andon_collector_") && metricIs(l, m))).toList();
        assertThat(stale).as("no database or business gauge served while the database is gone").isEmpty();
        var health = get(ex + "/health");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode h = JSON.readTree(health.body());
        assertThat(h.path("status").asText()).isEqualTo("DOWN");
        String reason = h.path("checks").path("database").path("reason").asText();
        assertThat(reason).as("a fixed reason").isIn("connection refused", "connection failure", "timeout", "server shutting down",
                "no connection available", "database error");
        assertThat(health.body()).as("no exception text").doesNotContainIgnoringCase("exception").doesNotContain("org.postgresql")
                .doesNotContain("\tat ").doesNotContain("127.0.0.1");
        var ready = get(ex + "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("DOWN").doesNotContainIgnoringCase("exception");
        assertThat(get(ex + "/health/live").statusCode()).isEqualTo(200);
        if (notes.stream().noneMatch(n -> n.startsWith("Exporter while PostgreSQL"))) {
            notes.add("Exporter while PostgreSQL is down: /metrics db_up 0 and no DB/business gauge; /health 503 {database: DOWN, reason \""
                    + reason + "\"}; /health/ready 503; /health/live 200.");
        }
    }

    private static boolean metricIs(String line, String name) {
        return line.startsWith(name + " ") || line.startsWith(name + "{");
    }

    // ----------------------------------------------------------------------------------------------- helpers

    /** Metric names of the exporter, from the contract's exporter table (the one list the project shares). */
    private static Set<String> exporterMetricNames() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("andon.project.dir", "."), "docs/metrics-contract.md"));
        int from = doc.indexOf("## Exporter");
        int to = doc.indexOf("\n## ", from + 5);
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_]+)`").matcher(doc.substring(from, to < 0 ? doc.length() : to));
        Set<String> names = new LinkedHashSet<>();
        while (m.find()) names.add(m.group(1));
        assertThat(names).contains("db_up", "mes_equipment_total");
        return names;
    }

    /** Every tile of the four pages: "page/tile" → state, read on the FX thread. */
    private Map<String, TileState> tiles() throws Exception {
        return fx(() -> {
            Map<String, TileState> out = new LinkedHashMap<>();
            pages.forEach((p, vm) -> vm.spec().tiles().forEach(t -> out.put(p + "/" + t.id(), vm.tile(t.id()).get())));
            return out;
        });
    }

    private boolean consoleHasSilence(String name) throws Exception {
        return fx(() -> alerts.silences().stream().anyMatch(s -> isActiveSilence(s, name)));
    }

    private static boolean isActiveSilence(Silence s, String name) {
        return "active".equals(s.state()) && s.matchers().stream().anyMatch(m -> m.value().equals(name));
    }

    /** Requests for equipment that does not exist: the simulated MES logs one INFO line each, with our correlation id. */
    private int rejectedRequests(URI mes, String correlation, int n) throws Exception {
        int sent = 0;
        for (int i = 0; i < n; i++) {
            var r = http.send(HttpRequest.newBuilder(URI.create(mes + "/api/equipment/" + (900_000_000 + i))).header("X-Correlation-ID", correlation)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(404);
            sent++;
        }
        // ground truth: the lines in the MES's own log files, once its asynchronous appender has written the last one
        long inFiles = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (boolean first = true; ; first = false) {
            if (!first) Thread.sleep(100);
            inFiles = 0;
            try (var files = Files.list(stack.workDir().resolve("mes/logs"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    inFiles += Files.readAllLines(f).stream().filter(l -> l.contains(correlation)).count();
                }
            }
            if (inFiles >= sent || System.nanoTime() > deadline) break;
        }
        assertThat(inFiles).as("one log line per rejected request").isEqualTo(sent);
        return sent;
    }

    /** Documents carrying the correlation id, counted through the console's own log client. */
    private long esCount(String correlation) {
        try {
            return logClient.search(LogQuery.last(Duration.ofHours(2)).withRange(java.time.Instant.now().minus(Duration.ofHours(2)), null)
                    .including("correlation_id", correlation), null, 1).total();
        } catch (Exception notYet) {
            return -1;
        }
    }

    /**
     * Statements logged by PostgreSQL (log_min_duration_statement = 0 for this session, simple protocol: one
     * "duration: ... statement: ..." line each) carrying the marker; returns how many its own log files hold.
     */
    private long loggedStatements(String marker, int n) throws Exception {
        var p = new java.util.Properties();
        p.setProperty("user", stack.postgres().superUser());
        p.setProperty("password", stack.postgres().superPassword());
        p.setProperty("ApplicationName", "andon-chaos");
        p.setProperty("preferQueryMode", "simple");
        try (var c = java.sql.DriverManager.getConnection(stack.postgres().jdbcUrl(), p); var st = c.createStatement()) {
            st.execute("SET log_min_duration_statement = 0");
            for (int i = 0; i < n; i++) st.execute("SELECT '" + marker + "-" + i + "' AS chaos_marker");
        }
        // PostgreSQL's logging collector writes behind the statements: on a loaded machine 34 of 40 lines were in the
        // file right after the last one, so wait (bounded) for the file to hold them, then require exactly n
        long inFiles = 0;
        for (long until = System.nanoTime() + Duration.ofSeconds(15).toNanos(); ; Thread.sleep(250)) {
            inFiles = 0;
            try (var files = Files.list(stack.postgres().logDir())) {
                for (Path f : files.filter(x -> x.toString().endsWith(".json")).toList()) {
                    inFiles += Files.readAllLines(f).stream().filter(l -> l.contains(marker) && l.contains("\"message\":\"duration: ")).count();
                }
            }
            if (inFiles >= n || System.nanoTime() > until) break;
        }
        assertThat(inFiles).as("one server-log line per statement").isEqualTo(n);
        return inFiles;
    }

    /** mes-database documents matching {@code clause} (null: any) since {@code since} (null: any time). */
    private long pgCount(String clause, java.time.Instant since) {
        try {
            String body = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"service\":\"mes-database\"}}"
                    + (since == null ? "" : ",{\"range\":{\"@timestamp\":{\"gte\":\"" + since.minusSeconds(1) + "\"}}}")
                    + (clause == null ? "" : "," + clause) + "]}}}";
            var r = http.send(HttpRequest.newBuilder(URI.create(stack.elasticsearch().baseUri() + "/mes-logs-*/_count"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()).path("count").asLong() : -1;
        } catch (Exception notYet) {
            return -1;
        }
    }

    private static String marker(String what) {
        return "chaos-" + what + "-" + UUID.randomUUID();
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long[] sample() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return new long[]{ManagementFactory.getThreadMXBean().getThreadCount(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()};
    }

    /** Every tile of the four pages except those reading a series a young Prometheus cannot have yet (RecordingReadiness). */
    private Set<String> fedTiles() throws Exception {
        Set<String> notYet = io.andon.console.RecordingReadiness.notYetRecorded(stack.prometheus().baseUri());
        Set<String> fed = new LinkedHashSet<>();
        for (var e : tileSpecs.entrySet()) if (io.andon.console.RecordingReadiness.fed(e.getValue().query(), notYet)) fed.add(e.getKey());
        return fed;
    }

    private String notLiveWithStatus(Set<String> ids) throws Exception {
        Map<String, TileState> now = tiles();
        return ids.stream().filter(id -> !LIVE.contains(now.get(id).status())).map(id -> id + " " + now.get(id).status()).collect(Collectors.joining(", "));
    }

    /** Live platform threads by name with digits folded ("OkHttp TaskRunner", "process reaper", ...). */
    private static Map<String, Integer> threadGroups() {
        Map<String, Integer> m = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) m.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
        return m;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    interface Check {
        boolean test() throws Exception;
    }

    private String stillLive(Set<String> ids) {
        try {
            Map<String, TileState> now = tiles();
            java.time.Instant t = java.time.Instant.now();
            return ids.stream().filter(id -> !dark(now.get(id))).map(id -> id + "=" + now.get(id).status() + " " + now.get(id).value()
                    + " fetched " + Duration.between(now.get(id).fetchedAt(), t).toMillis() + " ms ago").toList()
                    + "; Prometheus now: max(mes_equipment_total)=" + value("max(mes_equipment_total)") + ", max(db_up)=" + value("max(db_up)")
                    + ", up{exporter}=" + value("max(up{job=\"andon-exporter\"})");
        } catch (Exception e) {
            return e.toString();
        }
    }

    private String notLive(Set<String> ids) {
        try {
            Map<String, TileState> now = tiles();
            return ids.stream().filter(id -> dark(now.get(id))).map(id -> id + "=" + now.get(id).status() + " " + now.get(id).message()).toList().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static void awaitTrue(String what, Duration timeout, Check c) throws Exception {
        awaitTrue(what, timeout, c, () -> "");
    }

    private static void awaitTrue(String what, Duration timeout, Check c, java.util.function.Supplier<String> detail) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (c.test()) return;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": not within " + timeout.toMillis() + " ms" + (last == null ? "" : " (last error: " + last + ")")
                + " " + detail.get());
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        if (Platform.isFxApplicationThread()) return c.call();
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------------------------------ report

    private String markdown() {
        StringBuilder sb = new StringBuilder("## Chaos: SIGKILL and restart on the real stack\n\n");
        sb.append("Console view models refresh every ").append(INTERVAL.toMillis()).append(" ms (logs tail ").append(LOGS_INTERVAL.toMillis())
                .append(" ms); Prometheus scrapes and evaluates every 1 s; exporter collects every 1 s. Times in ms from the SIGKILL / from ")
                .append("the restarted service answering. *chain*: until Prometheus shows it (database and exporter), until the killed process is gone ")
                .append("(sources the console reads directly), until Prometheus has scraped the exporter again (Prometheus restart). Goal: console − chain ≤ 2 intervals + ")
                .append(SLACK.toMillis()).append(" ms (stale) and ≤ 1 interval + ").append(RECOVER_SLACK.toMillis())
                .append(" ms (recover). -1: hidden by the other target of the pair, timed with it.\n\n");
        sb.append("| scenario | target | chain down | console stale | chain up | console recovered | verdict | what the console showed |\n");
        sb.append("|---|---|---:|---:|---:|---:|---|---|\n");
        for (Row r : rows) {
            boolean staleOk = r.staleMs() - r.chainDownMs() <= interval(r.target()).multipliedBy(2).plus(SLACK).toMillis();
            boolean recoverOk = r.recoverMs() < 0 || r.recoverMs() - r.chainUpMs() <= interval(r.target()).plus(RECOVER_SLACK).toMillis();
            sb.append("| ").append(r.scenario()).append(" | ").append(r.target().label()).append(" | ").append(r.chainDownMs()).append(" | ")
                    .append(r.staleMs()).append(" | ").append(r.chainUpMs()).append(" | ").append(r.recoverMs()).append(" | ")
                    .append(staleOk && recoverOk ? io.andon.bench.Verdict.MET : io.andon.bench.Verdict.NOT_MET).append(" | ").append(r.seen()).append(" |\n");
        }
        sb.append('\n');
        for (String n : notes) sb.append("- ").append(n).append('\n');
        sb.append("\nCommand: `xvfb-run -a mvn -B -ntp test -Dtest=ChaosTest -Dandon.cache=/var/cache/andon [-Dandon.chaos.cycles=20]`\n");
        return sb.toString();
    }
}
