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

    @org.junit.jupiter.api.AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(shell::dispose).get();
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

    /**
     * The shown time follows the time source, at both precisions: a clock frozen at one value (a ticker that stopped,
     * or one that stops in wall mode) shows a stale time and fails here, where counting changes alone would pass.
     */
    @Test
    void shownTimeFollowsTheClockAtBothPrecisions() throws Exception {
        MovableClock t = new MovableClock(java.time.Instant.parse("2026-03-02T07:59:58Z"));
        WaitForAsyncUtils.asyncFx(() -> shell.useTimeSource(t)).get();
        assertThat(clock.getText()).isEqualTo("07:59:58");
        t.now = t.now.plusSeconds(1);
        awaitText("07:59:59");

        WaitForAsyncUtils.asyncFx(() -> shell.setClockToTheMinute(true)).get();
        assertThat(clock.getText()).isEqualTo("07:59");
        t.now = t.now.plusSeconds(2); // the minute turns while the wall shows minutes
        awaitText("08:00");
        t.now = t.now.plusSeconds(60);
        awaitText("08:01");

        WaitForAsyncUtils.asyncFx(() -> shell.setClockToTheMinute(false)).get();
        t.now = t.now.plusSeconds(5);
        awaitText("08:01:06");
    }

    private void awaitText(String want) throws Exception {
        // the ticker runs every second; a loaded CI machine has delayed a tick past 3 s (ten are a frozen clock)
        long end = System.nanoTime() + 10_000_000_000L;
        while (!want.equals(WaitForAsyncUtils.asyncFx(() -> clock.getText()).get()) && System.nanoTime() < end) Thread.sleep(50);
        assertThat(clock.getText()).as("clock after the time source moved").isEqualTo(want);
    }

    /** A clock in UTC that the test moves by hand. */
    private static final class MovableClock extends java.time.Clock {
        volatile java.time.Instant now;

        MovableClock(java.time.Instant start) { now = start; }

        @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }

        @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }

        @Override public java.time.Instant instant() { return now; }
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
