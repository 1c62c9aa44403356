package io.andon.prometheus;

import java.util.List;

/**
 * A range query's answer: the series, and what a page must show beside them ({@code warnings}: the server's
 * warnings and infos, a partial answer, "N series could not be read: …"). {@code unreadable} lists the skipped
 * series one by one; {@code partial} is true when the server said the answer is incomplete.
 */
public record RangeResult(List<Series> series, List<String> warnings, List<String> unreadable, boolean partial) {
    public RangeResult {
        series = List.copyOf(series);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        unreadable = unreadable == null ? List.of() : List.copyOf(unreadable);
    }

    /** Native-histogram points across all series (a line chart cannot draw them; the page says so). */
    public int histogramPoints() {
        return series.stream().mapToInt(s -> s.histograms().size()).sum();
    }
}
