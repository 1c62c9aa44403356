package io.andon.board;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a tile shows after a refresh. STALE keeps the last known value and its sample time, so the view can
 * grey it and show its age. A tile is never OK when its source is blind or the value is not a number.
 *
 * @param value      the figure in display units (NaN when there is none)
 * @param series     per-series values of multi-series tiles (donut per plant), label → value, in label order
 * @param sampleTime time of the newest sample behind {@code value}; null when there never was one
 * @param fetchedAt  when this state was made
 * @param message    why (ERROR), how old and why (STALE), server warnings (otherwise); empty when nothing to say
 * @param sparkline  recent values, oldest first, at most {@link Sparkline#MAX_POINTS}
 * @param warnings   what the answer said beside the figure (server warnings, a partial answer, "N series could not be
 *                   read: …"): the view shows them on the tile in amber, so a figure from part of the data never
 *                   looks like the whole truth
 */
public record TileState(
        String tileId,
        Status status,
        double value,
        Instant sampleTime,
        Instant fetchedAt,
        String message,
        Map<String, Double> series,
        List<Double> sparkline,
        List<String> warnings) {

    /** UNKNOWN only before the first refresh of a page. */
    public enum Status { OK, WARN, CRIT, STALE, NO_DATA, ERROR, UNKNOWN }

    public TileState {
        // keep the series order (the view draws donut slices in it); Map.copyOf would shuffle it
        series = series == null || series.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(series));
        sparkline = sparkline == null ? List.of() : List.copyOf(sparkline);
        message = message == null ? "" : message;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public TileState(String tileId, Status status, double value, Instant sampleTime, Instant fetchedAt, String message,
                     Map<String, Double> series, List<Double> sparkline) {
        this(tileId, status, value, sampleTime, fetchedAt, message, series, sparkline, List.of());
    }

    public static TileState unknown(String id) {
        return new TileState(id, Status.UNKNOWN, Double.NaN, null, null, "waiting for the first refresh", Map.of(), List.of());
    }

    public boolean hasValue() { return !Double.isNaN(value); }

    /** Age of the value at {@code now}; null when there is no sample. */
    public Duration age(Instant now) {
        return sampleTime == null ? null : Duration.between(sampleTime, now);
    }
}
