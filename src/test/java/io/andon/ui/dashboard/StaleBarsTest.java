package io.andon.ui.dashboard;

import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.ui.I18n;
import io.andon.ui.Theme;
import javafx.scene.Node;
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
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stale bar tile is greyed like every other stale tile. Its rows are drawn over the TilesFX tile and kept full
 * white while the tile around them was greyed (docs/screenshots/database-stale-en.png, "Connections by state").
 */
@ExtendWith(ApplicationExtension.class)
class StaleBarsTest {
    private TileView view;

    @Start
    void start(Stage stage) {
        I18n.setLocale(Locale.ENGLISH);
        TileSpec spec = new TileSpec("by-state", new TileSpec.Text("Connections by state", "各状态连接"), "q", "", 0,
                TileSpec.Skin.BARS, null, null, null, null, null, null, null, null, null, null);
        view = new TileView(spec, Theme.DARK);
        stage.setScene(new Scene(new StackPane(view), 380, 300));
        stage.show();
    }

    @Test
    void theRowsGreyWithTheTile() throws Exception {
        Instant t = Instant.now();
        Map<String, Double> series = Map.of("idle", 17.0, "active", 1.0);
        WaitForAsyncUtils.asyncFx(() -> view.show(new TileState("by-state", TileState.Status.OK, 18, t, t, "", series, List.of()))).get();
        WaitForAsyncUtils.waitForFxEvents();
        Node bars = WaitForAsyncUtils.asyncFx(() -> view.lookup("#bars-by-state")).get();
        assertThat(bars).isNotNull();
        assertThat(bars.getOpacity()).as("live rows").isEqualTo(1.0);
        double tileOpacity = WaitForAsyncUtils.asyncFx(() -> {
            view.show(new TileState("by-state", TileState.Status.STALE, 18, t, t.plusSeconds(20), "", series, List.of()));
            return view.tile().getOpacity();
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(tileOpacity).as("the stale tile is greyed").isLessThan(1.0);
        assertThat(bars.getOpacity()).as("its rows with it").isEqualTo(tileOpacity);
    }
}
