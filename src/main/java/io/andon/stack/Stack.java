package io.andon.stack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One set of real services on 127.0.0.1 free ports, used by the integration tests and by the demo.
 * Services start lazily on first access and are all stopped by {@link #close()} or a JVM shutdown hook
 * (Ctrl-C, test failures).
 */
public final class Stack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Stack.class);

    private final StackOptions options;
    private final Path projectDir;
    private final Path serverDir;
    private final Path workDir;
    private final Map<String, ProcessService> services = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Alertmanager> alertmanagers = new ArrayList<>();
    private final Thread hook;
    private WebhookSink sink;
    private volatile boolean closed;
    private final StackSecurity security;

    public Stack(StackOptions options) {
        this.options = options;
        this.projectDir = Path.of(System.getProperty("andon.project.dir", System.getProperty("user.dir"))).toAbsolutePath();
        this.serverDir = projectDir.resolve("src/server");
        this.workDir = chooseWorkDir(projectDir, options.label());
        this.security = options.secured() ? StackSecurity.create(workDir.resolve("pki")) : null;
        this.hook = new Thread(this::close, "andon-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("stack ({}) working in {}", options.label(), workDir);
    }

    private static Path chooseWorkDir(Path projectDir, String label) {
        String id = label + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + ProcessHandle.current().pid();
        try {
            Path dir = Files.createDirectories(projectDir.resolve("target/stack").resolve(id));
            ServiceUser.own(dir);
            if (ServiceUser.canWrite(dir)) return dir;
            // e.g. a checkout under /root: the service user cannot reach target/, so use the temp dir
            Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "andon-stack", id));
            ServiceUser.own(tmp.getParent());
            log.warn("service user '{}' cannot write {}; using {}", ServiceUser.NAME, dir, tmp);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public StackOptions options() { return options; }

    /** The test CA and the credentials of a secured stack ({@link StackOptions#withSecurity()}). */
    public StackSecurity security() {
        if (security == null) throw new IllegalStateException("this stack is not secured (use StackOptions.withSecurity())");
        return security;
    }

    private <T extends ProcessService> T secured(T s) {
        if (security != null) s.secure(security);
        if (security != null && s instanceof Elasticsearch es) es.readerRole(serverDir.resolve("elasticsearch/andon-reader-role.json"));
        return s;
    }
    public Path workDir() { return workDir; }
    public Path serverDir() { return serverDir; }

    @SuppressWarnings("unchecked")
    private synchronized <T extends ProcessService> T service(String name, java.util.function.Supplier<T> create) {
        if (closed) throw new IllegalStateException("stack is closed");
        T s = (T) services.computeIfAbsent(name, n -> create.get());
        if (!s.isRunning() && !stoppedOnPurpose.contains(name)) s.start();
        return s;
    }

    // a service a test stopped stays stopped when the test asks for the handle again
    private final java.util.Set<String> stoppedOnPurpose = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public synchronized Postgres postgres() {
        return service("postgres", () -> new Postgres(workDir.resolve("postgres"), Ports.free(), serverDir.resolve("postgres")));
    }

    public synchronized Prometheus prometheus() {
        boolean fresh = !services.containsKey("prometheus");
        Prometheus p = service("prometheus", () -> secured(new Prometheus(workDir.resolve("prometheus"), Ports.free(), serverDir, options)));
        if (fresh) {
            // services started before Prometheus become its targets too
            pendingTargets.forEach((job, hp) -> p.setTargets(job, List.of(hp)));
            if (!alertmanagers.isEmpty()) p.setTargets("alertmanager", alertmanagerTargets());
        }
        return p;
    }

    public synchronized Alertmanager alertmanager() { return alertmanager(0); }

    /** Alertmanager number {@code index}; more than one form an HA cluster. */
    public synchronized Alertmanager alertmanager(int index) {
        while (alertmanagers.size() <= index) {
            int i = alertmanagers.size();
            String name = i == 0 ? "alertmanager" : "alertmanager-" + i;
            Alertmanager am = new Alertmanager(name, workDir.resolve(name), Ports.free(),
                    serverDir.resolve("alertmanager/alertmanager.yml"), serverDir.resolve("alertmanager/templates"),
                    webhookSink().url());
            secured(am);
            for (Alertmanager peer : alertmanagers) {
                am.addPeer(peer);
                peer.addPeer(am);
            }
            alertmanagers.add(am);
            services.put(name, am);
        }
        Alertmanager am = alertmanagers.get(index);
        if (!am.isRunning() && !stoppedOnPurpose.contains(am.name())) am.start();
        // Prometheus alerts every member, as a site's HA pair is configured; the pair deduplicates
        if (services.get("prometheus") instanceof Prometheus p) p.setTargets("alertmanager", alertmanagerTargets());
        return am;
    }

    private List<String> alertmanagerTargets() {
        return alertmanagers.stream().map(a -> "127.0.0.1:" + a.port()).toList();
    }

    public synchronized Elasticsearch elasticsearch() {
        return service("elasticsearch", () -> secured(new Elasticsearch(workDir.resolve("elasticsearch"), Ports.free(), Elasticsearch.defaultHome())));
    }

    /**
     * A multi-node Elasticsearch cluster (scale-out tests), separate from {@link #elasticsearch()}: node 0 is
     * master-eligible and holds data, the others hold data only, so losing any other node keeps the cluster
     * running (two master-eligible nodes could not survive losing either: a quorum of two is both). Nodes start
     * concurrently; each one a test stopped stays stopped, as with every service.
     */
    public synchronized List<Elasticsearch> elasticsearchCluster(int size) {
        if (size < 2) throw new IllegalArgumentException("a cluster has at least two nodes; use elasticsearch() for one");
        if (closed) throw new IllegalStateException("stack is closed");
        List<Elasticsearch> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String name = "es-node-" + i;
            ProcessService existing = services.get(name);
            nodes.add(existing instanceof Elasticsearch e ? e
                    : new Elasticsearch(name, workDir.resolve(name), Ports.free(), Elasticsearch.defaultHome(), "andon-scaleout", i == 0));
        }
        for (Elasticsearch n : nodes) {
            n.joinCluster(nodes);
            services.putIfAbsent(n.name(), n);
        }
        List<Thread> starts = new ArrayList<>();
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        for (Elasticsearch n : nodes) {
            if (n.isRunning() || stoppedOnPurpose.contains(n.name())) continue;
            starts.add(Thread.ofVirtual().name("start-" + n.name()).start(() -> {
                try {
                    n.start();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : starts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the Elasticsearch cluster", e);
            }
        }
        if (!failures.isEmpty()) throw failures.getFirst();
        return List.copyOf(nodes);
    }

    /** VictoriaMetrics (single node) with extra command-line flags, as a shared store for several plants' Prometheus. */
    public synchronized VictoriaMetrics victoriaMetrics(String... extraArgs) {
        return service("victoria-metrics", () -> new VictoriaMetrics("victoria-metrics", workDir.resolve("victoria-metrics"), Ports.free(), List.of(extraArgs)));
    }

    /**
     * A plant's own Prometheus (the project's config and rules, like {@link #prometheus()}) whose targets carry
     * {@code plant=<plant>} and which remote-writes everything to {@code remoteWrite} with external labels
     * {@code site} and {@code plant} set to the plant. No targets but itself: the test points its jobs with
     * {@link Prometheus#setTargets}.
     */
    public synchronized Prometheus plantPrometheus(String plant, java.net.URI remoteWrite) {
        if (!plant.matches("[A-Za-z0-9_-]+")) throw new IllegalArgumentException("plant code '" + plant + "' is not a plain name");
        String name = "prometheus-" + plant.toLowerCase(java.util.Locale.ROOT);
        return service(name, () -> new Prometheus(name, workDir.resolve(name), Ports.free(), serverDir, options, plant, java.util.Optional.of(remoteWrite)));
    }

    /**
     * Zipkin with its in-memory store (150 000 spans, the newest traces kept, in a 384 MB heap). The demo's MES at
     * 150 req/s, every trace sampled, makes about 650 spans/s (4 per query, 9-10 per production report with the
     * ERP's): some four minutes of traces. Start it before {@link #mes} and {@link #external}: they export to it.
     */
    public synchronized Zipkin zipkin() {
        return service("zipkin", () -> new Zipkin("zipkin", workDir.resolve("zipkin"), Ports.free(), 150_000));
    }

    public synchronized WebhookSink webhookSink() {
        if (sink == null) sink = new WebhookSink();
        return sink;
    }

    /** The exporter in a child JVM, reading the database as the monitor role; scraped by Prometheus as andon-exporter. */
    public synchronized JavaService exporter(String... extraArgs) {
        Postgres pg = postgres();
        JavaService s = service("exporter", () -> {
            List<String> args = new ArrayList<>(List.of("--jdbc-url", pg.jdbcUrl(), "--db-user", pg.monitorUser()));
            args.addAll(List.of(extraArgs));
            return new JavaService("exporter", workDir.resolve("exporter"), Ports.free(), "io.andon.server.exporter.ExporterMain",
                    args, Map.of("ANDON_DB_PASSWORD", pg.monitorPassword()));
        });
        registerTarget("andon-exporter", s);
        return s;
    }

    /**
     * The simulated MES service in a child JVM; scraped by Prometheus as mes-app. It is always traced; when this
     * stack has started Zipkin ({@link #zipkin()}) or the ERP service ({@link #external()}) before, it exports
     * its spans there ({@code --zipkin-url}) and checks production reports with the ERP ({@code --external-url}),
     * unless {@code extraArgs} say otherwise.
     */
    public synchronized JavaService mes(String... extraArgs) {
        return mesInstance("mes", extraArgs);
    }

    /**
     * The simulated ERP/quality service (io.andon.server.erp.ErpMain) the MES calls, traced as {@code mes-erp}
     * into this stack's Zipkin when that was started first.
     */
    public synchronized JavaService external(String... extraArgs) {
        return service("mes-erp", () -> new JavaService("mes-erp", workDir.resolve("mes-erp"), Ports.free(), "io.andon.server.erp.ErpMain",
                withTracing(List.of(extraArgs), false), Map.of()));
    }

    /** {@code args} plus {@code --zipkin-url} (and {@code --external-url}) of the services this stack has started. */
    private List<String> withTracing(List<String> args, boolean external) {
        List<String> out = new ArrayList<>(args);
        if (!args.contains("--zipkin-url") && !args.contains("--no-tracing") && services.get("zipkin") instanceof Zipkin z) {
            out.addAll(List.of("--zipkin-url", z.spansEndpoint().toString()));
        }
        if (external && !args.contains("--external-url") && services.get("mes-erp") instanceof JavaService erp) {
            out.addAll(List.of("--external-url", erp.baseUri().toString()));
        }
        return out;
    }

    /** Another simulated MES instance under its own name (a second plant, or a benchmark variant). */
    public synchronized JavaService mesInstance(String name, String... extraArgs) {
        Postgres pg = postgres();
        JavaService s = service(name, () -> {
            List<String> args = new ArrayList<>(List.of("--jdbc-url", pg.jdbcUrl(), "--db-user", pg.superUser(),
                    "--log-dir", workDir.resolve(name + "/logs").toString()));
            args.addAll(withTracing(List.of(extraArgs), true));
            return new JavaService(name, workDir.resolve(name), Ports.free(), "io.andon.server.mes.MesMain",
                    args, Map.of("ANDON_DB_PASSWORD", pg.superPassword()));
        });
        if (name.equals("mes")) registerTarget("mes-app", s);
        return s;
    }

    /**
     * Any main class of the classpath in a child JVM under the harness's control: started with
     * {@code --port P} and {@code args}, ready when {@code GET /health/live} answers 200, env passed as given
     * (secrets go here, never in args). The exporter and the simulated MES are instances of this.
     */
    public synchronized JavaService javaService(String name, String mainClass, List<String> args, Map<String, String> env) {
        return service(name, () -> new JavaService(name, workDir.resolve(name), Ports.free(), mainClass, args, env));
    }

    /**
     * The rsyslog shipper tailing the simulated MES's JSON logs (or {@code logGlob}) and the harness
     * PostgreSQL's server log ({@link Postgres#logGlob()}, service mes-database) into Elasticsearch.
     */
    public synchronized Shipper shipper(String logGlob) {
        if (security != null) throw new IllegalStateException("the rsyslog shipper is not set up for a secured Elasticsearch");
        Elasticsearch es = elasticsearch();
        return service("shipper", () -> {
            // the directory exists before rsyslog watches it, PostgreSQL started or not (it is chowned at its init)
            Path pgLogs = workDir.resolve("postgres/log");
            try {
                Files.createDirectories(pgLogs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Shipper(workDir.resolve("shipper"), serverDir.resolve("rsyslog/andon-shipper.conf"), logGlob,
                    pgLogs + "/postgresql-*", es);
        });
    }

    public synchronized Shipper shipper() {
        return shipper(workDir.resolve("mes/logs").toString() + "/*.json");
    }

    private void registerTarget(String job, Service s) {
        ProcessService prom = services.get("prometheus");
        if (prom instanceof Prometheus p) p.setTargets(job, List.of("127.0.0.1:" + s.port()));
        pendingTargets.put(job, "127.0.0.1:" + s.port());
    }

    private final Map<String, String> pendingTargets = new java.util.concurrent.ConcurrentHashMap<>();

    /** Stops a service and keeps it stopped until {@link #startAgain(String)} (chaos and stale tests). */
    public void stopService(String name, boolean kill) {
        ProcessService s = services.get(name);
        if (s == null) throw new IllegalArgumentException("no service " + name);
        stoppedOnPurpose.add(name);
        if (kill) s.kill(); else s.stop();
    }

    public void startAgain(String name) {
        ProcessService s = services.get(name);
        stoppedOnPurpose.remove(name);
        s.start();
    }

    /** Start-up times of every service started so far, for the closing notes. */
    public Map<String, Long> startTimes() {
        Map<String, Long> m = new LinkedHashMap<>();
        synchronized (services) {
            services.forEach((n, s) -> m.put(n, s.lastStartMillis()));
        }
        return m;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<ProcessService> all;
        synchronized (services) {
            all = new ArrayList<>(services.values());
        }
        Collections.reverse(all);
        // a start in progress holds its service's lock and may poll for minutes: cut it short first
        for (ProcessService s : all) s.abort();
        for (ProcessService s : all) {
            try {
                s.stop();
            } catch (RuntimeException e) {
                log.warn("stopping {}: {}", s.name(), e.toString());
            }
        }
        if (sink != null) sink.close();
        try {
            if (Thread.currentThread() != hook) Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // already in shutdown
        }
    }
}
