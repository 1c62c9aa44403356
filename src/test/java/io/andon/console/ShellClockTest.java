package io.andon.console;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The top-bar clock: seconds at the desk, minutes on the wall. Each change of its text is a full JavaFX pulse,
 * which is what the wall's idle CPU budget (P4) pays for, so the test counts changes, not just the format.
 */
@ExtendWith(ApplicationExtension.class)
class ShellClockTest {
    private Shell shell;
    private Label clock;

    @Start
    void start(Stage stage) {
        shell = new Shell(List.of());
        stage.setScene(new Scene(shell, 800, 400));
        stage.show();
        clock = (Label) shell.lookup(".clock");
    }

    @Test
    void deskClockTicksEverySecondWallClockOncePerMinute() throws Exception {
        assertThat(clock).isNotNull();
        assertThat(changesOver(2600)).as("changes of the desk clock in 2.6 s").isGreaterThanOrEqualTo(2);
        assertThat(clock.getText()).matches("\\d\\d:\\d\\d:\\d\\d");

        WaitForAsyncUtils.asyncFx(() -> shell.setClockToTheMinute(true)).get();
        assertThat(clock.getText()).matches("\\d\\d:\\d\\d");
        assertThat(changesOver(2600)).as("changes of the wall clock in 2.6 s (one if a minute turns)").isLessThanOrEqualTo(1);
        assertThat(clock.getText()).matches("\\d\\d:\\d\\d");

        WaitForAsyncUtils.asyncFx(() -> shell.setClockToTheMinute(false)).get();
        assertThat(clock.getText()).matches("\\d\\d:\\d\\d:\\d\\d");
    }

    private int changesOver(long ms) throws Exception {
        AtomicInteger n = new AtomicInteger();
        javafx.beans.value.ChangeListener<String> l = (o, a, b) -> n.incrementAndGet();
        WaitForAsyncUtils.asyncFx(() -> clock.textProperty().addListener(l)).get();
        Thread.sleep(ms);
        WaitForAsyncUtils.asyncFx(() -> clock.textProperty().removeListener(l)).get();
        return n.get();
    }
}
