package io.andon.board;

import io.andon.net.SourceError;
import io.andon.net.SourceException;
import io.andon.prometheus.QueryResult;
import io.andon.prometheus.Sample;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules from a query's answer (or its failure) to a tile's state. Pure functions: the refresh engine
 * feeds them, tests check them directly.
 * <ul>
 *   <li>thresholds decide OK / WARN / CRIT</li>
 *   <li>no series → NO_DATA; NaN (0/0, no traffic) → NO_DATA: never OK for a figure we do not have</li>
 *   <li>newest sample older than the staleness limit → STALE, value kept</li>
 *   <li>source blind (unreachable, timeout, TLS, credentials, garbage from a proxy) → STALE keeping the last
 *       value and its time</li>
 *   <li>the server rejected the query (bad_data, execution) → ERROR with the server's reason</li>
 * </ul>
 */
final class TileRules {
    /** Prometheus error types that say "try later", not "this query is wrong". */
    private static final Set<String> TRANSIENT_API_ERRORS = Set.of("timeout", "canceled", "unavailable");
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private TileRules() {}

    /** The staleness limit of a page: two refresh intervals, or the datasource's own limit when larger. */
    static Duration stalenessLimit(Duration refreshInterval, Duration datasourceMax) {
        Duration two = refreshInterval.multipliedBy(2);
        return datasourceMax != null && datasourceMax.compareTo(two) > 0 ? datasourceMax : two;
    }

    static TileState fromResult(TileSpec t, QueryResult r, Instant now, Duration maxStaleness, List<Double> sparkline) {
        if (r.stringValue().isPresent()) {
            return new TileState(t.id(), TileState.Status.ERROR, Double.NaN, null, now, "the query returns a string, not a number", Map.of(), sparkline);
        }
        String warnings = r.warnings().isEmpty() ? "" : "warning: " + String.join("; ", r.warnings());
        if (r.samples().isEmpty() && !r.histograms().isEmpty()) {
            // a native histogram is a distribution, not a figure: say how to get one instead of "no data"
            return new TileState(t.id(), TileState.Status.ERROR, Double.NaN, null, now,
                    join("the query returns native histograms, not a number: wrap it in histogram_quantile(0.99, …), histogram_count(…) or histogram_sum(…)", warnings),
                    Map.of(), sparkline, r.warnings());
        }
        if (r.samples().isEmpty()) {
            return new TileState(t.id(), TileState.Status.NO_DATA, Double.NaN, null, now, join("the query returned nothing", warnings), Map.of(), sparkline, r.warnings());
        }
        double scale = t.scaleOrOne();
        Instant sampleTime = r.samples().stream().map(Sample::time).max(Comparator.naturalOrder()).orElseThrow();
        Map<String, Double> series = new LinkedHashMap<>();
        double value;
        String note = "";
        if (t.legendLabel() != null) {
            r.samples().stream().sorted(Comparator.comparing((Sample s) -> s.labels().getOrDefault(t.legendLabel(), "")))
                    .forEach(s -> series.merge(s.labels().getOrDefault(t.legendLabel(), "(none)"), s.value() * scale, Double::sum));
            value = series.values().stream().mapToDouble(Double::doubleValue).sum();
        } else if (r.samples().size() == 1) {
            value = r.samples().getFirst().value() * scale;
        } else {
            // several series on a single-figure tile: show the worst, never an arbitrary first one
            boolean lowIsBad = t.thresholdsOrNone().direction() == TileSpec.Thresholds.Direction.BELOW;
            var values = r.samples().stream().mapToDouble(s -> s.value() * scale).filter(v -> !Double.isNaN(v));
            value = (lowIsBad ? values.min() : values.max()).orElse(Double.NaN);
            note = r.samples().size() + " series: showing the " + (lowIsBad ? "lowest" : "highest");
        }
        Duration age = Duration.between(sampleTime, now);
        if (age.compareTo(maxStaleness) > 0) {
            return new TileState(t.id(), TileState.Status.STALE, value, sampleTime, now,
                    join("newest sample is " + human(age) + " old (limit " + human(maxStaleness) + ")", warnings), series, sparkline, r.warnings());
        }
        if (Double.isNaN(value)) {
            return new TileState(t.id(), TileState.Status.NO_DATA, value, sampleTime, now,
                    join("the query answered NaN (no traffic, or 0/0)", warnings), series, sparkline, r.warnings());
        }
        TileState.Status st = t.thresholdsOrNone().classify(value);
        String msg = join(join(Double.isInfinite(value) ? "value is infinite (division by zero in the query?)" : "", note), warnings);
        return new TileState(t.id(), st, value, sampleTime, now, msg, series, sparkline, r.warnings());
    }

    static TileState fromFailure(TileSpec t, SourceException e, TileState previous, Instant now, List<Double> sparkline) {
        if (e.error() instanceof SourceError.ApiError api && !TRANSIENT_API_ERRORS.contains(api.type())) {
            return new TileState(t.id(), TileState.Status.ERROR, Double.NaN, null, now, e.getMessage(), Map.of(), sparkline);
        }
        // the source is blind: keep what we knew, greyed, and say how old it is
        boolean had = previous != null && previous.sampleTime() != null && previous.hasValue();
        String age = had ? "; showing the value of " + HMS.format(previous.sampleTime()) + " (" + human(Duration.between(previous.sampleTime(), now)) + " ago)"
                : "; no value yet";
        return new TileState(t.id(), TileState.Status.STALE, had ? previous.value() : Double.NaN, had ? previous.sampleTime() : null, now,
                e.getMessage() + age, had ? previous.series() : Map.of(), sparkline);
    }

    static boolean isFresh(TileState s) {
        return s.status() == TileState.Status.OK || s.status() == TileState.Status.WARN || s.status() == TileState.Status.CRIT;
    }

    private static String join(String a, String b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        return a + "; " + b;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) return s + " s";
        if (s < 7200) return s / 60 + " min";
        return s / 3600 + " h";
    }
}
