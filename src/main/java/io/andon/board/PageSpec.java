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
        java.util.Map<String, String> gates,
        List<TileSpec> tiles) {

    /**
     * @param gates conditions named once per page, which tiles take with {@code gate: NAME}: e.g. the exporter's
     *              figures answer only while the exporter and its database collection are up (after a Prometheus
     *              restart vanished series would otherwise be served as current for 5 min)
     */
    public PageSpec {
        gates = gates == null ? java.util.Map.of() : java.util.Map.copyOf(gates);
        tiles = tiles == null ? List.of() : List.copyOf(tiles);
        var g = gates;
        // a tile naming an unknown gate keeps it (validation reports it); a known one is applied and cleared
        tiles = tiles.stream().map(t -> t != null && t.gate() != null && g.containsKey(t.gate()) ? t.gated(g.get(t.gate())) : t).toList();
    }

    /** A page without gates (the form before issue 23). */
    public PageSpec(String id, TileSpec.Text title, String refresh, String datasource, Integer columns, List<TileSpec> tiles) {
        this(id, title, refresh, datasource, columns, null, tiles);
    }

    public Duration refreshInterval() { return refresh == null ? Duration.ofSeconds(5) : Durations.parse(refresh); }

    public int columnsOrDefault() { return columns == null ? 4 : columns; }
}
