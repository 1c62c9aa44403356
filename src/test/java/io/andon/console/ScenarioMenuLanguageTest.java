package io.andon.console;

import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's scenario menu with its simulator down: "simulator unreachable" follows a language switch. Written once,
 * it stayed in the old language, and its own check for "the simulator answers again" compared against the new
 * language's words, so it never cleared after a switch.
 */
@ExtendWith(ApplicationExtension.class)
class ScenarioMenuLanguageTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = FxShots.darkRoot(stage, 800, 100);
    }

    @Test
    void unreachableFollowsTheLanguage(FxRobot robot) throws Exception {
        ScenarioMenu[] menu = new ScenarioMenu[1];
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            // nothing listens on port 9 (discard): the simulator is down
            menu[0] = new ScenarioMenu(URI.create("http://127.0.0.1:9/"));
            root.getChildren().setAll(menu[0]);
        });
        try {
            FxShots.await("the menu saying the simulator is down", Duration.ofSeconds(20),
                    () -> FxShots.texts(root).contains("✖ simulator unreachable"));
            robot.interact(() -> I18n.setLocale(I18n.ZH_CN));
            assertThat(FxShots.texts(root)).contains("✖ 模拟器无法访问").doesNotContain("✖ simulator unreachable");
        } finally {
            robot.interact(() -> {
                menu[0].close();
                I18n.setLocale(Locale.ENGLISH);
            });
        }
    }
}
