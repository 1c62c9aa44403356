package io.andon.board;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a tile shows after a refresh. STALE keeps the last known value and its time; the view greys it and
 * shows its age. A tile is never OK when its source is blind.
 */
public record TileState(
        String tileId,
        Status status,
        double value,
        Instant sampleTime,
        Instant fetchedAt,
        String message,
        Map<String, Double> series,
        List<Double> sparkline) {

    public enum Status { OK, WARN, CRIT, STALE, NO_DATA, ERROR, UNKNOWN }

    public TileState {
        series = series == null ? Map.of() : Map.copyOf(series);
        sparkline = sparkline == null ? List.of() : List.copyOf(sparkline);
        message = message == null ? "" : message;
    }

    public static TileState unknown(String id) {
        return new TileState(id, Status.UNKNOWN, Double.NaN, null, null, "waiting for the first refresh", Map.of(), List.of());
    }

    public boolean hasValue() { return !Double.isNaN(value); }
}
