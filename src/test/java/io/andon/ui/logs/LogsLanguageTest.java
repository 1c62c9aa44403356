package io.andon.ui.logs;

import io.andon.logs.LogClient;
import io.andon.net.Endpoint;
import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs page built in English and switched to Chinese: its labels and prompts follow. They were written once at
 * construction and stayed "From", "To", "Filter", "Duration (ms)" on the Chinese page (docs/screenshots/logs-zh-CN.png).
 */
@ExtendWith(ApplicationExtension.class)
class LogsLanguageTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = FxShots.darkRoot(stage, 1600, 800);
    }

    @Test
    void labelsAndPromptsFollowTheLanguage(FxRobot robot) {
        // nothing listens there: the page's words are under test, not its searches
        LogsViewModel vm = new LogsViewModel(new LogClient("Elasticsearch", List.of(Endpoint.of("http://127.0.0.1:9"))));
        LogsPage[] page = new LogsPage[1];
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            page[0] = new LogsPage(vm);
            root.getChildren().setAll(page[0].view());
        });
        try {
            assertThat(FxShots.texts(root)).contains("From", "  Filter", "  Duration (ms)");
            robot.interact(() -> I18n.setLocale(I18n.ZH_CN));
            List<String> zh = FxShots.texts(root);
            assertThat(zh).as("labels after the switch").contains("从", "到", "  筛选", "  耗时（毫秒）").doesNotContain("From", "  Filter", "  Duration (ms)");
            assertThat(FxShots.prompts(root)).as("prompts after the switch").contains("精确值", "最小", "最大").doesNotContain("exact value", "min", "max");
        } finally {
            robot.interact(() -> {
                page[0].dispose();
                I18n.setLocale(Locale.ENGLISH);
            });
        }
    }
}
