package io.andon.report;

import io.andon.prometheus.Series;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the handover report shows for one shift, gathered from the sources; no layout, no JavaFX. Every
 * section carries the failures of the sources it needed, so a page never looks empty when it was blind.
 */
public record ShiftReport(Shift shift, Instant generatedAt, Instant asOf, Section<List<SloRow>> slos, Section<List<AlertRow>> alerts,
                          Section<List<SilenceRow>> silences, Section<List<TopError>> errors, Section<Business> business,
                          Section<Charts> charts, Section<List<Note>> notes) {

    /** A section's content plus the sources that failed ("Prometheus: connection refused"); empty failures = complete. */
    public record Section<T>(T value, List<String> failures) {
        public Section {
            failures = List.copyOf(failures);
        }

        public static <T> Section<T> ok(T v) { return new Section<>(v, List.of()); }

        public boolean failed() { return !failures.isEmpty(); }
    }

    /** @param attainment good / all over the shift; null without traffic @param budgetConsumed share of the SLO window's error budget spent in the shift */
    public record SloRow(String slo, double objective, Double attainment, Double budgetConsumed, int windowDays) {}

    /**
     * One firing interval of one alert. {@code end} null: still firing when the report was made.
     * {@code ackedBy}/{@code ackNote}: an acknowledgement; {@code silencedBy}: a (non-ack) silence's author.
     */
    public record AlertRow(String alertname, Map<String, String> labels, String severity, String plant, Instant start, Instant end,
                           String summaryEn, String summaryZh, String ackedBy, String ackNote, String silencedBy, boolean shelved) {
        public AlertRow {
            labels = Map.copyOf(labels);
        }

        public boolean stillFiring() { return end == null; }

        public boolean acknowledged() { return ackedBy != null; }

        public Duration duration(Instant asOf) { return Duration.between(start, end == null ? asOf : end); }

        public boolean burnRate() { return alertname.startsWith("ErrorBudgetBurn"); }
    }

    public record SilenceRow(String id, String matchers, Instant startsAt, Instant endsAt, String createdBy, String comment, boolean ack) {}

    public record TopError(String message, long count, Instant first, Instant last) {}

    /** A plant's figures; values absent when the exporter does not export them (or not for this plant). */
    public record PlantFigures(String plant, Double equipmentDownAtEnd, Double equipmentDownMax, Double equipmentDownHours) {}

    public record Business(List<PlantFigures> plants, Double attendanceAtEnd, Double attendanceMin, Double inventoryValueStart,
                           Double inventoryValueEnd, Double productionReports) {
        public Optional<Double> inventoryValueChange() {
            return inventoryValueStart == null || inventoryValueEnd == null ? Optional.empty() : Optional.of(inventoryValueEnd - inventoryValueStart);
        }
    }

    public record Charts(List<Series> availability, List<Series> p99) {}

    /** A handover note (or another journal line worth handing over). */
    public record Note(Instant at, String user, String text) {}
}
