package io.andon.ui.settings;

import io.andon.settings.EncryptedFileSecretStore;
import io.andon.settings.Profile;
import io.andon.settings.ProfileStore;
import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings page built in English and switched to Chinese: the password prompts, the trace row's name and the
 * line saying where secrets are kept follow. They were written once at construction and stayed "password or
 * token", "Traces" and "encrypted file …" on the Chinese page (docs/screenshots/settings-zh-CN.png).
 */
@ExtendWith(ApplicationExtension.class)
class SettingsLanguageTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = FxShots.darkRoot(stage, 1600, 700);
    }

    @Test
    void promptsNamesAndTheSecretStoreFollowTheLanguage(FxRobot robot) throws Exception {
        Path dir = Files.createTempDirectory("andon-settings-lang");
        EncryptedFileSecretStore secrets = new EncryptedFileSecretStore(dir);
        Profile site = new Profile("site", new Profile.Source("http://127.0.0.1:9", "andon", null), List.of(), null);
        secrets.put("site", "prometheus", "not-a-real-secret".toCharArray());
        Path file = secrets.file().orElseThrow();
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            root.getChildren().setAll(new SettingsPage(new ProfileStore(dir), secrets, site, p -> {}).view());
        });
        try {
            assertThat(FxShots.texts(root)).contains("Traces", "Passwords and tokens are kept in the encrypted file " + file);
            assertThat(FxShots.prompts(root)).contains("password or token").anyMatch(p -> p.startsWith("stored"));
            robot.interact(() -> I18n.setLocale(I18n.ZH_CN));
            assertThat(FxShots.texts(root)).as("labels after the switch").contains("链路追踪", "密码和令牌保存在加密文件 " + file)
                    .doesNotContain("Traces").noneMatch(t -> t.contains("encrypted file"));
            assertThat(FxShots.prompts(root)).as("prompts after the switch").contains("密码或令牌", "已保存——输入即可替换")
                    .doesNotContain("password or token").noneMatch(p -> p.startsWith("stored"));
        } finally {
            robot.interact(() -> I18n.setLocale(Locale.ENGLISH));
        }
    }
}
