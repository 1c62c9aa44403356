package io.andon.board;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tile of a page after one refresh, delivered at once so the view updates once per refresh.
 *
 * @param tiles        tile id → state, in the page's tile order
 * @param refreshTime  wall time of the whole refresh (the queries ran concurrently)
 * @param slowestQuery the slowest single query of it
 * @param sourceError  the first reason the source was blind in this refresh, or null
 * @param sourceErrorKind what kind of problem that was (the view words it in the UI language), or null
 */
public record PageSnapshot(String pageId, Map<String, TileState> tiles, Instant finishedAt, Duration refreshTime, Duration slowestQuery,
                           String sourceError, io.andon.net.SourceException.Kind sourceErrorKind) {
    public PageSnapshot {
        tiles = Collections.unmodifiableMap(new LinkedHashMap<>(tiles));
    }
}
