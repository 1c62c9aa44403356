package io.andon.ui.dashboard;

import eu.hansolo.tilesfx.skins.SparkLineTileSkin;
import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.ui.Theme;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sparkline shows what was read, nothing else. TilesFX fills its buffer with the first value it takes, and a
 * range change feeds it the tile's value of the moment (0 before any reading): a cache hit ratio of 99.8 % was
 * drawn as "0 until a minute ago". The test reads the skin's buffer, which TilesFX keeps private.
 */
@ExtendWith(ApplicationExtension.class)
class SparklineHistoryTest {
    private TileView view;

    @Start
    void start(Stage stage) {
        TileSpec spec = new TileSpec("hit", new TileSpec.Text("Cache hit ratio", "缓存命中率"), "q", "%", 2,
                TileSpec.Skin.SPARK_LINE, null, null, null, null, "30m", null, null, null);
        view = new TileView(spec, Theme.DARK);
        stage.setScene(new Scene(new StackPane(view), 400, 300));
        stage.show();
    }

    @Test
    void shortHistoryIsNotPaddedWithZeros() throws Exception {
        WaitForAsyncUtils.waitForFxEvents(); // the skin exists before the first reading, as on a shown page
        assertThat(view.tile().getSkin()).isInstanceOf(SparkLineTileSkin.class);
        Instant now = Instant.now();
        WaitForAsyncUtils.asyncFx(() -> view.show(new TileState("hit", TileState.Status.OK, 99.81, now, now, "",
                Map.of(), List.of(99.70, 99.75, 99.80)))).get();
        WaitForAsyncUtils.waitForFxEvents();
        List<Double> shown = buffer();
        assertThat(shown).hasSize(TileView.SPARK_POINTS);
        assertThat(shown).as("every point is a reading or the earliest reading held").allMatch(v -> v >= 99.70 && v <= 99.81);
        // TilesFX appends a changed value twice (its value listener and its VALUE event): compare runs, not points
        assertThat(runs(shown)).endsWith(99.70, 99.75, 99.80, 99.81);

        WaitForAsyncUtils.asyncFx(() -> view.show(new TileState("hit", TileState.Status.OK, 99.5, now, now, "",
                Map.of(), List.of(99.70, 99.75, 99.80, 99.81, 99.5)))).get();
        WaitForAsyncUtils.waitForFxEvents();
        shown = buffer();
        assertThat(shown.getLast()).isEqualTo(99.5);
        assertThat(shown).allMatch(v -> v >= 99.5 && v <= 99.81);
    }

    private static List<Double> runs(List<Double> xs) {
        List<Double> out = new java.util.ArrayList<>();
        for (Double x : xs) if (out.isEmpty() || !out.getLast().equals(x)) out.add(x);
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Double> buffer() throws Exception {
        var f = SparkLineTileSkin.class.getDeclaredField("dataList");
        f.setAccessible(true);
        return WaitForAsyncUtils.asyncFx(() -> {
            try {
                return List.copyOf((List<Double>) f.get(view.tile().getSkin()));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }).get();
    }
}
