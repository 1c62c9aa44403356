package io.andon.console;

import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.journal.ElasticsearchJournalReader;
import io.andon.journal.JournalReader;
import io.andon.logs.LogClient;
import io.andon.prometheus.PrometheusClient;
import io.andon.report.ChartRenderer;
import io.andon.report.PdfReportWriter;
import io.andon.report.ReportGatherer;
import io.andon.report.ShiftEndJob;
import io.andon.report.ShiftReports;
import io.andon.report.ShiftSchedule;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the shift report's sources from a console context: the CLI, the Reports page and the shift-end job share it. */
public final class ReportWiring {
    private ReportWiring() {}

    /** The sources of one context, plus the log client to close with them. */
    public record Built(ShiftReports reports, Optional<LogClient> logs) implements AutoCloseable {
        @Override
        public void close() { logs.ifPresent(LogClient::close); }
    }

    /**
     * @param journal where acks, shelves and handover notes come from: a running console hands in its own journal
     *                ({@link AndonApp#journal}: notes typed there are appended to it), the headless CLI the read-only
     *                {@link #readOnlyJournal} (no console's disk queue); empty: acks from Alertmanager silences only
     */
    public static Built build(ConsoleContext ctx, ShiftSchedule schedule, ChartRenderer charts, Optional<? extends JournalReader> journal) throws IOException {
        List<AlertmanagerClient> members = new ArrayList<>();
        int i = 0;
        for (var uri : ctx.alertmanagers()) {
            members.add(new AlertmanagerClient(ctx.alertmanagers().size() == 1 ? "Alertmanager" : "Alertmanager " + (++i), ctx.endpoint(uri)));
        }
        Optional<LogClient> logs = ctx.elasticsearchNodes().isEmpty() ? Optional.empty()
                : Optional.of(new LogClient("Elasticsearch", ctx.elasticsearchNodes().stream()
                .map(u -> ctx.endpoint(u).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30))).toList()));
        PrometheusClient prom = new PrometheusClient("Prometheus", ctx.endpoint(ctx.prometheus()));
        var gatherer = new ReportGatherer(prom, members.isEmpty() ? Optional.empty() : Optional.of(new AlertmanagerPool(members)), logs, journal);
        return new Built(new ShiftReports(schedule, gatherer, PdfReportWriter.withSystemFont(charts), journal), logs);
    }

    /**
     * The operator journal for a report made outside a console: {@code andon-journal-*} on the context's
     * Elasticsearch, with the same endpoints, credentials and timeouts as the logs, read only. It opens no disk queue,
     * so it takes no console's queue slot. Empty without Elasticsearch or with {@code -Dandon.journal=off}. The caller
     * closes it.
     */
    public static Optional<ElasticsearchJournalReader> readOnlyJournal(ConsoleContext ctx) {
        if (ctx.elasticsearchNodes().isEmpty() || "off".equals(System.getProperty("andon.journal"))) return Optional.empty();
        return Optional.of(new ElasticsearchJournalReader("Elasticsearch", ctx.elasticsearchNodes().stream()
                .map(u -> ctx.endpoint(u).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30))).toList()));
    }

    /** The console's shift schedule (shifts.yaml beside the dashboards), or the defaults with the problem printed. */
    public static ShiftSchedule schedule() {
        try {
            return ShiftSchedule.load(io.andon.settings.UiState.configDir());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("andon: shift configuration: " + e.getMessage() + " (using 08:00/16:00/00:00)");
            return ShiftSchedule.defaults(java.time.ZoneId.systemDefault());
        }
    }

    /** The folder the shift-end job writes to: shifts.yaml's {@code reports:}, else {@code <config>/reports}. */
    public static Path reportsDir(ShiftSchedule s) {
        return s.reportsDir().orElse(io.andon.settings.UiState.configDir().resolve("reports"));
    }

    /**
     * A running console writes each finished shift's report (Java2D charts: it runs off the FX thread, whatever the
     * window does). {@code ANDON_SHIFT_REPORTS=off} turns it off on a machine that should not write them.
     */
    public static Optional<AutoCloseable> startShiftEndJob(ConsoleContext ctx, Optional<? extends JournalReader> journal) {
        if ("off".equalsIgnoreCase(System.getenv("ANDON_SHIFT_REPORTS"))) return Optional.empty();
        try {
            ShiftSchedule s = schedule();
            Built b = build(ctx, s, new io.andon.report.Java2DChartRenderer(), journal);
            ShiftEndJob job = new ShiftEndJob(b.reports(), reportsDir(s), io.andon.ui.I18n::locale, Duration.ofMinutes(2), Clock.systemUTC(),
                    m -> System.err.println("andon: " + m)).withStartDelay(Duration.ofMinutes(1)).start();
            return Optional.of(() -> {
                job.close();
                b.close();
            });
        } catch (IOException e) {
            System.err.println("andon: no shift-end reports: " + e.getMessage());
            return Optional.empty();
        }
    }
}
