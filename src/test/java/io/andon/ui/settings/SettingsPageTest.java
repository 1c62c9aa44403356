package io.andon.ui.settings;

import io.andon.settings.EncryptedFileSecretStore;
import io.andon.settings.Profile;
import io.andon.settings.ProfileStore;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import javafx.scene.control.Labeled;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A supervisor enters connection details once: test buttons answer from the real sources, save stores them. */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
class SettingsPageTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = io.andon.ui.FxShots.darkRoot(stage, 1600, 700);
    }

    @Test
    void testConnectionAndSave(Stack stack, FxRobot robot) throws Exception {
        Path dir = Files.createTempDirectory("andon-settings");
        ProfileStore profiles = new ProfileStore(dir);
        EncryptedFileSecretStore secrets = new EncryptedFileSecretStore(dir);
        AtomicReference<Profile> applied = new AtomicReference<>();
        SettingsPage page = new SettingsPage(profiles, secrets, null, applied::set);
        robot.interact(() -> root.getChildren().setAll(page.view()));
        String prom = stack.prometheus().baseUri().toString();
        robot.clickOn("#settings-prometheus-url").write(prom);
        robot.clickOn("#settings-prometheus-test");
        await(robot, "#settings-prometheus-test", "✔");
        robot.clickOn("#settings-elasticsearch-url").write("http://127.0.0.1:" + io.andon.stack.Ports.free());
        robot.clickOn("#settings-elasticsearch-test");
        await(robot, "#settings-elasticsearch-test", "✖");
        robot.clickOn("#settings-save");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(applied.get()).isNotNull();
        assertThat(applied.get().prometheus().url()).isEqualTo(prom);
        assertThat(profiles.get("default")).isPresent();
        io.andon.ui.FxShots.shot(robot, root, "settings-tested");
    }

    /**
     * The trace source is a row like the others: its test asks the real Zipkin, saving keeps it (before, the page
     * saved profiles without it and so erased one made elsewhere), and the console context built from the profile
     * reads traces from it.
     */
    @Test
    void traceSourceIsTestedSavedAndKept(Stack stack, FxRobot robot) throws Exception {
        Path dir = Files.createTempDirectory("andon-settings");
        ProfileStore profiles = new ProfileStore(dir);
        EncryptedFileSecretStore secrets = new EncryptedFileSecretStore(dir);
        AtomicReference<Profile> applied = new AtomicReference<>();
        String zipkin = stack.zipkin().baseUri().toString();
        SettingsPage page = new SettingsPage(profiles, secrets, null, applied::set);
        robot.interact(() -> root.getChildren().setAll(page.view()));
        robot.clickOn("#settings-prometheus-url").write(stack.prometheus().baseUri().toString());
        robot.clickOn("#settings-traces-url").write(zipkin);
        robot.clickOn("#settings-traces-test");
        await(robot, "#settings-traces-test", "✔");
        robot.clickOn("#settings-save");
        WaitForAsyncUtils.waitForFxEvents();
        Profile saved = profiles.get("default").orElseThrow();
        assertThat(saved.tracesIfSet()).hasValueSatisfying(t -> {
            assertThat(t.url()).isEqualTo(zipkin);
            assertThat(t.kind()).isEqualTo("zipkin");
        });
        // shown again and saved unchanged: the trace source survives
        SettingsPage again = new SettingsPage(profiles, secrets, saved, applied::set);
        robot.interact(() -> root.getChildren().setAll(again.view()));
        assertThat(robot.lookup("#settings-traces-url").queryTextInputControl().getText()).isEqualTo(zipkin);
        robot.clickOn("#settings-save");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(profiles.get("default").orElseThrow().tracesIfSet()).isPresent();
        var ctx = io.andon.console.ConsoleContext.fromProfile(profiles.get("default").orElseThrow(), secrets);
        assertThat(ctx.traces()).hasValueSatisfying(t -> assertThat(t.url().toString()).isEqualTo(zipkin));
        io.andon.ui.FxShots.shot(robot, root, "settings-traces");
    }

    /** The result label sits right of its test button in the same grid row. */
    private static void await(FxRobot robot, String button, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            WaitForAsyncUtils.waitForFxEvents();
            var b = robot.lookup(button).queryButton();
            var grid = (javafx.scene.layout.GridPane) b.getParent();
            Integer row = javafx.scene.layout.GridPane.getRowIndex(b);
            for (var n : grid.getChildren()) {
                if (n instanceof Labeled l && !(n instanceof javafx.scene.control.Button) && row.equals(javafx.scene.layout.GridPane.getRowIndex(n))
                        && l.getText() != null && l.getText().startsWith(prefix)) return;
            }
            Thread.sleep(150);
        }
        throw new AssertionError(button + " did not report " + prefix);
    }
}
