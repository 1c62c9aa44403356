package io.andon.report;

import io.andon.alertmanager.Alert;
import io.andon.alertmanager.AlertHistory;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.alertmanager.RangeQuery;
import io.andon.alertmanager.Silence;
import io.andon.journal.JournalReader;
import io.andon.journal.JournalEntry;
import io.andon.logs.LogClient;
import io.andon.logs.LogQuery;
import io.andon.prometheus.PromQL;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.Sample;
import io.andon.prometheus.Series;
import io.andon.report.ShiftReport.AlertRow;
import io.andon.report.ShiftReport.Business;
import io.andon.report.ShiftReport.Charts;
import io.andon.report.ShiftReport.Note;
import io.andon.report.ShiftReport.PlantFigures;
import io.andon.report.ShiftReport.Section;
import io.andon.report.ShiftReport.SilenceRow;
import io.andon.report.ShiftReport.SloRow;
import io.andon.report.ShiftReport.TopError;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads one shift from the real sources: Prometheus (SLO recording rules, ALERTS history, business gauges, chart
 * series), Alertmanager (active alerts, silences: acknowledgements and silences ending next shift), Elasticsearch
 * (top error messages) and the operator journal (acks, shelves, handover notes). A source that fails leaves its
 * sections with the failure named; the others still fill.
 */
public final class ReportGatherer {
    /** The shift's SLO figures come from these recording rules (src/server/prometheus/rules/slo.yml). */
    static final String SLO_ERROR_RATIO = "slo:sli_error:ratio_rate5m";
    static final String SLO_OBJECTIVE = "slo:objective:ratio";
    static final String SLO_BUDGET = "slo:error_budget:ratio";
    static final String SLO_PERIOD = "slo:time_period:days";
    static final String P99 = "sli:latency_p99:seconds";
    static final int TOP_ERRORS = 10;

    private final PrometheusClient prometheus;
    private final Optional<AlertmanagerPool> alertmanager;
    private final Optional<LogClient> logs;
    private final Optional<JournalReader> journal;
    private final String logIndex;
    private final Clock clock;

    /**
     * @param journal where acks, shelves and handover notes come from: a console's own journal, or the headless
     *                report's read-only reader; empty: acks from the Alertmanager silences only
     */
    public ReportGatherer(PrometheusClient prometheus, Optional<AlertmanagerPool> alertmanager, Optional<LogClient> logs, Optional<? extends JournalReader> journal) {
        this(prometheus, alertmanager, logs, journal, LogQuery.DEFAULT_INDEX, Clock.systemUTC());
    }

    public ReportGatherer(PrometheusClient prometheus, Optional<AlertmanagerPool> alertmanager, Optional<LogClient> logs, Optional<? extends JournalReader> journal,
                          String logIndex, Clock clock) {
        this.prometheus = prometheus;
        this.alertmanager = alertmanager;
        this.logs = logs;
        this.journal = journal.map(JournalReader.class::cast);
        this.logIndex = logIndex;
        this.clock = clock;
    }

    /** The report of this shift; {@code nextShift} picks the silences ending in it; {@code note} an extra handover note (CLI). */
    public ShiftReport gather(Shift shift, Shift nextShift, String note) {
        Instant now = clock.instant();
        Instant from = shift.from();
        // a running shift is reported up to now
        Instant asOf = now.isBefore(shift.to()) ? now : shift.to();
        if (!asOf.isAfter(from)) asOf = from.plusSeconds(1);
        String range = "[" + Math.max(1, Duration.between(from, asOf).toSeconds()) + "s]";

        Instant end = asOf;
        // the sources are asked side by side: the report takes as long as its slowest source, not their sum
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var slos = pool.submit(() -> slos(from, end, range));
            var errors = pool.submit(() -> errors(from, end));
            var business = pool.submit(() -> business(shift.plant(), from, end, range));
            var charts = pool.submit(() -> charts(from, end));
            // Alertmanager once: alerts and silences serve three sections
            var am = pool.submit(() -> {
                if (alertmanager.isEmpty()) return new Fetched<AlertmanagerPool.Result>(null, "Alertmanager: not configured");
                try {
                    return new Fetched<>(alertmanager.get().fetch(), null);
                } catch (Exception e) {
                    return new Fetched<AlertmanagerPool.Result>(null, failure("Alertmanager", e));
                }
            });
            var entries = pool.submit(() -> {
                if (journal.isEmpty()) return new Fetched<List<JournalEntry>>(List.of(), null);
                try {
                    // acks made before the shift still tell who owns an alert that is still open
                    return new Fetched<>(journal.get().between(from.minus(Duration.ofDays(1)), end.plusSeconds(1)), null);
                } catch (Exception e) {
                    return new Fetched<List<JournalEntry>>(List.of(), failure("Journal", e));
                }
            });
            Fetched<AlertmanagerPool.Result> a = am.get();
            Fetched<List<JournalEntry>> j = entries.get();
            Section<List<AlertRow>> alerts = alerts(shift, from, asOf, a.value(), a.failure(), j.value(), j.failure());
            return new ShiftReport(shift, now, asOf, slos.get(), alerts, silences(nextShift, a.value(), a.failure()),
                    errors.get(), business.get(), charts.get(), notes(j.value(), j.failure(), note, now));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("report gathering interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            // each section catches its source's failures: what arrives here is a defect, not an outage
            throw new IllegalStateException("report gathering failed: " + e.getCause(), e.getCause());
        }
    }

    /** What one source answered, or why it did not. */
    private record Fetched<T>(T value, String failure) {}

    // ---- SLOs

    private Section<List<SloRow>> slos(Instant from, Instant asOf, String range) {
        try {
            Map<String, Double> objective = bySlo(prometheus.query(SLO_OBJECTIVE, asOf).samples());
            Map<String, Double> budget = bySlo(prometheus.query(SLO_BUDGET, asOf).samples());
            Map<String, Double> days = bySlo(prometheus.query(SLO_PERIOD, asOf).samples());
            Map<String, Double> ratio = bySlo(prometheus.query(sloErrorRatioExpr(range), asOf).samples());
            List<SloRow> rows = new ArrayList<>();
            double shiftDays = Duration.between(from, asOf).toMillis() / 86_400_000.0;
            for (var e : new TreeMap<>(objective).entrySet()) {
                String slo = e.getKey();
                Double r = ratio.get(slo);
                double b = budget.getOrDefault(slo, 1 - e.getValue());
                int d = (int) Math.round(days.getOrDefault(slo, 30.0));
                Double consumed = r == null || b <= 0 ? null : r / b * shiftDays / d;
                rows.add(new SloRow(slo, e.getValue(), r == null ? null : 1 - r, consumed, d));
            }
            if (rows.isEmpty()) return new Section<>(rows, List.of("Prometheus: no SLO recording rules (" + SLO_OBJECTIVE + " is empty)"));
            return Section.ok(rows);
        } catch (Exception e) {
            return new Section<>(List.of(), List.of(failure("Prometheus", e)));
        }
    }

    /**
     * The shift's error ratio per SLO: the mean of the 5-minute error ratio over the shift, evaluated at its end.
     * Not traffic-weighted (a quiet minute weighs as much as a busy one) but defined for any shift length; the
     * 5-minute slices the long windows use would leave a shift shorter than 5 min without a value.
     */
    public static String sloErrorRatioExpr(String range) {
        return "avg_over_time(" + SLO_ERROR_RATIO + range + ")";
    }

    private static Map<String, Double> bySlo(List<Sample> samples) {
        Map<String, Double> m = new HashMap<>();
        for (Sample s : samples) if (s.labels().containsKey("slo") && Double.isFinite(s.value())) m.put(s.labels().get("slo"), s.value());
        return m;
    }

    // ---- alerts

    private Section<List<AlertRow>> alerts(Shift shift, Instant from, Instant asOf, AlertmanagerPool.Result am, String amFailure,
                                           List<JournalEntry> journal, String journalFailure) {
        List<String> failures = new ArrayList<>();
        List<AlertRow> rows = new ArrayList<>();
        List<Alert> active = am == null ? List.of() : am.alerts();
        List<Silence> silences = am == null ? List.of() : am.silences();
        if (amFailure != null) failures.add(amFailure + " (acknowledgements and silences unknown)");
        if (journalFailure != null) failures.add(journalFailure);
        if (am != null) am.memberErrors().forEach(m -> failures.add("Alertmanager: " + m));
        Map<String, JournalEntry> lastAck = new HashMap<>();
        Map<String, JournalEntry> lastShelve = new HashMap<>();
        for (JournalEntry e : journal) {
            if (e.fingerprint() == null) continue;
            switch (e.action()) {
                case ACK -> lastAck.put(e.fingerprint(), e);
                case UNACK -> lastAck.remove(e.fingerprint());
                case SHELVE -> lastShelve.put(e.fingerprint(), e);
                case UNSHELVE -> lastShelve.remove(e.fingerprint());
                default -> { }
            }
        }
        List<Alert> unmatched = new ArrayList<>(active);
        try {
            RangeQuery rq = (expr, s, e, step) -> prometheus.queryRange(expr, s, e, step).stream()
                    .map(x -> new RangeQuery.Series(x.labels(), x.points().stream().map(p -> new RangeQuery.Point(p.time(), p.value())).toList())).toList();
            for (AlertHistory.Timeline t : new AlertHistory(rq).load(from, asOf, alertStep(Duration.between(from, asOf)))) {
                if (!inPlant(t.labels(), shift.plant())) continue;
                Alert match = active.stream().filter(a -> containsAll(a.labels(), t.labels())).findFirst().orElse(null);
                unmatched.remove(match);
                for (AlertHistory.Interval iv : t.intervals()) {
                    Instant start = iv.start();
                    // Alertmanager knows the exact start of what still fires; the range query only to one step
                    if (iv.open() && match != null && match.startsAt() != null && !match.startsAt().isAfter(start)
                            && match.startsAt().isAfter(start.minus(alertStep(Duration.between(from, asOf)).multipliedBy(2)))) start = match.startsAt();
                    rows.add(row(t.labels(), start, iv.open() ? null : iv.end(), iv.open() ? match : null, silences, lastAck, lastShelve, asOf));
                }
            }
        } catch (Exception e) {
            failures.add(failure("Prometheus", e) + " (alert history)");
        }
        // alerts Alertmanager has that Prometheus' ALERTS does not (another rule source): from their own start
        for (Alert a : unmatched) {
            if (a.startsAt() == null || !a.startsAt().isBefore(asOf) || !inPlant(a.labels(), shift.plant())) continue;
            rows.add(row(a.labels(), a.startsAt().isBefore(from) ? from : a.startsAt(), null, a, silences, lastAck, lastShelve, asOf));
        }
        rows.sort(PAGE_ONE_ORDER);
        return new Section<>(rows, failures);
    }

    /** Still firing and unacknowledged first, then still firing and acknowledged, then the rest; newest first within. */
    public static final Comparator<AlertRow> PAGE_ONE_ORDER = Comparator.<AlertRow>comparingInt(r -> r.stillFiring() ? (r.acknowledged() ? 1 : 0) : 2)
            .thenComparing(r -> "critical".equals(r.severity()) ? 0 : 1)
            .thenComparing(AlertRow::start, Comparator.reverseOrder());

    /** About 2000 points over the shift, at least 1 s: starts and ends within one step, under Prometheus' 11 000-point cap. */
    public static Duration alertStep(Duration window) {
        return Duration.ofSeconds(Math.max(1, (window.toSeconds() + 1999) / 2000));
    }

    private AlertRow row(Map<String, String> labels, Instant start, Instant end, Alert current, List<Silence> silences,
                         Map<String, JournalEntry> acks, Map<String, JournalEntry> shelves, Instant asOf) {
        Map<String, String> l = current != null ? current.labels() : labels;
        String ackedBy = null, ackNote = null, silencedBy = null;
        boolean shelved = false;
        if (end == null) {
            for (Silence s : silences) {
                if (!covers(s, asOf) || !matches(s, l)) continue;
                var ack = Acknowledgements.parse(s);
                if (ack.isPresent()) {
                    ackedBy = ack.get().owner();
                    ackNote = ack.get().note();
                } else if (silencedBy == null) {
                    silencedBy = s.createdBy() == null ? "?" : s.createdBy();
                }
            }
            if (current != null) {
                JournalEntry j = acks.get(current.fingerprint());
                if (j != null) {
                    ackedBy = j.user();
                    ackNote = j.note();
                }
                shelved = shelves.containsKey(current.fingerprint());
            }
        }
        String zhSummary = current == null ? "" : current.annotation("summary", true);
        String enSummary = current == null ? "" : current.annotation("summary", false);
        return new AlertRow(l.getOrDefault("alertname", "?"), l, l.getOrDefault("severity", "none"), l.get("plant"), start, end,
                enSummary, zhSummary, ackedBy, ackNote, silencedBy, shelved);
    }

    private static boolean covers(Silence s, Instant t) {
        return "active".equals(s.state()) || (s.startsAt() != null && s.endsAt() != null && !s.startsAt().isAfter(t) && s.endsAt().isAfter(t));
    }

    /** Alertmanager's matcher semantics: every matcher must hold; a regex is anchored; a missing label is "". */
    static boolean matches(Silence s, Map<String, String> labels) {
        if (s.matchers().isEmpty()) return false;
        for (Silence.Matcher m : s.matchers()) {
            String v = labels.getOrDefault(m.name(), "");
            boolean hit;
            try {
                hit = m.isRegex() ? Pattern.compile("^(?:" + m.value() + ")$").matcher(v).matches() : m.value().equals(v);
            } catch (java.util.regex.PatternSyntaxException e) {
                return false;
            }
            if (hit != m.isEqual()) return false;
        }
        return true;
    }

    private static boolean containsAll(Map<String, String> big, Map<String, String> small) {
        for (var e : small.entrySet()) if (!e.getValue().equals(big.get(e.getKey()))) return false;
        return true;
    }

    /** Site-wide alerts (no plant label) belong to every plant's report. */
    private static boolean inPlant(Map<String, String> labels, String plant) {
        return plant == null || !labels.containsKey("plant") || plant.equals(labels.get("plant"));
    }

    // ---- silences ending next shift

    private Section<List<SilenceRow>> silences(Shift next, AlertmanagerPool.Result am, String amFailure) {
        if (am == null) return new Section<>(List.of(), List.of(amFailure));
        List<SilenceRow> rows = new ArrayList<>();
        for (Silence s : am.silences()) {
            if ("expired".equals(s.state()) || s.endsAt() == null) continue;
            if (s.endsAt().isBefore(next.from()) || !s.endsAt().isBefore(next.to())) continue;
            rows.add(new SilenceRow(s.id(), String.join(", ", s.matchers().stream().map(Silence.Matcher::toString).toList()), s.startsAt(), s.endsAt(),
                    s.createdBy(), s.comment(), Acknowledgements.parse(s).isPresent()));
        }
        rows.sort(Comparator.comparing(SilenceRow::endsAt));
        return Section.ok(rows);
    }

    // ---- logs

    private Section<List<TopError>> errors(Instant from, Instant asOf) {
        if (logs.isEmpty()) return new Section<>(List.of(), List.of("Elasticsearch: not configured"));
        try {
            LogQuery q = topErrorsQuery(logIndex, from, asOf);
            return Section.ok(logs.get().topMessages(q, TOP_ERRORS).stream().map(m -> new TopError(m.message(), m.count(), m.first(), m.last())).toList());
        } catch (Exception e) {
            return new Section<>(List.of(), List.of(failure("Elasticsearch", e)));
        }
    }

    /** Error lines of the shift, every service (application and database). */
    public static LogQuery topErrorsQuery(String index, Instant from, Instant to) {
        return new LogQuery(index, from, to, "", Map.of("level", List.of("ERROR")), Map.of(), false);
    }

    // ---- business

    private Section<Business> business(String plant, Instant from, Instant asOf, String range) {
        List<String> failures = new ArrayList<>();
        String sel = plant == null ? "{status=\"DOWN\"}" : "{status=\"DOWN\", plant=" + PromQL.literal(plant) + "}";
        Map<String, Double> downEnd = byPlant(q("sum by (plant) (mes_equipment" + sel + ")", asOf, failures));
        Map<String, Double> downMax = byPlant(q("sum by (plant) (max_over_time(mes_equipment" + sel + range + "))", asOf, failures));
        Map<String, Double> downAvg = byPlant(q("sum by (plant) (avg_over_time(mes_equipment" + sel + range + "))", asOf, failures));
        double hours = Duration.between(from, asOf).toMillis() / 3_600_000.0;
        List<PlantFigures> plants = new ArrayList<>();
        for (String p : new java.util.TreeSet<>(downEnd.keySet())) {
            plants.add(new PlantFigures(p, downEnd.get(p), downMax.get(p), downAvg.containsKey(p) ? downAvg.get(p) * hours : null));
        }
        Double attEnd = one(q("mes_attendance_ratio", asOf, failures));
        Double attMin = one(q("min_over_time(mes_attendance_ratio" + range + ")", asOf, failures));
        Double invStart = one(q("mes_inventory_value_total", from, failures));
        Double invEnd = one(q("mes_inventory_value_total", asOf, failures));
        Double prod = one(q("sum(increase(http_requests_total{job=\"mes-app\", endpoint=\"/api/production-reports\", status=~\"2..\"}" + range + "))", asOf, failures));
        return new Section<>(new Business(plants, attEnd, attMin, invStart, invEnd, prod), failures.stream().distinct().toList());
    }

    private List<Sample> q(String expr, Instant t, List<String> failures) {
        try {
            return prometheus.query(expr, t).samples();
        } catch (Exception e) {
            failures.add(failure("Prometheus", e));
            return List.of();
        }
    }

    private static Map<String, Double> byPlant(List<Sample> s) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Sample x : s) m.put(x.labels().getOrDefault("plant", "?"), x.value());
        return m;
    }

    private static Double one(List<Sample> s) {
        return s.isEmpty() || !Double.isFinite(s.getFirst().value()) ? null : s.getFirst().value();
    }

    // ---- charts

    private Section<Charts> charts(Instant from, Instant asOf) {
        Duration step = Duration.ofSeconds(Math.max(1, Duration.between(from, asOf).toSeconds() / 300));
        try {
            List<Series> avail = prometheus.queryRange("1 - " + SLO_ERROR_RATIO + "{slo=\"availability\"}", from, asOf, step);
            List<Series> p99 = prometheus.queryRange(P99, from, asOf, step);
            return Section.ok(new Charts(avail, p99));
        } catch (Exception e) {
            return new Section<>(new Charts(List.of(), List.of()), List.of(failure("Prometheus", e)));
        }
    }

    // ---- notes

    private Section<List<Note>> notes(List<JournalEntry> entries, String journalFailure, String cliNote, Instant now) {
        List<Note> notes = new ArrayList<>();
        for (JournalEntry e : entries) if (e.action() == JournalEntry.Action.HANDOVER_NOTE && e.note() != null) notes.add(new Note(e.at(), e.user(), e.note()));
        if (cliNote != null && !cliNote.isBlank()
                && notes.stream().noneMatch(n -> n.text().equals(cliNote.strip()))) notes.add(new Note(now, System.getProperty("user.name"), cliNote.strip()));
        return new Section<>(notes, journalFailure == null ? List.of() : List.of(journalFailure));
    }

    /** "Prometheus: connection refused …", the source named once. */
    static String failure(String source, Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.startsWith(source) ? m : source + ": " + m;
    }
}
