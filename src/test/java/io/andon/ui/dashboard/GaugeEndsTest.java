package io.andon.ui.dashboard;

import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.ui.I18n;
import io.andon.ui.Theme;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Units on every figure (issue 23): a gauge's two ends were TilesFX's bare "0.0" and "100.0". */
@ExtendWith(ApplicationExtension.class)
class GaugeEndsTest {
    private TileView view;

    @Start
    void start(Stage stage) {
        I18n.setLocale(Locale.ENGLISH);
        TileSpec spec = new TileSpec("used", new TileSpec.Text("Connections used of max", "连接使用率"), "q", "%", 1,
                TileSpec.Skin.GAUGE, null, 0.0, 100.0, null, null, null, null, null, null, null);
        view = new TileView(spec, Theme.DARK);
        stage.setScene(new Scene(new StackPane(view), 380, 300));
        stage.show();
    }

    @Test
    void bothEndsCarryTheUnitAndStayAfterARedraw() throws Exception {
        Instant now = Instant.now();
        for (double v : new double[]{9.0, 42.5, 100.0, 0.0}) {
            WaitForAsyncUtils.asyncFx(() -> view.show(new TileState("used", TileState.Status.OK, v, now, now, "", Map.of(), List.of()))).get();
            WaitForAsyncUtils.waitForFxEvents();
            String figure = WaitForAsyncUtils.asyncFx(() -> largestText(view.tile())).get();
            List<String> shown = new ArrayList<>(WaitForAsyncUtils.asyncFx(() -> visibleTexts(view.tile())).get());
            shown.remove(figure); // at 100 the figure itself reads "100.0"
            assertThat(shown).as("texts of the gauge at " + v + " besides its figure").contains("0 %", "100 %").doesNotContain("0.0", "100.0");
            double smallest = WaitForAsyncUtils.asyncFx(() -> endFontSizes(view.tile())).get();
            assertThat(smallest).as("font size of the ends (a wall's smallest text is 14 px)").isGreaterThanOrEqualTo(14);
            // a figure equal to an end is the figure, not the end: it was rewritten to "100 %" and read "100 %%"
            assertThat(figure).as("the gauge's figure at " + v + " (its unit is a text of its own)").doesNotContain("%");
        }
        java.nio.file.Path png = java.nio.file.Path.of(System.getProperty("andon.project.dir", "."), "target/screenshots/gauge-ends.png");
        java.nio.file.Files.createDirectories(png.getParent());
        WaitForAsyncUtils.asyncFx(() -> io.andon.console.Snapshot.write(view, png)).get();
    }

    private static double endFontSizes(Parent p) {
        double min = Double.MAX_VALUE;
        for (var n : p.getChildrenUnmodifiable()) {
            if (n instanceof Text t && t.isVisible() && t.getText().endsWith(" %"))
                min = Math.min(min, t.getFont().getSize());
            if (n instanceof Parent q) min = Math.min(min, endFontSizes(q));
        }
        return min;
    }

    private static String largestText(Parent p) {
        Text best = null;
        List<Text> all = new ArrayList<>();
        collect(p, all);
        for (Text t : all) if (best == null || t.getFont().getSize() > best.getFont().getSize()) best = t;
        return best == null ? "" : best.getText();
    }

    private static void collect(Parent p, List<Text> out) {
        for (var n : p.getChildrenUnmodifiable()) {
            if (n instanceof Text t && t.isVisible()) out.add(t);
            if (n instanceof Parent q) collect(q, out);
        }
    }

    private static List<String> visibleTexts(Parent p) {
        List<String> out = new ArrayList<>();
        for (var n : p.getChildrenUnmodifiable()) {
            if (n instanceof Text t && t.isVisible()) out.add(t.getText());
            if (n instanceof Parent q) out.addAll(visibleTexts(q));
        }
        return out;
    }
}
