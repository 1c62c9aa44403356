package io.andon.console;

import io.andon.ui.FxTicker;
import io.andon.ui.I18n;
import io.andon.ui.Page;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Cursor;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.util.List;

/**
 * Wall display: full screen on the chosen monitor, pages rotating with a dwell time, every page kept warm,
 * cursor hidden when idle, a large clock; F11 toggles full screen, Esc twice leaves. Never a modal dialog.
 */
final class WallMode {
    private final Stage stage;
    private final Shell shell;
    private final List<String> playlist;
    private final java.time.Duration dwell;
    private FxTicker.Handle rotation, staleCheck;
    private final FxTicker.Delay idle = new FxTicker.Delay(java.time.Duration.ofSeconds(3), this::hideCursor);
    private final FxTicker.Delay escWindow;
    private boolean escArmed;
    private boolean active;
    private final Label staleText = new Label();
    private final javafx.scene.layout.VBox staleBox = new javafx.scene.layout.VBox(staleText);

    WallMode(Stage stage, Shell shell, List<String> playlist, java.time.Duration dwell) {
        this.stage = stage;
        this.shell = shell;
        this.playlist = List.copyOf(playlist);
        this.dwell = dwell;
        this.escWindow = new FxTicker.Delay(java.time.Duration.ofSeconds(3), () -> {
            escArmed = false;
            shell.setBanner(null);
        });
    }

    void enter(int monitor) {
        active = true;
        List<Screen> screens = Screen.getScreens();
        Rectangle2D b = screens.get(Math.min(Math.max(0, monitor), screens.size() - 1)).getBounds();
        stage.setX(b.getMinX());
        stage.setY(b.getMinY());
        stage.setFullScreenExitKeyCombination(KeyCombination.NO_MATCH); // Esc is ours: it asks first
        stage.setFullScreenExitHint("");
        stage.setFullScreen(true);
        shell.getStyleClass().add("wall");
        shell.setKeepAllPagesLive(true);
        shell.setClockToTheMinute(true);
        Scene scene = stage.getScene();
        scene.setOnMouseMoved(e -> {
            scene.setCursor(Cursor.DEFAULT);
            idle.restart();
        });
        scene.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.F11) stage.setFullScreen(!stage.isFullScreen());
            if (e.getCode() == KeyCode.ESCAPE && active) escape();
            // no mouse on the wall: S snoozes the escalation sound
            if (e.getCode() == KeyCode.S && active && holding() && snooze != null) snooze.run();
        });
        idle.restart();
        rotation = FxTicker.every(dwell, this::next);
        staleBox.getStyleClass().add("stale-overlay");
        staleBox.setAlignment(Pos.CENTER);
        staleCheck = FxTicker.every(java.time.Duration.ofSeconds(1), this::checkStale);
    }

    /** A blind source is shouted across the room: a large notice over the page, not a small grey bar. */
    private void checkStale() {
        var page = shell.current().orElse(null);
        io.andon.ui.dashboard.DashboardPage d = page instanceof io.andon.ui.dashboard.DashboardPage dp ? dp
                : page instanceof io.andon.ui.health.HealthPage hp ? hp.dashboard() : null;
        var snap = d == null ? null : d.viewModel().lastSnapshotProperty().get();
        if (snap != null && snap.sourceError() != null) {
            staleText.setText("⚠ " + I18n.text("wall.stale") + "\n" + io.andon.ui.Problems.text(snap.sourceErrorKind(), snap.sourceError()));
            if (staleBox.getParent() == null) shell.setOverlay(staleBox);
        } else if (staleBox.getParent() != null) {
            shell.setOverlay(null);
        }
    }

    private void escape() {
        if (escArmed) {
            leave();
            return;
        }
        escArmed = true;
        Label l = new Label(I18n.text("wall.escAgain"));
        HBox hint = new HBox(l);
        hint.getStyleClass().add("wall-hint");
        hint.setAlignment(Pos.CENTER);
        shell.setBanner(hint);
        escWindow.restart();
    }

    void leave() {
        active = false;
        escArmed = false;
        if (rotation != null) rotation.cancel();
        if (staleCheck != null) staleCheck.cancel();
        idle.stop();
        escWindow.stop();
        shell.setOverlay(null);
        shell.setBanner(null);
        shell.getStyleClass().remove("wall");
        shell.setKeepAllPagesLive(false);
        shell.setClockToTheMinute(false);
        stage.getScene().setCursor(Cursor.DEFAULT);
        stage.setFullScreen(false);
    }

    private void hideCursor() {
        if (active) stage.getScene().setCursor(Cursor.NONE);
    }

    private void next() {
        if (!active) return;
        if (holding() && shell.pages().containsKey("alerts")) {
            // someone may have paged away with the keyboard: the wall goes back to the alerts while escalated
            shell.show("alerts");
            return;
        }
        String current = shell.current().map(Page::id).orElse(playlist.getFirst());
        int i = playlist.indexOf(current);
        shell.show(playlist.get((i + 1) % playlist.size()));
    }

    boolean active() { return active; }

    private javafx.beans.value.ObservableBooleanValue hold;
    private Runnable snooze;

    /**
     * While {@code hold} is true (an escalation or an alarm flood) the wall shows the alerts page and does not
     * rotate away from it; rotation resumes where it was when it turns false.
     */
    void holdAlertsWhile(javafx.beans.value.ObservableBooleanValue hold) {
        holdAlertsWhile(hold, null);
    }

    /** As above; {@code snooze} runs when S is pressed while held (the wall has a keyboard, no mouse). */
    void holdAlertsWhile(javafx.beans.value.ObservableBooleanValue hold, Runnable snooze) {
        this.snooze = snooze;
        this.hold = hold;
        hold.addListener((o, was, now) -> {
            if (now && active && shell.pages().containsKey("alerts")) shell.show("alerts");
        });
        if (hold.get() && active && shell.pages().containsKey("alerts")) shell.show("alerts");
    }

    boolean holding() { return hold != null && hold.get(); }
}
