package io.andon.board;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Every tile of a page after one refresh, delivered at once so the view updates once per refresh. */
public record PageSnapshot(String pageId, Map<String, TileState> tiles, Instant finishedAt, Duration refreshTime, Duration slowestQuery,
                           String sourceError) {
    public PageSnapshot {
        tiles = Map.copyOf(tiles);
    }
}
