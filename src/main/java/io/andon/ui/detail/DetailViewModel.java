package io.andon.ui.detail;

import io.andon.board.AlertHistory;
import io.andon.board.TileSpec;
import io.andon.net.SourceException;
import io.andon.prometheus.Exemplar;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.Series;
import javafx.application.Platform;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Loads a tile's history (range query) and the alerts of the same window, off the FX thread. */
public final class DetailViewModel {
    /**
     * @param exemplars      every exemplar Prometheus holds for the tile's exemplar query in the window (not one per
     *                       bucket): the dots that lead to a trace
     * @param exemplarError  why they could not be read (the chart is drawn anyway); null when they could
     * @param warnings       what the range answer said beside the series (server warnings, partial answer, "N series
     *                       could not be read: …", native-histogram points a line cannot draw)
     */
    public record Data(TileSpec tile, Instant from, Instant to, List<Series> series, List<AlertHistory.Row> alerts, String error,
                       List<Exemplar> exemplars, String exemplarError, List<String> warnings) {
        public Data {
            exemplars = exemplars == null ? List.of() : List.copyOf(exemplars);
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }

        public Data(TileSpec tile, Instant from, Instant to, List<Series> series, List<AlertHistory.Row> alerts, String error,
                    List<Exemplar> exemplars, String exemplarError) {
            this(tile, from, to, series, alerts, error, exemplars, exemplarError, List.of());
        }

        public Data(TileSpec tile, Instant from, Instant to, List<Series> series, List<AlertHistory.Row> alerts, String error) {
            this(tile, from, to, series, alerts, error, List.of(), null);
        }
    }

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
                io.andon.prometheus.RangeResult rr = prometheus.range(tile.query(), from, to, step);
                List<Series> s = rr.series();
                List<String> warnings = new java.util.ArrayList<>(rr.warnings());
                if (rr.histogramPoints() > 0) {
                    warnings.add(rr.histogramPoints() + " native-histogram points not drawn (a line needs numbers: histogram_quantile(0.99, …))");
                }
                List<AlertHistory.Row> a;
                try {
                    a = history.load(to, window);
                } catch (SourceException e) {
                    a = List.of();
                }
                List<Exemplar> ex = List.of();
                String exError = null;
                if (tile.exemplarQuery().isPresent()) {
                    try {
                        Exemplar.Result r = prometheus.exemplars(tile.exemplarQuery().get(), from, to);
                        // only exemplars that name a trace lead anywhere
                        ex = r.exemplars().stream().filter(e -> e.traceId() != null && !e.traceId().isBlank()).toList();
                        if (!r.problems().isEmpty()) exError = r.problems().size() + " exemplar(s) skipped: " + r.problems().getFirst();
                    } catch (SourceException e) {
                        exError = io.andon.ui.Problems.text(e);
                    }
                }
                d = new Data(tile, from, to, s, a, null, ex, exError, warnings);
            } catch (SourceException e) {
                d = new Data(tile, from, to, List.of(), List.of(), io.andon.ui.Problems.text(e));
            }
            Data r = d;
            Platform.runLater(() -> done.accept(r));
        });
    }
}
