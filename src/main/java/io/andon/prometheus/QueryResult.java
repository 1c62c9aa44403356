package io.andon.prometheus;

import java.util.List;
import java.util.Optional;

/**
 * An instant query's answer, for every result type Prometheus (or Thanos, Mimir, VictoriaMetrics) sends:
 * <ul>
 *   <li>{@code vector}: one sample per series in {@link #samples()}</li>
 *   <li>{@code scalar}: one sample without labels</li>
 *   <li>{@code matrix} (a range selector such as {@code up[1m]}): every point in {@link #series()}, and the
 *       newest point of each series in {@link #samples()}</li>
 *   <li>{@code string}: no samples; the text in {@link #stringValue()}</li>
 * </ul>
 * {@code warnings} carries what the server said besides the data (partial results, info annotations).
 */
public record QueryResult(String resultType, List<Sample> samples, List<Series> series, Optional<String> stringValue, List<String> warnings) {
    public QueryResult {
        samples = List.copyOf(samples);
        series = series == null ? List.of() : List.copyOf(series);
        stringValue = stringValue == null ? Optional.empty() : stringValue;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public QueryResult(String resultType, List<Sample> samples, List<String> warnings) {
        this(resultType, samples, List.of(), Optional.empty(), warnings);
    }

    public boolean isEmpty() { return samples.isEmpty() && stringValue.isEmpty(); }
}
