package io.andon.board;

import io.andon.util.Durations;
import java.time.Duration;
import java.util.List;

/** One dashboard page (one YAML file). */
public record PageSpec(
        String id,
        TileSpec.Text title,
        String refresh,
        String datasource,
        Integer columns,
        List<TileSpec> tiles) {

    public PageSpec {
        tiles = tiles == null ? List.of() : List.copyOf(tiles);
    }

    public Duration refreshInterval() { return refresh == null ? Duration.ofSeconds(5) : Durations.parse(refresh); }

    public int columnsOrDefault() { return columns == null ? 4 : columns; }
}
