package io.andon.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.Silence;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.Series;
import io.andon.stack.JavaService;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handover report against the truth, on the real stack: a scripted short shift (normal, the exporter restarted,
 * db-outage, normal, latency-spike, an acknowledgement), then {@code andon report} in English and Chinese. Read back
 * with PDFBox: every alert Alertmanager notified the webhook of is in the report with its start (and end when it
 * resolved); the SLO figures equal a direct PromQL query; the top errors equal a direct Elasticsearch aggregation;
 * page one lists the still-firing unacknowledged alerts first and the acknowledged one with its owner. A source
 * that is down makes a report that says so and a non-zero exit.
 */
@Tag("integration")
class ShiftReportEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OUT = Path.of("target/report-e2e");
    private static Stack stack;
    private static Instant t0, tEnd;
    private static String plant;
    private static Path config;
    /** The webhook's notifications received during the shift: [atStart, atEnd) of its list. */
    private static int atStart, atEnd;

    @BeforeAll
    static void scriptedShift() throws Exception {
        Files.createDirectories(OUT);
        stack = new Stack(StackOptions.forTests().withLabel("report").withRuleFor(Duration.ofSeconds(1)).withAlertResendDelay(Duration.ofSeconds(2)));
        JavaService mes = stack.mes("--seed", "--load", "--load-rate", "20");
        stack.exporter("--db-interval", "1s", "--business-interval", "1s");
        var prom = stack.prometheus();
        var am = stack.alertmanager();
        var es = stack.elasticsearch();
        var put = HTTP.send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_index_template/mes-logs")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofFile(stack.serverDir().resolve("elasticsearch/mes-logs-template.json"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as("index template: %s", put.body()).isEqualTo(200);
        stack.shipper();
        var direct = new PrometheusClient("Prometheus", Endpoint.of(prom.baseUri().toString()));
        await("business figures scraped", Duration.ofSeconds(60), () -> !direct.query("count by (plant) (mes_equipment)").samples().isEmpty());
        plant = direct.query("count by (plant) (mes_equipment)").samples().stream().map(s -> s.labels().get("plant")).sorted().findFirst().orElseThrow();

        // the shift: starts on a whole second (shift starts are HH:mm[:ss])
        t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Thread.sleep(Duration.between(Instant.now(), t0).toMillis());
        atStart = stack.webhookSink().received().size();
        Thread.sleep(2000);
        // an exporter restart: ExporterDown fires and resolves (critical: notified and resolved within a minute)
        stack.stopService("exporter", false);
        await("ExporterDown firing", Duration.ofSeconds(30), () -> firing(am.baseUri(), "ExporterDown"));
        // restarted only once the page went out: Alertmanager sends no "resolved" for an alert it never notified
        // (a restart within its group wait leaves nothing to report; on a quiet machine that is what happened)
        assertThat(stack.webhookSink().awaitAlert("ExporterDown", Duration.ofSeconds(60))).as("ExporterDown notified").isPresent();
        stack.startAgain("exporter");
        scenario(mes, "db-outage");
        Thread.sleep(25_000);
        scenario(mes, "normal");
        Thread.sleep(12_000);
        scenario(mes, "latency-spike");
        var sink = stack.webhookSink();
        // MESAvailabilityLow (critical) is notified within seconds; it inhibits the mes team's warnings (one page, not a storm)
        assertThat(sink.awaitAlert("MESAvailabilityLow", Duration.ofSeconds(60))).as("MESAvailabilityLow notified").isPresent();
        // the supervisor acknowledges it (karma convention: "ACK! " + note, owner = the silence's author)
        new AlertmanagerClient("Alertmanager", Endpoint.of(am.baseUri().toString())).createSilence(
                List.of(Silence.Matcher.equal("alertname", "MESAvailabilityLow")), Instant.now(), Instant.now().plus(Duration.ofHours(2)),
                "wang.li", "ACK! DBA checks the connection pool");
        assertThat(sink.awaitAlert("ExporterDown", "resolved", Duration.ofSeconds(90))).as("ExporterDown resolved notified").isPresent();
        await("MESLatencyHigh firing", Duration.ofSeconds(90), () -> firing(am.baseUri(), "MESLatencyHigh"));
        Thread.sleep(3000);
        tEnd = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        atEnd = stack.webhookSink().received().size();
        // the last log lines of the shift reach Elasticsearch (shipper + 1 s refresh)
        Thread.sleep(4000);
        config = Files.createDirectories(OUT.resolve("config"));
        DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
        Files.writeString(config.resolve(ShiftSchedule.FILE), "zone: UTC\nshifts:\n  - {name: early, start: \"" + hms.format(t0)
                + "\"}\n  - {name: late, start: \"" + hms.format(tEnd) + "\"}\n");
        System.out.printf("scripted shift %s .. %s (%d s), plant %s%n", t0, tEnd, Duration.between(t0, tEnd).toSeconds(), plant);
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
    }

    record Run(int exit, String out, String err, Path pdf, String text, String page1) {}

    private static Run report(String lang, String esUrl) throws Exception {
        return report(lang, esUrl, null);
    }

    /** {@code plantCode} null: all plants. */
    private static Run report(String lang, String esUrl, String plantCode) throws Exception {
        Path pdf = OUT.resolve("report-" + lang + (esUrl == null ? "" : "-es-down") + ".pdf");
        Path png = OUT.resolve("report-" + lang + (esUrl == null ? "" : "-es-down") + "-page1.png");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "io.andon.console.Main", "report"));
        cmd.addAll(List.of("--shift", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t0),
                "--plant", plantCode == null ? "all" : plantCode, "--out", pdf.toString(), "--png", png.toString(), "--lang", lang, "--config", config.toString(),
                "--note", lang.equals("en") ? "Latency spike still open at handover; DBA on the pool." : "交接时延迟尖峰仍未恢复；DBA 正在处理连接池。",
                "--prometheus", stack.prometheus().baseUri().toString(), "--alertmanager", stack.alertmanager().baseUri().toString(),
                "--elasticsearch", esUrl != null ? esUrl : stack.elasticsearch().baseUri().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(OUT.resolve("out.txt").toFile()).redirectError(OUT.resolve("err.txt").toFile());
        // headless for real: the child has no display to find (CI runs it so)
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        // the Chinese note reaches the child's argv intact only under a UTF-8 locale
        pb.environment().put("LC_ALL", "C.UTF-8");
        long t = System.nanoTime();
        Process proc = pb.start();
        assertThat(proc.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("andon report finished").isTrue();
        int exit = proc.exitValue();
        String outText = Files.readString(OUT.resolve("out.txt")), errText = Files.readString(OUT.resolve("err.txt"));
        System.out.printf("andon report --lang %s%s: exit %d in %d ms (JVM start included)%n%s%s", lang, esUrl == null ? "" : " (Elasticsearch down)", exit,
                (System.nanoTime() - t) / 1_000_000, outText, errText);
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            PDFTextStripper s = new PDFTextStripper();
            s.setSortByPosition(true);
            String all = s.getText(doc);
            s.setStartPage(1);
            s.setEndPage(1);
            String page1 = s.getText(doc);
            Files.writeString(OUT.resolve(pdf.getFileName() + ".txt"), all);
            assertThat(ImageIO.read(png.toFile())).as("page one rendered").isNotNull();
            return new Run(exit, outText, errText, pdf, all, page1);
        }
    }

    @Test
    void englishReportMatchesTheSources() throws Exception {
        check(report("en", null), Locale.ENGLISH, "still firing", "Every alert of the shift", "Still firing, not acknowledged", "Still firing, acknowledged");
    }

    @Test
    void chineseReportMatchesTheSources() throws Exception {
        check(report("zh-CN", null), Locale.SIMPLIFIED_CHINESE, "仍在告警", "本班次全部告警", "仍在告警且未确认", "仍在告警且已确认");
    }

    @Test
    void aSourceDownIsNamedAndTheExitIsNonZero() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        // one plant: the site's (its Prometheus labels its targets so), whose ExporterDown belongs to it
        Run r = report("en", "http://127.0.0.1:" + dead, stack.prometheus().plant());
        assertThat(r.exit()).as("exit with Elasticsearch down").isEqualTo(1);
        assertThat(r.err()).contains("Elasticsearch");
        // the CLI reads the operator journal there too (read only): its failure is named, not an empty journal
        assertThat(r.err()).contains("Journal: Elasticsearch unreachable");
        assertThat(Files.size(r.pdf())).as("the report still comes out").isPositive();
        assertThat(r.page1()).contains("Sources that failed").contains("Elasticsearch");
        String errors = between(r.text(), "Top 10 error messages", "Business");
        assertThat(errors).contains("Not available: Elasticsearch").doesNotContain("None.");
        // the other sections are whole
        assertThat(r.text()).contains("Every alert of the shift").contains("MESAvailabilityLow").contains("ExporterDown")
                .contains("Plant " + stack.prometheus().plant());
        Run zh = report("zh-CN", "http://127.0.0.1:" + dead, stack.prometheus().plant());
        assertThat(zh.exit()).isEqualTo(1);
        assertThat(between(zh.text(), "错误日志前 10 条", "业务")).contains("无法获取：Elasticsearch");
    }

    private void check(Run r, Locale locale, String stillFiring, String alertsHeading, String openHeading, String ackedHeading) throws Exception {
        ReportText tx = new ReportText(locale);
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isZero();

        // page one: the still-firing unacknowledged alerts first, then the acknowledged one with its owner
        String p1 = r.page1();
        int open = p1.indexOf(openHeading), acked = p1.indexOf(ackedHeading);
        assertThat(open).as("page one: %s", p1).isNotNegative();
        assertThat(acked).isGreaterThan(open);
        assertThat(p1.substring(open, acked)).contains("MESLatencyHigh");
        assertThat(p1.substring(acked)).contains("MESAvailabilityLow").contains("wang.li");
        assertThat(p1).contains(locale.getLanguage().equals("en") ? "Latency spike still open" : "交接时延迟尖峰仍未恢复");

        // every notified alert is in the table with its start (and end when resolved), to one step plus an evaluation
        String table = between(r.text(), alertsHeading, tx.t("report.silences", "").replaceAll("[（(].*", ""));
        List<String[]> rows = new ArrayList<>();
        Pattern row = Pattern.compile("^(\\w+)\\b.*?\\s(critical|warning|info|ticket|none)\\s+\\S+\\s+(?:\\d\\d-\\d\\d )?(\\d\\d:\\d\\d:\\d\\d)\\s+(?:\\d\\d-\\d\\d )?(\\d\\d:\\d\\d:\\d\\d|" + Pattern.quote(stillFiring) + ")", Pattern.MULTILINE);
        Matcher m = row.matcher(table);
        while (m.find()) rows.add(new String[]{m.group(1), m.group(3), m.group(4)});
        assertThat(rows).as("alert rows in:\n%s", table).isNotEmpty();
        long tol = ReportGatherer.alertStep(Duration.between(t0, tEnd)).toMillis() + 2500;
        int notified = 0;
        // a notification received during the shift tells of an alert firing (or resolving) in it; one received before
        // may be about an alert that resolved before the shift began (warnings' resolutions wait for group_interval)
        for (JsonNode n : stack.webhookSink().received().subList(atStart, atEnd)) {
            for (JsonNode a : n.path("alerts")) {
                String name = a.path("labels").path("alertname").asText();
                Instant start = Instant.parse(a.path("startsAt").asText());
                boolean resolved = "resolved".equals(a.path("status").asText());
                Instant end = resolved ? Instant.parse(a.path("endsAt").asText()) : null;
                if (!start.isBefore(tEnd) || (end != null && end.isBefore(t0))) continue;
                notified++;
                Instant expStart = start.isBefore(t0) ? t0 : start;
                boolean found = rows.stream().anyMatch(x -> x[0].equals(name) && Math.abs(Duration.between(expStart, at(x[1])).toMillis()) <= tol
                        && (end == null || (!x[2].equals(stillFiring) && Math.abs(Duration.between(end, at(x[2])).toMillis()) <= tol)));
                assertThat(found).as("notified %s %s %s..%s in the report's rows %s", a.path("status").asText(), name, start, end,
                        rows.stream().map(x -> String.join(" ", x)).toList()).isTrue();
            }
        }
        assertThat(notified).as("notifications checked").isGreaterThanOrEqualTo(3);
        System.out.printf("%s: %d notified alerts all in the report (%d rows), tolerance %d ms%n", locale, notified, rows.size(), tol);

        // SLO figures equal a direct PromQL query of the same recording rule
        var prom = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        String range = "[" + Duration.between(t0, tEnd).toSeconds() + "s]";
        String slos = between(r.text(), tx.t("report.slos"), alertsHeading);
        for (String slo : List.of("availability", "latency", "errors")) {
            var ratio = prom.query("avg_over_time(slo:sli_error:ratio_rate5m{slo=\"" + slo + "\"}" + range + ")", tEnd).samples();
            assertThat(ratio).as("direct query for %s", slo).hasSize(1);
            double attainment = 1 - ratio.getFirst().value();
            double consumed = ratio.getFirst().value() / 0.001 * Duration.between(t0, tEnd).toMillis() / 86_400_000.0 / 30;
            String line = slos.lines().filter(l -> l.startsWith(tx.t("report.slo." + slo))).findFirst().orElseThrow(() -> new AssertionError(slo + " row in " + slos));
            assertThat(line).contains(tx.percent(attainment, 3)).contains(tx.percent(consumed, 2));
            // and independently: the mean of the recorded series' samples over the shift (a range query)
            List<Series> series = prom.queryRange("slo:sli_error:ratio_rate5m{slo=\"" + slo + "\"}", t0.plusSeconds(1), tEnd, Duration.ofSeconds(1));
            double mean = series.getFirst().points().stream().mapToDouble(Series.Point::value).average().orElseThrow();
            assertThat(1 - mean).as("%s attainment vs the mean of the samples", slo).isCloseTo(attainment, org.assertj.core.data.Offset.offset(0.002));
            System.out.printf("%s SLO %s: attainment %s (samples' mean %.5f), budget consumed %s%n", locale, slo, tx.percent(attainment, 3), 1 - mean, tx.percent(consumed, 2));
        }
        assertThat(slos).contains(tx.percent(0.999, 1));

        // top errors equal a direct Elasticsearch aggregation (same range, level ERROR)
        ObjectNode q = JSON.createObjectNode();
        q.put("size", 0);
        var filter = q.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("range").putObject("@timestamp").put("gte", t0.toString()).put("lte", tEnd.toString());
        filter.addObject().putObject("terms").putArray("level").add("ERROR");
        q.putObject("aggs").putObject("m").putObject("terms").put("field", "message.keyword").put("size", 10);
        var resp = HTTP.send(HttpRequest.newBuilder(URI.create(stack.elasticsearch().baseUri() + "/mes-logs-*/_search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(q.toString())).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode buckets = JSON.readTree(resp.body()).path("aggregations").path("m").path("buckets");
        assertThat(buckets.size()).as("error messages in the shift: %s", resp.body()).isPositive();
        List<String> errLines = between(r.text(), tx.t("report.errors"), tx.t("report.business")).lines().filter(l -> l.matches("^\\d+ .*")).toList();
        assertThat(errLines).hasSize(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            String msg = buckets.get(i).path("key").asText();
            long count = buckets.get(i).path("doc_count").asLong();
            String l = errLines.get(i);
            assertThat(l).startsWith((i + 1) + " " + tx.number(count, 0) + " ");
            String shown = l.replaceFirst("^\\d+ \\S+ \\S+ \\S+ ", "").replace("…", "");
            assertThat(msg).as("row %d", i + 1).startsWith(shown.strip());
        }
        System.out.printf("%s: top %d error messages equal the direct aggregation; first: %s%n", locale, buckets.size(), errLines.getFirst());

        // business figures per plant (all plants: the MES's plant codes from the exporter)
        assertThat(between(r.text(), tx.t("report.business"), tx.t("report.charts"))).contains(plant);

        // the acknowledgement silence ends during the next shift
        assertThat(between(r.text(), tx.t("report.silences", "").replaceAll("[（(].*", ""), tx.t("report.errors"))).contains("wang.li");
    }

    private static Instant at(String hms) {
        return LocalDate.ofInstant(t0, ZoneOffset.UTC).atTime(LocalTime.parse(hms)).toInstant(ZoneOffset.UTC);
    }

    private static String between(String text, String from, String to) {
        int a = text.indexOf(from);
        assertThat(a).as("'%s' in the report", from).isNotNegative();
        int b = text.indexOf(to, a + from.length());
        return b < 0 ? text.substring(a) : text.substring(a, b);
    }

    private static void scenario(JavaService mes, String name) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(mes.baseUri() + "/admin/scenario")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("scenario %s: %s", name, r.body()).isEqualTo(200);
        System.out.printf("%s scenario %s%n", Instant.now(), name);
    }

    private static boolean firing(URI am, String name) throws Exception {
        JsonNode alerts = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts?active=true")).build(), HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode a : alerts) if (name.equals(a.path("labels").path("alertname").asText())) return true;
        return false;
    }

    interface Check { boolean ok() throws Exception; }

    private static void await(String what, Duration timeout, Check c) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (c.ok()) return;
            } catch (Exception notYet) {
                // retried until the deadline
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
