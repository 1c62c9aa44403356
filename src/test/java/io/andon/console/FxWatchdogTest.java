package io.andon.console;

import io.andon.util.Watchdog;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, watchdog: the FX thread blocked on purpose for 2.5 s against a 1 s limit is noticed by the console's
 * watchdog (its own thread), logged with a dump naming the blocking frame, and reported on the FX thread once it is
 * free again, first the stall, then the recovery with the whole frozen time; the notice says so.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class FxWatchdogTest {
    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new StackPane(), 400, 200));
        stage.show();
    }

    static void blockTheFxThread(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aBlockedFxThreadIsDetectedWithItsStackAndReported() throws Exception {
        List<Watchdog.Stall> seen = new CopyOnWriteArrayList<>();
        List<Boolean> onFx = new CopyOnWriteArrayList<>();
        try (FxWatchdog dog = new FxWatchdog(Duration.ofSeconds(1), Duration.ofSeconds(60), s -> {
            onFx.add(Platform.isFxApplicationThread());
            seen.add(s);
        }).start()) {
            Thread.sleep(1500);
            assertThat(seen).as("an idle FX thread answers every ping").isEmpty();
            long t0 = System.nanoTime();
            Platform.runLater(() -> blockTheFxThread(2500));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen.size() < 2 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(seen).hasSize(2);
            Watchdog.Stall stall = seen.get(0), back = seen.get(1);
            assertThat(stall.recovered()).isFalse();
            assertThat(stall.name()).isEqualTo("JavaFX application thread");
            assertThat(stall.threadDump()).contains("stuck thread \"JavaFX Application Thread\"").contains("FxWatchdogTest.blockTheFxThread");
            assertThat(back.recovered()).isTrue();
            assertThat(back.busyFor()).as("the whole freeze").isBetween(Duration.ofMillis(2000), Duration.ofMillis(5000));
            assertThat(onFx).containsOnly(true);
            System.out.printf("FX thread blocked 2.5 s: stall reported after %d ms, recovery says %d ms%n",
                    Duration.ofNanos(System.nanoTime() - t0).toMillis(), back.busyFor().toMillis());
            HBox notice = WaitForAsyncUtils.asyncFx(() -> FxWatchdog.notice(back)).get();
            assertThat(((Label) notice.getChildren().getFirst()).getText()).startsWith("⚠ The display did not respond for ").contains("thread dump");
        }
    }

    /**
     * The soak's test-only rebuild trigger: nothing at start (the file as found is the baseline), one rebuild on the FX
     * thread per change of the file's modification time, none without a file configured.
     */
    @Test
    void theTestRebuildTriggerRebuildsOncePerChangeOfItsFile() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("rebuild-trigger", "");
        List<Boolean> runs = new CopyOnWriteArrayList<>(), offRuns = new CopyOnWriteArrayList<>();
        try (FxWatchdog dog = new FxWatchdog(Duration.ofSeconds(1), Duration.ofSeconds(60), s -> {}).start();
             FxWatchdog off = new FxWatchdog(Duration.ofSeconds(1), Duration.ofSeconds(60), s -> {}).start()) {
            dog.onRebuildTrigger(file, () -> runs.add(Platform.isFxApplicationThread()));
            off.onRebuildTrigger(null, () -> offRuns.add(true));
            Thread.sleep(1000);
            assertThat(runs).as("the file as it was at start asks for nothing").isEmpty();
            for (int i = 1; i <= 2; i++) {
                java.nio.file.Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + i * 1000L));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (runs.size() < i && System.nanoTime() < deadline) Thread.sleep(50);
                Thread.sleep(600); // a few more ticks: still one rebuild per change
                assertThat(runs).as("rebuilds after %d changes", i).hasSize(i).containsOnly(true);
            }
            assertThat(offRuns).as("no trigger file: never").isEmpty();
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
