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

    /**
     * A wall keeps its hidden pages refreshing: a sparkline tile takes its history before it was ever in a scene,
     * so before TilesFX made its skin. The history must still be what the skin draws once the page shows; it was
     * lost (the committed Database page screenshots showed a dot in the tile's corner and no line).
     */
    @Test
    void historyTakenWhileHiddenIsDrawnWhenShown() throws Exception {
        TileSpec spec = new TileSpec("conn", new TileSpec.Text("Connections", "连接数"), "q", "", 0,
                TileSpec.Skin.SPARK_LINE, null, null, null, null, "1h", null, null, null);
        TileView hidden = WaitForAsyncUtils.asyncFx(() -> new TileView(spec, Theme.DARK)).get();
        Instant now = Instant.now();
        WaitForAsyncUtils.asyncFx(() -> hidden.show(new TileState("conn", TileState.Status.OK, 18, now, now, "",
                Map.of(), List.of(1.0, 5.0, 12.0)))).get();
        WaitForAsyncUtils.asyncFx(() -> ((StackPane) view.getParent()).getChildren().setAll(hidden)).get();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(hidden.tile().getSkin()).isInstanceOf(SparkLineTileSkin.class);
        assertThat(runs(buffer(hidden))).as("the skin's points after the page showed").endsWith(1.0, 5.0, 12.0, 18.0);
        // and the figure is shown, the largest text: a first trim before the skin's first resize hid it for good
        List<javafx.scene.text.Text> shown = WaitForAsyncUtils.asyncFx(() -> visibleTexts(hidden.tile())).get();
        javafx.scene.text.Text largest = shown.stream().max(java.util.Comparator.comparingDouble(t -> t.getFont().getSize())).orElseThrow();
        assertThat(largest.getText()).as("the largest visible text of the tile").isEqualTo("18");
    }

    private static List<javafx.scene.text.Text> visibleTexts(javafx.scene.Parent p) {
        List<javafx.scene.text.Text> out = new java.util.ArrayList<>();
        for (var n : p.getChildrenUnmodifiable()) {
            if (!n.isVisible()) continue;
            if (n instanceof javafx.scene.text.Text t && !t.getText().isBlank()) out.add(t);
            if (n instanceof javafx.scene.Parent q) out.addAll(visibleTexts(q));
        }
        return out;
    }

    private static List<Double> runs(List<Double> xs) {
        List<Double> out = new java.util.ArrayList<>();
        for (Double x : xs) if (out.isEmpty() || !out.getLast().equals(x)) out.add(x);
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Double> buffer() throws Exception { return buffer(view); }

    @SuppressWarnings("unchecked")
    private static List<Double> buffer(TileView view) throws Exception {
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
