package io.andon.board;

import io.andon.util.Durations;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * One tile as a dashboard file declares it. Everything a tile shows comes from here, so adding a tile is a
 * YAML edit.
 */
public record TileSpec(
        String id,
        Text title,
        String query,
        String unit,
        int decimals,
        Skin skin,
        Thresholds thresholds,
        Double min,
        Double max,
        Double target,
        @JsonProperty("sparkline") String sparklineRange,
        @JsonProperty("legend") String legendLabel,
        String service,
        Double scale) {

    public enum Skin { NUMBER, SPARK_LINE, GAUGE, PERCENTAGE, DONUT_CHART, LED, STATUS, TEXT }

    /** A bilingual text: English and Simplified Chinese. */
    public record Text(String en, @JsonProperty("zh_CN") String zhCN) {}

    /** Where WARN and CRIT begin; {@code direction: below} means low values are bad (availability, throughput). */
    public record Thresholds(Double warn, Double crit, Direction direction) {
        public enum Direction { ABOVE, BELOW }

        public static final Thresholds NONE = new Thresholds(null, null, Direction.ABOVE);

        public TileState.Status classify(double v) {
            if (Double.isNaN(v)) return TileState.Status.NO_DATA;
            boolean below = direction == Direction.BELOW;
            if (crit != null && (below ? v < crit : v > crit)) return TileState.Status.CRIT;
            if (warn != null && (below ? v < warn : v > warn)) return TileState.Status.WARN;
            return TileState.Status.OK;
        }
    }

    public Thresholds thresholdsOrNone() { return thresholds == null ? Thresholds.NONE : thresholds; }

    public Optional<Duration> sparkline() {
        return sparklineRange == null ? Optional.empty() : Optional.of(Durations.parse(sparklineRange));
    }

    /** Multiplier applied to the raw value (e.g. 100 for ratio → percent, 1000 for seconds → ms). */
    public double scaleOrOne() { return scale == null ? 1.0 : scale; }
}
