package io.andon.ui.detail;

import io.andon.board.AlertHistory;
import io.andon.board.TileSpec;
import io.andon.net.SourceException;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.Series;
import javafx.application.Platform;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Loads a tile's history (range query) and the alerts of the same window, off the FX thread. */
public final class DetailViewModel {
    public record Data(TileSpec tile, Instant from, Instant to, List<Series> series, List<AlertHistory.Row> alerts, String error) {}

    private final PrometheusClient prometheus;
    private final AlertHistory history;

    public DetailViewModel(PrometheusClient prometheus) {
        this.prometheus = prometheus;
        this.history = new AlertHistory(prometheus);
    }

    public void load(TileSpec tile, Duration window, Consumer<Data> done) {
        Thread.ofVirtual().start(() -> {
            Instant to = Instant.now(), from = to.minus(window);
            Duration step = Duration.ofSeconds(Math.max(5, window.toSeconds() / 400));
            Data d;
            try {
                List<Series> s = prometheus.queryRange(tile.query(), from, to, step);
                List<AlertHistory.Row> a;
                try {
                    a = history.load(to, window);
                } catch (SourceException e) {
                    a = List.of();
                }
                d = new Data(tile, from, to, s, a, null);
            } catch (SourceException e) {
                d = new Data(tile, from, to, List.of(), List.of(), io.andon.ui.Problems.text(e));
            }
            Data r = d;
            Platform.runLater(() -> done.accept(r));
        });
    }
}
