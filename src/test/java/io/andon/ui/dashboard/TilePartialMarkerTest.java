package io.andon.ui.dashboard;

import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import io.andon.ui.Theme;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A figure read from part of the answer (server warnings, a partial answer, series that could not be read) carries
 * the amber marker of the logs page's partial banner, with the notes in the tooltip; a clean answer has none.
 * Screenshots in English and zh-CN: target/screenshots/tile-partial-*.png.
 */
@ExtendWith(ApplicationExtension.class)
class TilePartialMarkerTest {
    private TileView partial, clean;
    private HBox box;

    @Start
    void start(Stage stage) {
        TileSpec p99 = new TileSpec("p99", new TileSpec.Text("Query P99", "查询 P99"), "q", "ms", 0,
                TileSpec.Skin.NUMBER, null, null, null, null, null, null, null, null);
        TileSpec rps = new TileSpec("rps", new TileSpec.Text("Requests", "请求数"), "q", "/s", 0,
                TileSpec.Skin.NUMBER, null, null, null, null, null, null, null, null);
        partial = new TileView(p99, Theme.DARK);
        clean = new TileView(rps, Theme.DARK);
        box = new HBox(8, partial, clean);
        partial.setPrefSize(320, 220);
        clean.setPrefSize(320, 220);
        FxShots.darkRoot(stage, 660, 240).getChildren().add(box);
    }

    @AfterEach
    void english() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> I18n.setLocale(Locale.ENGLISH)).get();
    }

    @Test
    void partialAnswersAreMarkedAmber(FxRobot robot) throws Exception {
        Instant now = Instant.now();
        List<String> notes = List.of("partial result: the server says some of its storage did not answer (isPartial)",
                "2 series could not be read: series 2 {job=node}: label 'env' is not a string: null; series 3: sample value is not a number: 'zero'");
        WaitForAsyncUtils.asyncFx(() -> {
            partial.show(new TileState("p99", TileState.Status.OK, 143, now, now, "warning: " + String.join("; ", notes), Map.of(), List.of(), notes));
            clean.show(new TileState("rps", TileState.Status.OK, 1_250, now, now, "", Map.of(), List.of()));
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
        Label marker = robot.lookup("#partial-p99").queryAs(Label.class);
        assertThat(marker.isVisible()).isTrue();
        assertThat(marker.getText()).isEqualTo("⚠ Partial answer: 2 note(s)");
        assertThat(robot.lookup("#partial-rps").queryAs(Label.class).isVisible()).isFalse();
        FxShots.shot(robot, box, "tile-partial-en");

        WaitForAsyncUtils.asyncFx(() -> I18n.setLocale(I18n.ZH_CN)).get();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(marker.getText()).isEqualTo("⚠ 结果不完整：2 条说明");
        FxShots.shot(robot, box, "tile-partial-zh");
    }
}
