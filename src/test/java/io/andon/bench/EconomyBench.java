package io.andon.bench;

import io.andon.board.DashboardRepository;
import io.andon.board.PageSpec;
import io.andon.board.QueryHub;
import io.andon.board.RefreshEngine;
import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryKey;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Issue 21, query economy, on the harness Prometheus with the MES under load and the exporter collecting. A wall
 * is simulated without JavaFX (the refresh engines and the rotation are what query; the FX side of the switch is
 * {@code WallPreloadTest}): every bundled page on the default datasource at its own refresh interval, rotating with
 * a dwell of {@value #DWELL_S} s.
 * <ul>
 *   <li><b>before</b> (the wall until issue 21): every page refreshing all the time, each page its own client;</li>
 *   <li><b>after</b>: one query hub per console, only the page shown refreshing, the next page refreshed just
 *       before it is shown.</li>
 * </ul>
 * Per phase: instant queries answered by Prometheus (its own {@code prometheus_http_requests_total}), and
 * Prometheus's CPU ({@code process_cpu_seconds_total}) over the phase minus an idle phase of the same length
 * (scrapes and rule evaluation cost the same in every phase), scaled to an hour. A page switch is "fresh" when
 * every tile of the page shown has a state made after the switch began.
 */
@Tag("bench")
@ExtendWith(StackExtension.class)
class EconomyBench {
    static final int DWELL_S = 5;
    static final long LEAD_MS = 2000;
    static final Duration PHASE = Duration.ofSeconds(Long.getLong("andon.economy.phaseSeconds", 60));

    static List<PageSpec> pages() throws Exception {
        List<PageSpec> out = new ArrayList<>();
        for (PageSpec p : new DashboardRepository(Optional.empty()).load()) if (p.datasource() == null || p.datasource().equals("default")) out.add(p);
        return out;
    }

    record Prom(double cpuSeconds, long queries) {}

    static Prom prom(Stack stack) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.prometheus().baseUri() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double cpu = Double.NaN;
        long q = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("process_cpu_seconds_total ")) cpu = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("prometheus_http_requests_total{") && line.contains("handler=\"/api/v1/query\"")) {
                q += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new Prom(cpu, q);
    }

    /** One console's wall: its engines and the rotation. */
    static final class Wall implements AutoCloseable {
        final List<RefreshEngine> engines = new ArrayList<>();
        final boolean economy;
        final QueryHub hub;
        final List<Double> freshMs = new ArrayList<>();
        /** Each refresh the wall needed (the first page's, then every preload): page index at System.nanoTime(). */
        final List<long[]> turns = new java.util.concurrent.CopyOnWriteArrayList<>();
        int rotations, current;
        private volatile boolean stop;
        private final Thread rotation;

        Wall(List<PageSpec> pages, PrometheusClient c, boolean economy, Random seed) {
            this.economy = economy;
            this.hub = economy ? new QueryHub(c, QueryHub.DEFAULT_CONCURRENCY, QueryHub.DEFAULT_MIN_INTERVAL) : null;
            for (PageSpec p : pages) {
                engines.add(economy ? new RefreshEngine(p, hub, Duration.ofMinutes(5), s -> {}, Clock.systemUTC(), new Random(seed.nextLong()))
                        : new RefreshEngine(p, c, Duration.ofMinutes(5), s -> {}, Clock.systemUTC()));
            }
            turns.add(new long[] {0, System.nanoTime()});
            if (economy) engines.getFirst().resume();
            else engines.forEach(RefreshEngine::resume);
            rotation = Thread.ofVirtual().start(this::rotate);
        }

        /** As WallMode: the next page refreshed {@value #LEAD_MS} ms before its turn (after), or nothing (before). */
        private void rotate() {
            while (!stop) {
                try {
                    Thread.sleep(DWELL_S * 1000L - LEAD_MS);
                    int next = (current + 1) % engines.size();
                    RefreshEngine n = engines.get(next);
                    Instant preloadAt = Instant.now();
                    if (economy) {
                        engines.get(current).pause(); // WallMode: the page on screen is leaving, it starts no refresh now
                        turns.add(new long[] {next, System.nanoTime()});
                        n.refreshNow(); // the wall's preload
                    }
                    long left = LEAD_MS - java.time.Duration.between(preloadAt, Instant.now()).toMillis();
                    if (left > 0) Thread.sleep(left);
                    // the switch: "fresh" when every tile has a state made within the lead before it (before issue 21:
                    // the page's own next tick; after: the preload, normally done already)
                    long n0 = System.nanoTime();
                    while (!stop && !n.lastStates().values().stream().allMatch(s -> s.fetchedAt() != null && !s.fetchedAt().isBefore(preloadAt)
                            && s.status() != TileState.Status.UNKNOWN)) {
                        Thread.sleep(5);
                    }
                    if (stop) return;
                    freshMs.add((System.nanoTime() - n0) / 1e6);
                    if (economy) {
                        engines.get(current).pause();
                        n.resume();
                    }
                    current = next;
                    if (next == 0) rotations++;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            stop = true;
            rotation.interrupt();
            engines.forEach(RefreshEngine::close);
        }
    }

    record Phase(String name, double cpuPerHour, long queries, double queriesPerRotation, double freshMedianMs, double freshMaxMs, int switches, long needed) {}

    /**
     * The fewest backend queries the walls' turns up to {@code until} could have asked with every turn fresh: each
     * turn's distinct queries (tiles and the scrape-age probe), less those the same console asked within the page's
     * reuse window (0.9 of its interval) before: within one refresh cycle a query goes to the server once.
     */
    static long needed(List<PageSpec> pages, List<Wall> walls, long until) {
        long n = 0;
        for (Wall w : walls) {
            java.util.Map<String, Long> lastAsked = new java.util.HashMap<>();
            for (long[] t : w.turns) {
                if (t[1] > until) break;
                PageSpec p = pages.get((int) t[0]);
                long window = p.refreshInterval().toNanos() * 9 / 10;
                for (String q : queriesOf(p)) {
                    Long last = lastAsked.get(q);
                    if (last == null || t[1] - last >= window) {
                        n++;
                        lastAsked.put(q, t[1]);
                    }
                }
            }
        }
        return n;
    }

    Phase run(Stack stack, String name, List<PageSpec> pages, PrometheusClient c, boolean economy, int consoles, double idleCpu) throws Exception {
        Random seed = new Random(21);
        List<Wall> walls = new ArrayList<>();
        Prom p0 = prom(stack);
        long t0 = System.nanoTime();
        for (int i = 0; i < consoles; i++) walls.add(new Wall(pages, c, economy, seed));
        Thread.sleep(PHASE.toMillis());
        long until = System.nanoTime();
        Prom p1 = prom(stack);
        double secs = (System.nanoTime() - t0) / 1e9;
        walls.forEach(Wall::close);
        List<Double> fresh = new ArrayList<>();
        walls.forEach(w -> fresh.addAll(w.freshMs));
        fresh.sort(null);
        double rotationsPerConsole = secs / (DWELL_S * pages.size());
        long q = p1.queries() - p0.queries() - 1; // the first /metrics read is no query; the counter includes nothing of ours but the engines
        double cpu = Math.max(0, (p1.cpuSeconds() - p0.cpuSeconds()) - idleCpu * secs) / secs * 3600;
        Phase ph = new Phase(name, cpu, q, q / (rotationsPerConsole * consoles), fresh.isEmpty() ? Double.NaN : fresh.get(fresh.size() / 2),
                fresh.isEmpty() ? Double.NaN : fresh.getLast(), fresh.size(), economy ? needed(pages, walls, until) : -1);
        System.out.println(ph);
        Thread.sleep(3000); // let the last queries drain before the next phase's first read
        return ph;
    }

    static double pct(Phase p) { return (p.queries() - p.needed()) * 100.0 / p.needed(); }

    /** What one refresh of the page asks: its tiles' queries, normalised, and the engine's scrape-age probe. */
    static Set<String> queriesOf(PageSpec p) {
        Set<String> qs = new LinkedHashSet<>();
        for (TileSpec t : p.tiles()) qs.add(QueryKey.of(t.query()));
        qs.add(QueryKey.of(io.andon.board.RefreshEngine.SCRAPE_AGE_QUERY));
        return qs;
    }

    /** Each page's distinct queries summed over the pages: one rotation with nothing shared between turns. */
    static int perTurnSum(List<PageSpec> pages) {
        return pages.stream().mapToInt(p -> queriesOf(p).size()).sum();
    }

    @Test
    void queryEconomy(Stack stack) throws Exception {
        stack.mes("--seed", "--load", "--load-rate", "20");
        stack.exporter("--db-interval", "1s", "--business-interval", "2s");
        PrometheusClient c = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        Thread.sleep(20_000); // a few scrapes: rates have points
        List<PageSpec> pages = pages();
        Set<String> distinct = new LinkedHashSet<>();
        int tiles = 0;
        for (PageSpec p : pages) {
            distinct.addAll(queriesOf(p));
            tiles += p.tiles().size();
        }

        Prom i0 = prom(stack);
        long it0 = System.nanoTime();
        Thread.sleep(PHASE.toMillis());
        Prom i1 = prom(stack);
        double idleCpuPerSecond = (i1.cpuSeconds() - i0.cpuSeconds()) / ((System.nanoTime() - it0) / 1e9);

        List<Phase> phases = new ArrayList<>();
        phases.add(run(stack, "1 wall, before", pages, c, false, 1, idleCpuPerSecond));
        phases.add(run(stack, "1 wall, after", pages, c, true, 1, idleCpuPerSecond));
        phases.add(run(stack, "10 consoles, before", pages, c, false, 10, idleCpuPerSecond));
        phases.add(run(stack, "10 consoles, after", pages, c, true, 10, idleCpuPerSecond));

        StringBuilder md = new StringBuilder();
        md.append("## Query economy (issue 21)\n\n");
        md.append(String.format(Locale.ROOT, "%d bundled pages on the default datasource, %d tiles, **%d distinct queries** (normalised, with the engines' "
                + "scrape-age probe); wall dwell %d s, pages at their own refresh (5 s / 15 s). Each phase ran %d s (a short run), Prometheus CPU "
                + "is its `process_cpu_seconds_total` over the phase minus the idle phase (%.4f CPU s/s), **scaled to one hour** — on a shared "
                + "2-core machine, so the small figures are noisy.%n%n", pages.size(), tiles, distinct.size(), DWELL_S, PHASE.toSeconds(), idleCpuPerSecond));
        md.append("| phase | instant queries answered | the fewest its turns could ask | per nominal wall rotation (dwell × pages) per console | distinct queries | Prometheus CPU s/h (above idle) | switch → every tile fresh, median / max | switches |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Phase p : phases) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %,.1f | %d | %,.1f | %,.0f / %,.0f ms | %d |%n", p.name, p.queries,
                    p.needed < 0 ? "(every page refreshing)" : String.format(Locale.ROOT, "%,d", p.needed), p.queriesPerRotation, distinct.size(),
                    p.cpuPerHour, p.freshMedianMs, p.freshMaxMs, p.switches));
        }
        Phase after = phases.get(1), tenAfter = phases.get(3);
        boolean complete = Verdict.full();
        md.append(String.format(Locale.ROOT, "%nA query on several pages is asked at each of their turns: the pages' own intervals (5 s here) are shorter "
                        + "than a rotation (%d s), so an answer of the previous rotation would be too old to show. Summed over the pages' turns, one "
                        + "rotation needs %d queries (%d distinct overall; the scrape-age probe is on every page), less what a 15 s page may take from "
                        + "the turn before it. \"The fewest its turns could ask\" follows the console's turns (the first page, then every preload) "
                        + "and counts each turn's distinct queries that the same console had not asked within that page's reuse window (0.9 of its "
                        + "interval): a second refresh of a page while it is shown, or a query asked twice in one cycle, shows as the difference.%n",
                DWELL_S * pages.size(), perTurnSum(pages), distinct.size()));
        md.append(String.format(Locale.ROOT, "%nGoal: backend queries = the fewest the turns could ask (within 5 %%): one wall %,d vs %,d (%+.1f %%), **%s**; "
                        + "ten consoles %,d vs %,d (%+.1f %%), **%s**. Page switch → every tile fresh ≤ 200 ms: median %,.0f ms, max %,.0f ms, **%s** (one wall).%n",
                after.queries, after.needed, pct(after), Verdict.within(pct(after), 5, complete), tenAfter.queries, tenAfter.needed, pct(tenAfter),
                Verdict.within(pct(tenAfter), 5, complete), after.freshMedianMs, after.freshMaxMs, Verdict.atMost(after.freshMaxMs, 200, complete)));
        BenchReport.write("economy", md.toString());
    }
}
