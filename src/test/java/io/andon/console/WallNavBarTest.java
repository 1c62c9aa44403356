package io.andon.console;

import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import io.andon.ui.Theme;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wall's top bar at 1920×1080 with every page the demo has (ten, Reports the last to arrive): the clock, the alert
 * counts and every page button it shows read in full, in both languages. With all ten buttons at the wall's type size
 * the clock read "1…" and the counts "…" (docs/screenshots/wall-*.png of 6 Dec 2026, 11:08).
 */
@ExtendWith(ApplicationExtension.class)
class WallNavBarTest {
    private Stage stage;
    private StackPane root;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        root = FxShots.darkRoot(stage, 1920, 1080);
    }

    @Test
    void theWallsTopBarReadsInFull(FxRobot robot) throws Exception {
        // sources that do not answer: the bar is what is under test, not the pages' figures
        URI nowhere = URI.create("http://127.0.0.1:9");
        ConsoleContext ctx = new ConsoleContext(nowhere, List.of(nowhere), Optional.of(nowhere), Optional.of(nowhere), Optional.of(nowhere),
                Optional.empty(), Duration.ZERO, List.of()).withTraces(new ConsoleContext.Traces(nowhere, "zipkin"));
        Shell[] shell = new Shell[1];
        WallMode[] wall = new WallMode[1];
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            shell[0] = AndonApp.build(ctx, Theme.DARK);
            root.getChildren().setAll(shell[0]);
            List<String> playlist = shell[0].pages().keySet().stream().filter(id -> !List.of("logs", "settings", "traces").contains(id)).toList();
            wall[0] = new WallMode(stage, shell[0], playlist, Duration.ofHours(1));
            wall[0].enter(0);
            shell[0].show("system");
        });
        try {
            assertThat(shell[0].pages()).as("the demo's pages").hasSizeGreaterThanOrEqualTo(10);
            for (String lang : List.of("en", "zh-CN")) {
                robot.interact(() -> I18n.setLocale(Locale.forLanguageTag(lang)));
                Thread.sleep(300);
                WaitForAsyncUtils.waitForFxEvents();
                List<String> cut = WaitForAsyncUtils.asyncFx(() -> {
                    List<String> out = new ArrayList<>();
                    Node bar = shell[0].lookup(".nav-bar");
                    truncated(bar, out);
                    return out;
                }).get();
                FxShots.shot(robot, root, "wall-nav-bar-" + lang);
                assertThat(cut).as("texts of the wall's top bar shown cut (" + lang + ")").isEmpty();
            }
            robot.interact(() -> wall[0].leave());
            assertThat(WaitForAsyncUtils.asyncFx(() -> shell[0].lookup("#nav-logs").isVisible()).get()).as("off the wall every page has its button").isTrue();
        } finally {
            robot.interact(() -> {
                if (wall[0].active()) wall[0].leave();
                shell[0].dispose();
                I18n.setLocale(Locale.ENGLISH);
            });
        }
    }

    /** Every visible label of the bar whose drawn text is not its text (JavaFX draws "…" in place of what does not fit). */
    private static void truncated(Node n, List<String> out) {
        if (!n.isVisible()) return;
        if (n instanceof Labeled l && l.getText() != null && !l.getText().isEmpty()) {
            for (Node c : l.getChildrenUnmodifiable()) {
                if (c instanceof Text t && !t.getText().equals(l.getText())) out.add("'" + l.getText() + "' drawn as '" + t.getText() + "'");
            }
        }
        if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) truncated(c, out);
    }
}
