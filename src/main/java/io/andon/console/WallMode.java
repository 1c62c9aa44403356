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
 * Wall display: full screen on the chosen monitor, pages rotating with a dwell time, cursor hidden when idle, a
 * large clock; F11 toggles full screen, Esc twice leaves. Never a modal dialog. Only the page shown refreshes;
 * the next page of the rotation is refreshed just before it is shown (issue 21), so a switch shows data of this
 * cycle, never spinners or old values, and a wall of N pages costs the servers one page's queries, not N.
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
    private static boolean warnedMonitor;
    private final Label staleText = new Label();
    private final javafx.scene.layout.VBox staleBox = new javafx.scene.layout.VBox(staleText);

    private final Banner.Live banner;
    /** "Esc again to leave", ranked below any alert banner: it must never hide one. */
    private final BannerSlot.Post hint;

    WallMode(Stage stage, Shell shell, List<String> playlist, java.time.Duration dwell) { this(stage, shell, playlist, dwell, null); }

    /** @param banner the live critical banner: key A opens its ack form (the wall has no mouse), null without alerts */
    WallMode(Stage stage, Shell shell, List<String> playlist, java.time.Duration dwell, Banner.Live banner) {
        this.banner = banner;
        this.stage = stage;
        this.shell = shell;
        this.playlist = List.copyOf(playlist);
        this.dwell = dwell;
        this.hint = shell.banners().poster(BannerSlot.Rank.HINT);
        this.escWindow = new FxTicker.Delay(java.time.Duration.ofSeconds(3), () -> {
            escArmed = false;
            hint.withdraw();
        });
    }

    void enter(int monitor) {
        active = true;
        List<Screen> screens = Screen.getScreens();
        int used = Math.min(Math.max(0, monitor), screens.size() - 1);
        // the screen list exists only once the toolkit runs, so a too-high --monitor is a warning, not a usage error
        if (used != monitor && !warnedMonitor) {
            warnedMonitor = true;
            System.err.println("andon: --monitor " + monitor + ": " + screens.size() + (screens.size() == 1 ? " monitor" : " monitors")
                    + " found; the wall uses monitor " + used + (used == 0 ? " (the primary)" : ""));
        }
        Rectangle2D b = screens.get(used).getBounds();
        stage.setX(b.getMinX());
        stage.setY(b.getMinY());
        stage.setFullScreenExitKeyCombination(KeyCombination.NO_MATCH); // Esc is ours: it asks first
        stage.setFullScreenExitHint("");
        stage.setFullScreen(true);
        shell.getStyleClass().add("wall");
        shell.showNavButtonsOf(playlist);
        shell.setClockToTheMinute(true);
        Scene scene = stage.getScene();
        scene.setOnMouseMoved(e -> {
            scene.setCursor(Cursor.DEFAULT);
            idle.restart();
        });
        scene.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.F11) stage.setFullScreen(!stage.isFullScreen());
            if (e.getCode() == KeyCode.ESCAPE && active) escape();
            // A: acknowledge the critical the banner shows (form focused on the note; Enter confirms, Esc cancels)
            if (e.getCode() == KeyCode.A && active && banner != null && !(e.getTarget() instanceof javafx.scene.control.TextInputControl)) {
                banner.openAckForm();
                e.consume();
            }
            // no mouse on the wall: S snoozes the escalation sound
            if (e.getCode() == KeyCode.S && active && holding() && snooze != null
                    && !(e.getTarget() instanceof javafx.scene.control.TextInputControl)) snooze.run();
        });
        idle.restart();
        rotation = FxTicker.every(dwell, this::next);
        schedulePreload();
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
        HBox box = new HBox(l);
        box.getStyleClass().add("wall-hint");
        box.setAlignment(Pos.CENTER);
        hint.post(box);
        escWindow.restart();
    }

    void leave() {
        active = false;
        escArmed = false;
        if (rotation != null) rotation.cancel();
        if (staleCheck != null) staleCheck.cancel();
        if (preloadTimer != null) preloadTimer.cancel();
        if (leavingPage != null && shell.current().orElse(null) == leavingPage) leavingPage.onShow();
        leavingPage = null;
        idle.stop();
        escWindow.stop();
        shell.setOverlay(null);
        hint.withdraw(); // only its own: an alert banner stays
        shell.getStyleClass().remove("wall");
        shell.showNavButtonsOf(null);
        shell.setClockToTheMinute(false);
        stage.getScene().setCursor(Cursor.DEFAULT);
        stage.setFullScreen(false);
    }

    private void hideCursor() {
        if (active) stage.getScene().setCursor(Cursor.NONE);
    }

    /** Longest wait for the next page's refresh before it is shown anyway (its tiles then say why they are old). */
    static final java.time.Duration PRELOAD_TIMEOUT = java.time.Duration.ofSeconds(3);
    /** The next page is refreshed this long before its turn, so the switch itself waits for nothing. */
    static final java.time.Duration PRELOAD_LEAD = java.time.Duration.ofSeconds(2);
    private boolean switching;
    private String preloadedId;
    private java.util.concurrent.CompletableFuture<Void> preloaded;
    private FxTicker.Handle preloadTimer;
    /** The page told it is {@link Page#leaving() leaving}; resumed if the wall is left before the switch. */
    private Page leavingPage;

    private String nextId() {
        String current = shell.current().map(Page::id).orElse(playlist.getFirst());
        return playlist.get((playlist.indexOf(current) + 1) % playlist.size());
    }

    /** Refreshes the page whose turn comes next, a little before it comes. */
    private void schedulePreload() {
        if (preloadTimer != null) preloadTimer.cancel();
        java.time.Duration lead = PRELOAD_LEAD.compareTo(dwell.dividedBy(2)) < 0 ? PRELOAD_LEAD : dwell.dividedBy(2);
        preloadTimer = FxTicker.after(dwell.minus(lead), () -> {
            if (!active) return;
            String id = nextId();
            Page page = shell.pages().get(id);
            if (page == null) return;
            // the page on screen goes within the lead: a refresh of it now would race the switch
            leavingPage = shell.current().filter(p -> !p.id().equals(id)).orElse(null);
            if (leavingPage != null) leavingPage.leaving();
            preloadedId = id;
            preloaded = page.refreshBeforeShow();
        });
    }

    private void next() {
        if (!active || switching) return;
        if (holding() && shell.pages().containsKey("alerts")) {
            // someone may have paged away with the keyboard: the wall goes back to the alerts while escalated
            shell.show("alerts");
            return;
        }
        String id = nextId();
        Page page = shell.pages().get(id);
        if (page == null) return;
        // normally preloaded already (and done); else (the first turn, a slow source) refreshed now and waited for
        java.util.concurrent.CompletableFuture<Void> ready = id.equals(preloadedId) && preloaded != null ? preloaded : page.refreshBeforeShow();
        preloaded = null;
        preloadedId = null;
        switching = true;
        boolean[] shown = {false};
        Runnable show = () -> {
            if (shown[0]) return;
            shown[0] = true;
            switching = false;
            if (!active) return;
            shell.show(id);
            leavingPage = null;
            schedulePreload();
        };
        if (ready.isDone()) show.run();
        else {
            io.andon.util.Activity.LATE_SWITCHES.incrementAndGet();
            ready.whenComplete((v, e) -> javafx.application.Platform.runLater(show));
            FxTicker.after(PRELOAD_TIMEOUT, show);
        }
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
            if (now && active && shell.pages().containsKey("alerts")) {
                io.andon.util.Activity.WALL_HOLDS.incrementAndGet();
                shell.show("alerts");
            }
        });
        if (hold.get() && active && shell.pages().containsKey("alerts")) shell.show("alerts");
    }

    boolean holding() { return hold != null && hold.get(); }
}
