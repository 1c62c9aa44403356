package io.andon.server.mes.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Open-loop load against the simulated MES, shaped like the plant (10 queries : 1 write). Bounded by a
 * request count and a duration, and only ever aimed at this machine: a non-loopback target is refused.
 */
public final class LoadGenerator {
    public record Report(double seconds, long queries, long writes, double queriesPerSecond, double writesPerSecond,
                         double p50QueryMs, double p99QueryMs, double p50WriteMs, double p99WriteMs, Map<Integer, Long> statuses,
                         Map<String, Long> failures) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%.1f s: %.0f q/s (P50 %.1f ms, P99 %.1f ms), %.0f w/s (P50 %.1f ms, P99 %.1f ms), statuses %s%s",
                    seconds, queriesPerSecond, p50QueryMs, p99QueryMs, writesPerSecond, p50WriteMs, p99WriteMs, statuses,
                    failures.isEmpty() ? "" : " (status 0 = no answer: " + failures + ")");
        }
    }

    private static final int TICK_MS = 10;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final URI target;
    private final AtomicInteger rate;
    private final int queriesPerWrite;
    private final long maxRequests;
    private final Duration maxDuration;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong queries = new AtomicLong(), writes = new AtomicLong();
    // latency histograms in 0.1 ms steps up to 10 s: bounded memory whatever the run length
    private final AtomicLongArray queryHist = new AtomicLongArray(100_001), writeHist = new AtomicLongArray(100_001);
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private ScheduledExecutorService ticker;
    private volatile long startNanos;
    private double carry;
    private volatile int dayRate;
    private volatile boolean night;
    private volatile String followToken;
    private volatile String scenarioSeen;
    private volatile long lastDoneNanos;

    public LoadGenerator(URI target, int ratePerSecond, int queriesPerWrite, long maxRequests, Duration maxDuration) {
        requireLoopback(target);
        this.target = target;
        if (ratePerSecond < 0 || queriesPerWrite < 1 || maxRequests < 1 || maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("rate >= 0, queries per write >= 1, max requests >= 1 and a positive duration needed");
        }
        this.rate = new AtomicInteger(ratePerSecond);
        this.dayRate = ratePerSecond;
        this.queriesPerWrite = queriesPerWrite;
        this.maxRequests = maxRequests;
        this.maxDuration = maxDuration;
    }

    /**
     * Accepts only 127.0.0.0/8, ::1 and the name {@code localhost}. Nothing is resolved: a name lookup is
     * itself traffic, and a name that resolves to loopback today may not tomorrow.
     */
    static void requireLoopback(URI target) {
        if (target == null || target.getHost() == null) throw new IllegalArgumentException("target needs a host, e.g. http://127.0.0.1:8080");
        if (!"http".equalsIgnoreCase(target.getScheme()) && !"https".equalsIgnoreCase(target.getScheme())) {
            throw new IllegalArgumentException("target must be an http(s) URL: " + target);
        }
        String host = target.getHost();
        if (host.equalsIgnoreCase("localhost")) return;
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress a;
        try {
            a = literal.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*") ? InetAddress.ofLiteral(literal) : null;
        } catch (IllegalArgumentException notAnAddress) {
            a = null;
        }
        boolean ok = a instanceof java.net.Inet4Address v4 ? (v4.getAddress()[0] == 127)
                : a instanceof java.net.Inet6Address v6 && v6.isLoopbackAddress();
        if (!ok) throw new IllegalArgumentException("load is only ever sent to this machine; " + host
                + " is not loopback (use 127.0.0.1, ::1 or localhost)");
    }

    /** Sets the day rate (requests per second); at night the generator runs at 1 % of it when following the scenario. */
    public void setRate(int perSecond) {
        dayRate = Math.max(0, perSecond);
        rate.set(night ? nightRate(dayRate) : dayRate);
    }

    static int nightRate(int dayRate) { return dayRate == 0 ? 0 : Math.max(1, dayRate / 100); }

    /**
     * Follows the service's scenario (GET /admin/scenario once a second): an idle plant at night gets 1 % of
     * the day's requests, like the plant's terminals.
     */
    public LoadGenerator followScenario(String adminTokenOrNull) {
        followToken = adminTokenOrNull == null ? "" : adminTokenOrNull;
        return this;
    }

    /** The scenario seen at the last poll, or null when not following. */
    public String scenarioSeen() { return scenarioSeen; }

    private void pollScenario() {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve("/admin/scenario")).timeout(Duration.ofSeconds(2)).GET();
        if (!followToken.isEmpty()) b.header("Authorization", "Bearer " + followToken);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return;
            String sc = JSON.readTree(r.body()).path("scenario").asText("");
            if (sc.isEmpty()) return;
            scenarioSeen = sc;
            boolean n = scenarioSeen.equals("night");
            if (n != night) {
                night = n;
                rate.set(n ? nightRate(dayRate) : dayRate);
            }
        } catch (java.io.IOException e) {
            // service away (restart, outage): keep the current rate
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int rate() { return rate.get(); }

    public synchronized void startInBackground() {
        startNanos = System.nanoTime();
        lastTickNanos = startNanos;
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("load").factory());
        ticker.scheduleAtFixedRate(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        if (followToken != null) {
            pollScenario(); // before the first second of load: a night start must not begin at the day rate
            Thread.ofVirtual().name("load-scenario").start(() -> {
                while (!ticker.isShutdown()) {
                    pollScenario();
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
    }

    /** Runs until the count or the duration is reached, then reports. */
    public Report run() throws InterruptedException {
        startInBackground();
        long deadline = startNanos + maxDuration.toNanos();
        while (System.nanoTime() < deadline && sent.get() < maxRequests) Thread.sleep(50);
        stop();
        tick(); // the ticks a starved timer thread did not get to: what was due up to the end is sent, no more
        stop();
        long drain = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < drain) Thread.sleep(20);
        return report();
    }

    /**
     * Closed loop: {@code concurrency} clients, each sending its next request as soon as the last one answered, until
     * the count or the duration is reached. What the service sustains at saturation (the open loop only ever gets
     * what it sends). The same mix and the same bounds as {@link #run()}; the rate given to the constructor is unused.
     */
    public Report runClosedLoop(int concurrency) throws InterruptedException {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency >= 1 needed");
        startNanos = System.nanoTime();
        long deadline = startNanos + maxDuration.toNanos();
        java.util.List<Thread> workers = new java.util.ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(Thread.ofVirtual().name("load-closed-" + w).start(() -> {
                while (System.nanoTime() < deadline && sent.incrementAndGet() <= maxRequests) {
                    boolean write = ThreadLocalRandom.current().nextInt(queriesPerWrite + 1) == 0;
                    long t0 = System.nanoTime();
                    inFlight.incrementAndGet();
                    HttpResponse<Void> resp = null;
                    Throwable err = null;
                    try {
                        resp = http.send(write ? writeRequest() : queryRequest(), HttpResponse.BodyHandlers.discarding());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (java.io.IOException | RuntimeException e) {
                        err = e;
                    }
                    record(resp, err, t0, write);
                }
                sent.updateAndGet(n -> Math.min(n, maxRequests)); // the last increments of each worker sent nothing
            }));
        }
        for (Thread t : workers) t.join();
        return report();
    }

    public synchronized void stop() {
        if (ticker != null) ticker.shutdownNow();
    }

    private synchronized void tick() {
        long now = System.nanoTime();
        // what is due follows the clock, not the tick count: on a busy machine ticks run late (or merge), and a fixed
        // TICK_MS per tick sent ~15 % less than asked at a load average of 50; capped at the run's end
        long upTo = Math.min(now, startNanos + maxDuration.toNanos());
        long since = upTo - lastTickNanos;
        lastTickNanos = Math.max(lastTickNanos, upTo);
        if (since > 0) carry += rate.get() * since / 1e9;
        if (sent.get() >= maxRequests || now - startNanos > maxDuration.toNanos()) {
            flushDue();
            stop();
            return;
        }
        flushDue();
    }

    private long lastTickNanos;

    private void flushDue() {
        int n = (int) carry;
        carry -= n;
        for (int i = 0; i < n && sent.get() < maxRequests; i++) {
            sent.incrementAndGet();
            boolean write = ThreadLocalRandom.current().nextInt(queriesPerWrite + 1) == 0;
            send(write ? writeRequest() : queryRequest(), write);
        }
    }

    private void send(HttpRequest req, boolean write) {
        long t0 = System.nanoTime();
        inFlight.incrementAndGet();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> record(resp, err, t0, write));
    }

    private void record(HttpResponse<?> resp, Throwable err, long t0, boolean write) {
        lastDoneNanos = System.nanoTime();
        inFlight.decrementAndGet();
        int status = err != null ? 0 : resp.statusCode();
        if (err != null) {
            Throwable root = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
            failures.computeIfAbsent(root.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
        }
        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        int slot = (int) Math.min(100_000, (System.nanoTime() - t0) / 100_000);
        (write ? writeHist : queryHist).incrementAndGet(slot);
        (write ? writes : queries).incrementAndGet();
    }

    private HttpRequest queryRequest() {
        var r = ThreadLocalRandom.current();
        String path = switch (r.nextInt(4)) {
            case 0 -> "/api/equipment/" + (1 + r.nextInt(600));
            case 1 -> "/api/inventory/" + (1 + r.nextInt(20_000));
            case 2 -> "/api/work-orders?plant=P0" + (1 + r.nextInt(3)) + "&status=RUNNING";
            default -> "/api/work-orders/" + (1 + r.nextInt(300));
        };
        return HttpRequest.newBuilder(target.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("X-User-ID", "terminal-" + r.nextInt(40)).GET().build();
    }

    private HttpRequest writeRequest() {
        var r = ThreadLocalRandom.current();
        String path, body;
        switch (r.nextInt(3)) {
            case 0 -> {
                path = "/api/production-reports";
                body = "{\"work_order_id\":" + (1 + r.nextInt(300)) + ",\"qty_good\":" + (1 + r.nextInt(5)) + ",\"qty_scrap\":0}";
            }
            case 1 -> {
                path = "/api/inventory/movements";
                body = "{\"inventory_id\":" + (1 + r.nextInt(20_000)) + ",\"qty_delta\":1,\"reason\":\"receipt\"}";
            }
            default -> {
                path = "/api/equipment/" + (101 + r.nextInt(500)) + "/status";
                body = "{\"status\":\"" + (r.nextBoolean() ? "ACTIVE" : "IDLE") + "\"}";
            }
        }
        return HttpRequest.newBuilder(target.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-User-ID", "operator-" + r.nextInt(40))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    public Report report() {
        // rates over the time the requests took, not the idle drain wait after the last answer
        long end = inFlight.get() > 0 || lastDoneNanos == 0 ? System.nanoTime() : lastDoneNanos;
        double secs = Math.max(1e-3, (end - startNanos) / 1e9);
        Map<Integer, Long> st = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> st.put(k, v.get()));
        Map<String, Long> fl = new java.util.TreeMap<>();
        failures.forEach((k, v) -> fl.put(k, v.get()));
        return new Report(secs, queries.get(), writes.get(), queries.get() / secs, writes.get() / secs,
                pct(queryHist, 0.50), pct(queryHist, 0.99), pct(writeHist, 0.50), pct(writeHist, 0.99), st, fl);
    }

    private static double pct(AtomicLongArray h, double q) {
        long total = 0;
        for (int i = 0; i < h.length(); i++) total += h.get(i);
        if (total == 0) return Double.NaN;
        long want = (long) Math.ceil(q * total), seen = 0;
        for (int i = 0; i < h.length(); i++) {
            seen += h.get(i);
            if (seen >= want) return (i + 1) / 10.0;
        }
        return 10_000;
    }

    public long sent() { return sent.get(); }
}
