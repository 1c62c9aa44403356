package io.andon.console;

import io.andon.ui.Theme;
import io.andon.util.Watchdog;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak found it: after a stall had put the watchdog's notice in the status bar, the next rebuild left the notice in
 * the disposed console, and the app's reference to the notice kept that console alive (2 Shells after a full GC on both
 * consoles, heap +35 MiB on the wall). The notice now moves to the new console, as the app's rebuild does here.
 */
@ExtendWith(ApplicationExtension.class)
class WatchdogNoticeTest {
    private static final Watchdog.Stall STALL = new Watchdog.Stall("JavaFX application thread", Duration.ofMillis(4482), true, "");
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 1280, 800));
        stage.show();
    }

    @Test
    void aRebuiltConsoleTakesTheNoticeAndTheOldOneIsCollected(FxRobot robot) throws Exception {
        URI nowhere = URI.create("http://127.0.0.1:9");
        ConsoleContext ctx = new ConsoleContext(nowhere, List.of(nowhere), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ZERO, List.of());
        WatchdogNotice notice = new WatchdogNotice();
        Shell[] shells = new Shell[2];
        try {
            robot.interact(() -> {
                shells[0] = AndonApp.build(ctx, Theme.DARK);
                stage.getScene().setRoot(shells[0]);
                notice.show(STALL, shells[0]);
            });
            assertThat(shells[0].statusBar().getChildren()).contains(notice.node());
            // AndonApp.rebuild: dispose, build again, the new console as the scene's root, the notice carried over
            robot.interact(() -> {
                shells[0].dispose();
                shells[1] = AndonApp.build(ctx, Theme.DARK);
                stage.getScene().setRoot(shells[1]);
                notice.moveTo(shells[1]);
            });
            assertThat(shells[1].statusBar().getChildren()).contains(notice.node());
            assertThat(shells[0].statusBar().getChildren()).doesNotContain(notice.node());
            WeakReference<Shell> old = new WeakReference<>(shells[0]);
            shells[0] = null;
            ConsoleLeakTest.awaitCollected(List.of(old));
            if (old.get() != null) ConsoleLeakTest.dumpHeap("notice-leak.hprof");
            assertThat(old.get()).as("the disposed console, with the notice still referenced").isNull();
            // the next stall replaces the notice: one in the bar
            robot.interact(() -> notice.show(STALL, shells[1]));
            assertThat(shells[1].statusBar().getChildren().stream().filter(n -> n.getStyleClass().contains("watchdog-banner"))).hasSize(1);
        } finally {
            robot.interact(() -> { if (shells[1] != null) shells[1].dispose(); });
            ctx.close();
        }
    }
}
