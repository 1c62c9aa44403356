package io.andon.bench;

import io.andon.server.mes.load.LoadGenerator;
import io.andon.stack.JavaService;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P8 with tracing: the cost of the MES's spans (every request sampled, exported to the harness's Zipkin) on the
 * plant's load. Three MES instances on the same database, all with metrics: spans exported to Zipkin, spans made
 * but not sent, and --no-tracing; all warmed, then measured in the order exported, local, off, off, local, exported
 * so drift hits every side alike.
 * {@code -Dandon.bench.seconds=N} shortens each run (default 10 s), {@code -Dandon.bench.rate=R} sets the offered load.
 */
@Tag("bench")
@ExtendWith(StackExtension.class)
class TracingBench {
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("andon.bench.seconds", 10));
    /** The plant's 1000 q/s + 100 w/s by default; lower on a machine shared with other work, to compare below saturation. */
    private static final int RATE = Integer.getInteger("andon.bench.rate", 1100);

    @Test
    void tracingOverheadOnThePlantsLoad(Stack stack) throws Exception {
        stack.zipkin(); // before the MES instances: the traced one exports there
        JavaService on = stack.mesInstance("mes-traced", "--seed");
        // spans made but not sent: the SDK's own cost apart from the export and Zipkin's ingestion on the same cores
        JavaService local = stack.mesInstance("mes-local-spans", "--zipkin-url", "");
        JavaService off = stack.mesInstance("mes-untraced", "--no-tracing");
        for (JavaService s : List.of(on, local, off)) new LoadGenerator(s.baseUri(), Math.min(RATE, 600), 10, 9_000, Duration.ofSeconds(15)).run();
        Map<String, JavaService> variants = Map.of("on", on, "local", local, "off", off);
        Map<String, List<LoadGenerator.Report>> reports = new java.util.LinkedHashMap<>();
        for (String v : List.of("on", "local", "off", "off", "local", "on")) {
            LoadGenerator.Report r = new LoadGenerator(variants.get(v).baseUri(), RATE, 10, 15L * RATE * RUN.toSeconds() / 11, RUN).run();
            reports.computeIfAbsent(v, k -> new ArrayList<>()).add(r);
            System.out.println("P8 tracing " + v + ": " + r);
        }
        Thread.sleep(2000); // the exporter's last batches
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(on.baseUri() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        stack.stopService("mes-untraced", false);
        stack.stopService("mes-local-spans", false);
        Map<String, String> names = Map.of("on", "spans exported", "local", "spans made, not sent", "off", "--no-tracing");
        StringBuilder rows = new StringBuilder();
        for (var e : reports.entrySet()) for (var r : e.getValue()) rows.append(row(names.get(e.getKey()), r));
        List<LoadGenerator.Report> traced = reports.get("on"), loc = reports.get("local"), untraced = reports.get("off");
        double rateOn = rate(traced), rateLocal = rate(loc), rateOff = rate(untraced);
        double p99On = p99(traced), p99Local = p99(loc), p99Off = p99(untraced);
        double w99On = traced.stream().mapToDouble(LoadGenerator.Report::p99WriteMs).average().orElseThrow();
        double w99Off = untraced.stream().mapToDouble(LoadGenerator.Report::p99WriteMs).average().orElseThrow();
        String md = String.format(Locale.ROOT, """
                ## P8 tracing overhead (every request sampled; %d req/s open loop, 6 × %d s in the order exported, local, off, off, local, exported)
                | run | queries/s | writes/s | P50 query ms | P99 query ms | P99 write ms | statuses |
                |---|---|---|---|---|---|---|
                %s
                Throughput loss with spans exported to Zipkin: %.1f %% (goal < 3 %%; not judged: at a fixed open-loop rate both sides serve
                what they are sent, so this is ~0 unless saturated; P8 in MesBench measures CPU per request and closed-loop saturation);
                spans made but not sent: %.1f %%.
                Query P99 %.1f ms exported / %.1f ms local / %.1f ms off (exported %+.0f %%, goal ≤ +10 %%: %s; local %+.0f %%);
                write P99 %.1f vs %.1f ms (%+.0f %%). Spans exported %s, failed %s, dropped %s (bounded queue of 4096).
                Load generator, the three services, PostgreSQL and Zipkin share this machine's cores (a site runs Zipkin elsewhere).
                """, RATE, RUN.toSeconds(), rows, (rateOff - rateOn) / rateOff * 100, (rateOff - rateLocal) / rateOff * 100,
                p99On, p99Local, p99Off, (p99On / p99Off - 1) * 100, Verdict.atMost((p99On / p99Off - 1) * 100, 10,
                        Verdict.full() && RUN.toSeconds() >= 10 && RATE >= 1100), (p99Local / p99Off - 1) * 100,
                w99On, w99Off, (w99On / w99Off - 1) * 100,
                value(metrics, "mes_trace_spans_exported_total"), value(metrics, "mes_trace_spans_failed_total"), value(metrics, "mes_trace_spans_dropped_total"));
        BenchReport.write("p8-tracing", md);
    }

    private static String value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+]+)$").matcher(metrics);
        return m.find() ? String.format(Locale.ROOT, "%,.0f", Double.parseDouble(m.group(1))) : "n/a";
    }

    private static String row(String name, LoadGenerator.Report r) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.1f | %.1f | %.1f | %s |%n", name, r.queriesPerSecond(), r.writesPerSecond(),
                r.p50QueryMs(), r.p99QueryMs(), r.p99WriteMs(), r.statuses());
    }

    private static double p99(List<LoadGenerator.Report> rs) {
        return rs.stream().mapToDouble(LoadGenerator.Report::p99QueryMs).average().orElseThrow();
    }

    private static double rate(List<LoadGenerator.Report> rs) {
        return rs.stream().mapToDouble(r -> r.queriesPerSecond() + r.writesPerSecond()).average().orElseThrow();
    }
}
