package io.andon.prometheus;

import java.util.List;
import java.util.Optional;

/**
 * An instant query's answer, for every result type Prometheus (or Thanos, Mimir, VictoriaMetrics) sends:
 * <ul>
 *   <li>{@code vector}: one sample per series in {@link #samples()}; native-histogram samples in {@link #histograms()}</li>
 *   <li>{@code scalar}: one sample without labels</li>
 *   <li>{@code matrix} (a range selector such as {@code up[1m]}): every point in {@link #series()}, and the
 *       newest float point of each series in {@link #samples()}</li>
 *   <li>{@code string}: no samples; the text in {@link #stringValue()}</li>
 * </ul>
 * {@code warnings} carries what the server said besides the data (warnings, info annotations, a partial answer)
 * and, when some series could not be read, one line "N series could not be read: …": everything a page must show
 * next to the figures. {@code unreadable} lists those series one by one; {@code partial} is true when the server
 * said its answer is incomplete (VictoriaMetrics' {@code isPartial}).
 */
public record QueryResult(String resultType, List<Sample> samples, List<Series> series, Optional<String> stringValue, List<String> warnings,
                          List<NativeHistogram.Sample> histograms, List<String> unreadable, boolean partial) {
    public QueryResult {
        samples = List.copyOf(samples);
        series = series == null ? List.of() : List.copyOf(series);
        stringValue = stringValue == null ? Optional.empty() : stringValue;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        histograms = histograms == null ? List.of() : List.copyOf(histograms);
        unreadable = unreadable == null ? List.of() : List.copyOf(unreadable);
    }

    public QueryResult(String resultType, List<Sample> samples, List<Series> series, Optional<String> stringValue, List<String> warnings) {
        this(resultType, samples, series, stringValue, warnings, List.of(), List.of(), false);
    }

    public QueryResult(String resultType, List<Sample> samples, List<String> warnings) {
        this(resultType, samples, List.of(), Optional.empty(), warnings);
    }

    public boolean isEmpty() { return samples.isEmpty() && stringValue.isEmpty() && histograms.isEmpty(); }
}
