package io.andon.scaleout;

import io.andon.alertmanager.AlertHistory;
import io.andon.alertmanager.PrometheusRangeQuery;
import io.andon.board.DashboardRepository;
import io.andon.board.PageSnapshot;
import io.andon.board.PageSpec;
import io.andon.board.RefreshEngine;
import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.net.Endpoint;
import io.andon.prometheus.Datasource;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryResult;
import io.andon.prometheus.Sample;
import io.andon.prometheus.Series;
import io.andon.stack.Prometheus;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import io.andon.stack.VictoriaMetrics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out of metrics: two plants, each with its own Prometheus (the project's config and rules) that
 * remote-writes to one VictoriaMetrics. The console's unchanged pages and refresh engine, pointed at
 * VictoriaMetrics as a datasource (one per plant, by VictoriaMetrics' {@code extra_label}), show per plant what
 * that plant's Prometheus answers. VictoriaMetrics holds back its newest 30 s but stamps answers with the query
 * time, so the lag is invisible to the per-datasource staleness limit; it shows in the health page's "oldest last
 * scrape" and goes away with {@code nocache=1} in the datasource URL. The alert history (range queries over
 * ALERTS) works there too.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class VictoriaMetricsTest {
    private static final Set<TileState.Status> FRESH = EnumSet.of(TileState.Status.OK, TileState.Status.WARN, TileState.Status.CRIT);
    /** VictoriaMetrics' default -search.latencyOffset is 30 s: allow it plus scrape, rule and remote-write delays. */
    private static final Duration VM_STALENESS = Duration.ofSeconds(45);
    /** VictoriaMetrics' default -search.latencyOffset. */
    private static final Duration LATENCY_OFFSET = Duration.ofSeconds(30);
    private static final Duration JITTER = Duration.ofSeconds(2);
    private static final double SCRAPE_INTERVAL_SECONDS = 1; // StackOptions.forTests()

    @Test
    void consoleUnchangedOnVictoriaMetricsFedByTwoPlants() throws Exception {
        try (Stack stack = new Stack(StackOptions.forTests().withRuleFor(Duration.ofSeconds(2)))) {
            TwoPlants plants = TwoPlants.start(stack);
            VictoriaMetrics vm = plants.vm();
            Prometheus p1 = plants.sh01();
            Prometheus p2 = plants.sh02();
            Instant begin = Instant.now();

            PrometheusClient prom1 = new PrometheusClient("Prometheus SH01", Endpoint.of(p1.baseUri().toString()));
            PrometheusClient prom2 = new PrometheusClient("Prometheus SH02", Endpoint.of(p2.baseUri().toString()));
            // one VictoriaMetrics, one datasource per plant: extra_label makes VictoriaMetrics add the matcher to
            // every selector of every query, so the pages' PromQL stays as written
            Datasource vm1 = new Datasource("vm-SH01", Endpoint.of(vm.baseUri() + "/?extra_label=site=SH01"), VM_STALENESS);
            Datasource vm2 = new Datasource("vm-SH02", Endpoint.of(vm.baseUri() + "/?extra_label=site=SH02"), VM_STALENESS);
            // nocache=1: VictoriaMetrics answers up to now instead of holding back its newest 30 s
            Datasource vm1Live = new Datasource("vm-SH01-live", Endpoint.of(vm.baseUri() + "/?extra_label=site=SH01&nocache=1"), VM_STALENESS);
            Datasource vm2Live = new Datasource("vm-SH02-live", Endpoint.of(vm.baseUri() + "/?extra_label=site=SH02&nocache=1"), VM_STALENESS);
            PrometheusClient vmAll = new PrometheusClient("VictoriaMetrics", Endpoint.of(vm.baseUri().toString()));

            waitFor("request rates recorded by both plants", Duration.ofSeconds(90),
                    () -> has(prom1, "sli:requests:rate5m") && has(prom2, "sli:requests:rate5m") && has(prom1, "mes_work_centers"));

            // plant SH02's MES goes down long enough for MESDown (for: shortened to 2 s) to fire for a while
            stack.stopService("mes-sh02", true);
            waitFor("MESDown firing on Prometheus SH02", Duration.ofSeconds(30), () -> has(prom2, "ALERTS{alertname=\"MESDown\",alertstate=\"firing\"}"));
            Instant firingSeen = Instant.now();
            Thread.sleep(16_000);
            // VictoriaMetrics shows data older than 30 s: wait until the firing alert is visible there (the MES stays
            // down: a plant with a dead MES is as much a state to show as a healthy one)
            waitFor("the outage visible in VictoriaMetrics", Duration.ofSeconds(60),
                    () -> has(vmAll, "ALERTS{alertname=\"MESDown\",alertstate=\"firing\",site=\"SH02\"}"));

            List<PageSpec> pages = new DashboardRepository(Optional.empty()).load();
            int compared = 0, fresh = 0;
            List<String> mismatches = new ArrayList<>();
            for (var plant : List.of(new Plant("SH01", prom1, vm1, vm1Live), new Plant("SH02", prom2, vm2, vm2Live))) {
                for (PageSpec page : pages) {
                    PageSnapshot onProm, onVm, onVmTight, onVmLive;
                    try (RefreshEngine p = new RefreshEngine(page, plant.prom, Duration.ZERO, s -> {}, Clock.systemUTC());
                         RefreshEngine e = new RefreshEngine(page, plant.vm, s -> {});
                         RefreshEngine tight = new RefreshEngine(page, new PrometheusClient(plant.vm), Duration.ZERO, s -> {}, Clock.systemUTC());
                         RefreshEngine live = new RefreshEngine(page, plant.vmLive, s -> {})) {
                        onProm = p.refreshNow();
                        onVm = e.refreshNow();
                        onVmTight = tight.refreshNow();
                        onVmLive = live.refreshNow();
                    }
                    for (TileSpec t : page.tiles()) {
                        String id = plant.code + " " + page.id() + "/" + t.id();
                        TileState pr = onProm.tiles().get(t.id());
                        TileState v = onVm.tiles().get(t.id());
                        TileState vt = onVmTight.tiles().get(t.id());
                        TileState vl = onVmLive.tiles().get(t.id());
                        System.out.printf("%s: prom %s %s | vm %s %s %s | vm tight %s | vm live %s %s %s%n", id, pr.status(), pr.value(),
                                v.status(), v.value(), v.series(), vt.status(), vl.status(), vl.value(), vl.message());
                        for (TileState x : List.of(v, vl)) {
                            assertThat(x.status()).as(id + " on VictoriaMetrics: " + x.message()).isNotIn(TileState.Status.ERROR, TileState.Status.STALE);
                        }
                        if (FRESH.contains(pr.status())) {
                            assertThat(vl.status()).as(id + " has data on Prometheus, so on VictoriaMetrics (nocache): " + vl.message()).isIn(FRESH);
                        }
                        // VictoriaMetrics stamps an instant answer with the query time even though its data is 30 s old:
                        // no staleness limit can see that lag, the tight default limit gives the same states
                        assertThat(vt.status()).as(id + " with the default staleness limit").isEqualTo(v.status());
                        // the plant's own Prometheus, same query, at the instant VictoriaMetrics really evaluated
                        Instant evaluated = (v.sampleTime() != null ? v.sampleTime() : v.fetchedAt()).minus(LATENCY_OFFSET);
                        QueryResult r = plant.prom.query(t.query(), evaluated.minus(JITTER));
                        if (FRESH.contains(vl.status())) {
                            // nocache=1: the same figures as the plant's Prometheus at (about) the same moment
                            String live = compare(plant.prom, t, vl, vl.sampleTime());
                            if (live != null) mismatches.add(id + " (nocache=1): " + live);
                        }
                        if (!FRESH.contains(v.status())) {
                            if (v.status() == TileState.Status.NO_DATA && v.sampleTime() == null) {
                                assertThat(r.samples()).as(id + ": NO_DATA on VictoriaMetrics, so nothing on Prometheus just before " + evaluated).isEmpty();
                            }
                            continue;
                        }
                        fresh++;
                        String problem = compare(plant.prom, t, v, evaluated);
                        compared++;
                        if (problem != null) mismatches.add(id + ": " + problem);
                    }
                }
            }
            System.out.println(compared + " tiles compared, mismatches: " + mismatches);
            assertThat(fresh).as("tiles with data on VictoriaMetrics").isGreaterThan(40);
            assertThat(mismatches).isEmpty();

            // the lag the answer's timestamp hides: the newest sample's own time vs the time the answer carries
            for (var ds : List.of(vm1, vm1Live)) {
                Sample newest = new PrometheusClient(ds).query("max(timestamp(up{job=\"prometheus\"}))").samples().getFirst();
                double lag = newest.time().toEpochMilli() / 1000.0 - newest.value();
                System.out.printf("%s: newest sample %.1f s older than the answer's time%n", ds.name(), lag);
                if (ds == vm1) assertThat(lag).as("VictoriaMetrics holds back 30 s").isGreaterThan(25);
                else assertThat(lag).as("nocache=1: as fresh as remote_write delivers").isLessThan(10);
            }

            // the fleet view: without the site filter, both plants' MES are counted
            assertThat(vmAll.query("count(up{job=\"mes-app\"})").samples().getFirst().value()).isEqualTo(2.0);
            assertThat(vmAll.query("count by (site) (sli:requests:rate5m)").samples()).extracting(s -> s.labels().get("site"))
                    .containsExactlyInAnyOrder("SH01", "SH02");

            // the alerts page's history: range queries over ALERTS, on VictoriaMetrics as on the plant's Prometheus.
            // The window ends inside the outage (the MES stays down), once VictoriaMetrics shows that instant too.
            Instant end = firingSeen.plusSeconds(15);
            waitFor("the history window older than VictoriaMetrics' 30 s", Duration.ofSeconds(60), () -> Instant.now().isAfter(end.plusSeconds(32)));
            var onProm2 = new AlertHistory(new PrometheusRangeQuery("Prometheus SH02", Endpoint.of(p2.baseUri().toString()))).load(begin, end);
            var onVm2 = new AlertHistory(new PrometheusRangeQuery("vm-SH02", vm2.endpoint())).load(begin, end);
            var onVm1 = new AlertHistory(new PrometheusRangeQuery("vm-SH01", vm1.endpoint())).load(begin, end);
            System.out.println("alert history SH02 on Prometheus: " + onProm2 + "\n  on VictoriaMetrics: " + onVm2 + "\n  SH01 on VictoriaMetrics: " + onVm1);
            var downOnProm = onProm2.stream().filter(x -> x.alertname().equals("MESDown")).findFirst();
            var downOnVm = onVm2.stream().filter(x -> x.alertname().equals("MESDown")).findFirst();
            assertThat(downOnProm).as("MESDown in Prometheus SH02's own history").isPresent();
            assertThat(downOnVm).as("MESDown in the history on VictoriaMetrics").isPresent();
            assertThat(downOnVm.get().labels()).containsEntry("plant", "SH02").containsEntry("job", "mes-app");
            // same range query, same steps, same samples: the same intervals
            assertThat(downOnVm.get().intervals()).isEqualTo(downOnProm.get().intervals());
            assertThat(onVm1).noneMatch(x -> x.alertname().equals("MESDown"));
        }
    }

    private record Plant(String code, PrometheusClient prom, Datasource vm, Datasource vmLive) {}

    /**
     * The tile value VictoriaMetrics gave vs what the plant's Prometheus answered for the same query around the
     * same instant: it must equal Prometheus' answer at some evaluation within ±{@link #JITTER} (a one-second
     * scrape moves gauges such as scrape durations between neighbouring instants). VictoriaMetrics computes
     * rate()/increase() without Prometheus' extrapolation, so tiles that compute rates themselves get 10 %.
     */
    private static String compare(PrometheusClient prom, TileSpec t, TileState v, Instant at) throws Exception {
        List<Series> range = prom.queryRange(t.query(), at.minus(JITTER), at.plus(JITTER), Duration.ofMillis(250));
        if (range.isEmpty()) return "Prometheus has no sample around " + at;
        boolean computedRate = t.query().contains("rate(") || t.query().contains("increase(");
        double rel = computedRate ? 0.10 : 1e-6;
        double scale = t.scaleOrOne();
        // time() - timestamp(x): the sub-second instant of evaluation moves it within one scrape interval
        double abs = t.query().contains("time()") ? SCRAPE_INTERVAL_SECONDS * scale : 0;
        if (t.legendLabel() != null) {
            // per slice: the values that slice took on Prometheus around the instant
            Map<String, List<Double>> expected = new TreeMap<>();
            Map<String, Map<Instant, Double>> sums = new TreeMap<>();
            for (Series sr : range) {
                String key = sr.labels().getOrDefault(t.legendLabel(), "(none)");
                for (Series.Point pt : sr.points()) sums.computeIfAbsent(key, k -> new TreeMap<>()).merge(pt.time(), pt.value() * scale, Double::sum);
            }
            sums.forEach((k, byTime) -> expected.put(k, new ArrayList<>(byTime.values())));
            if (!expected.keySet().equals(new TreeMap<>(v.series()).keySet())) return "series " + v.series() + " vs " + expected.keySet();
            for (var e : expected.entrySet()) {
                if (!within(v.series().get(e.getKey()), e.getValue(), rel, abs)) return "slice " + e.getKey() + " " + v.series().get(e.getKey()) + " vs " + e.getValue();
            }
            return null;
        }
        if (range.size() != 1) return range.size() + " series on Prometheus";
        List<Double> expected = range.getFirst().points().stream().map(pt -> pt.value() * scale).toList();
        return within(v.value(), expected, rel, abs) ? null : v.value() + " vs " + expected + " on Prometheus";
    }

    /** Inside the range of values Prometheus had (with relative slack). */
    private static boolean within(double x, List<Double> values, double rel, double abs) {
        if (values.isEmpty()) return false;
        if (values.stream().anyMatch(e -> close(e, x, rel))) return true;
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return x >= min - rel * Math.abs(min) - abs && x <= max + rel * Math.abs(max) + abs;
    }

    private static boolean close(double a, double b, double rel) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b);
        return Math.abs(a - b) <= 1e-9 + rel * Math.max(Math.abs(a), Math.abs(b));
    }

    private static boolean has(PrometheusClient c, String q) {
        try {
            return !c.query(q).samples().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static void waitFor(String what, Duration max, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + max.toSeconds() + " s").isLessThan(deadline);
            Thread.sleep(500);
        }
    }
}
