package io.andon.stack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service that is an OS process: start, wait for readiness with a timeout, stop or kill the whole
 * process tree. A service that does not come up fails with its name, command line and log tail.
 */
public abstract class ProcessService implements Service {
    private static final Logger log = LoggerFactory.getLogger(ProcessService.class);
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    protected final String name;
    protected final Path dir;
    protected int port; // may change once, before the first successful start, if another process took it
    private final Duration readyTimeout;
    private volatile Process process;
    private volatile long lastStartMillis = -1;
    // set by abort(): a start in progress gives up instead of polling until its timeout
    private volatile boolean aborted;
    private volatile boolean starting;
    // set for Prometheus, Alertmanager and Elasticsearch of a secured stack: HTTPS with the test CA + credentials
    private StackSecurity security;

    protected ProcessService(String name, Path dir, int port, Duration readyTimeout) {
        this.name = name;
        this.dir = dir;
        this.port = port;
        this.readyTimeout = readyTimeout;
    }

    @Override public String name() { return name; }
    @Override public int port() { return port; }
    @Override public Path logFile() { return dir.resolve(name + ".log"); }
    public Path dir() { return dir; }

    void secure(StackSecurity s) { this.security = s; }

    /** The secured stack's PKI and credentials, or null when this service speaks plain HTTP. */
    protected StackSecurity security() { return security; }

    @Override
    public URI baseUri() {
        return URI.create((security != null ? "https" : "http") + "://127.0.0.1:" + port);
    }

    /** How long the last start took until ready. */
    public long lastStartMillis() { return lastStartMillis; }

    /** Called once before the first start (initdb, config rendering). */
    protected void prepare() throws Exception {}

    protected abstract List<String> command();

    protected Map<String, String> environment() { return Map.of(); }

    /** True when the service answers. */
    protected abstract boolean ready() throws Exception;

    private boolean prepared;
    private boolean startedOnce;

    /** The port was taken between choosing and binding: pick another (first start only). */
    protected void portChanged() {}

    @Override
    public synchronized void start() {
        for (int attempt = 1; ; attempt++) {
            try {
                startOnce();
                startedOnce = true;
                return;
            } catch (StackException e) {
                boolean raced = !startedOnce && port > 0 && attempt < 3 && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("address already in use");
                if (!raced) throw e;
                log.warn("{}: port {} was taken by another process, retrying on a new port", name, port);
                port = Ports.free();
                portChanged();
            }
        }
    }

    private void startOnce() {
        if (isRunning()) return;
        if (aborted) throw new StackException(name + ": not started, the stack is closing");
        long t0 = System.nanoTime();
        starting = true;
        try {
            Files.createDirectories(dir);
            if (!prepared) {
                prepare();
                prepared = true;
            }
            List<String> cmd = command();
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            pb.environment().putAll(environment());
            process = pb.start();
            long deadline = System.nanoTime() + readyTimeout.toNanos();
            while (true) {
                if (aborted) throw failure("start abandoned: the stack is closing", cmd);
                if (!process.isAlive()) {
                    throw failure("exited with code " + process.exitValue() + " before it was ready", cmd);
                }
                try {
                    if (ready()) break;
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw failure("not ready within " + readyTimeout.toSeconds() + " s", cmd);
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree();
            throw new IllegalStateException(name + ": interrupted while starting", e);
        } catch (StackException e) {
            killTree();
            throw e;
        } catch (Exception e) {
            killTree();
            throw new StackException(name + " could not start: " + e.getMessage() + "\n--- last lines of " + logFile() + " ---\n" + tail(40), e);
        } finally {
            starting = false;
        }
        lastStartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (port > 0) log.info("{} ready in {} ms on 127.0.0.1:{}", name, lastStartMillis, port);
        else log.info("{} ready in {} ms (no port of its own)", name, lastStartMillis);
    }

    private StackException failure(String what, List<String> cmd) {
        return new StackException(name + " " + what + "\ncommand: " + display(cmd)
                + "\n--- last lines of " + logFile() + " ---\n" + tail(40));
    }

    /** The command line for messages; a child JVM's class path (hundreds of jars) is shortened. */
    static String display(List<String> cmd) {
        List<String> out = new java.util.ArrayList<>(cmd);
        int cp = out.indexOf("-cp");
        if (cp >= 0 && cp + 1 < out.size()) out.set(cp + 1, "<class path of this JVM>");
        return String.join(" ", out);
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void stop() {
        if (process == null) return;
        gracefulStop();
        killTree();
    }

    /** Default graceful stop: SIGTERM to the tree, wait. Subclasses may use their own tool (pg_ctl). */
    protected void gracefulStop() {
        Process p = process;
        if (p == null || !p.isAlive()) return;
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void kill() {
        killTree();
    }

    /**
     * Marks the service as closing and kills the tree of a start in progress, without waiting for the lock
     * that start holds: Ctrl-C during the demo's Elasticsearch start must not wait for its ready timeout.
     * A running service is left to the graceful {@link #stop()}.
     */
    void abort() {
        aborted = true;
        Process p = process;
        if (starting && p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** The service's main OS process while it runs (chaos tests check that a kill really ended it). */
    public java.util.Optional<ProcessHandle> processHandle() {
        Process p = process;
        return p == null ? java.util.Optional.empty() : java.util.Optional.of(p.toHandle());
    }

    private void killTree() {
        Process p = process;
        if (p == null) return;
        // descendants first: setpriv/runuser exec the service, but wrappers may leave children behind
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    protected Process process() { return process; }

    public String tail(int lines) {
        try {
            if (!Files.exists(logFile())) return "(no log)";
            Deque<String> last = new ArrayDeque<>();
            for (String l : Files.readAllLines(logFile(), StandardCharsets.UTF_8)) {
                last.addLast(l);
                if (last.size() > lines) last.removeFirst();
            }
            return String.join("\n", last);
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** GET status over plain HTTP, or over HTTPS with the given authorization when the service is secured. */
    protected int httpStatus(URI uri, String authorization) throws IOException, InterruptedException {
        return security == null ? httpStatus(uri) : security.status(uri, authorization);
    }

    protected static int httpStatus(URI uri) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build();
        return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
