package io.andon.console;

import io.andon.ui.I18n;
import io.andon.ui.Page;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Navigation shell: top bar (pages, counts), the current page, a banner slot and a status bar with the clock. */
public final class Shell extends BorderPane {
    private final Map<String, Page> pages = new LinkedHashMap<>();
    private final Map<String, ToggleButton> buttons = new LinkedHashMap<>();
    private final StackPane content = new StackPane();
    private final VBox top = new VBox();
    private final HBox navBar = new HBox();
    private final HBox navExtras = new HBox(8);
    private final HBox statusBar = new HBox();
    private final Label clock = new Label();
    private final Label statusText = new Label();
    private final ToggleGroup group = new ToggleGroup();
    private Page current;

    public Shell(List<Page> pageList) {
        getStyleClass().add("shell");
        Label title = new Label("Andon");
        title.getStyleClass().add("app-title");
        navBar.getStyleClass().add("nav-bar");
        navBar.setAlignment(Pos.CENTER_LEFT);
        navBar.getChildren().add(title);
        for (Page p : pageList) {
            pages.put(p.id(), p);
            ToggleButton b = new ToggleButton(p.title());
            b.setId("nav-" + p.id());
            b.getStyleClass().add("nav-button");
            b.setToggleGroup(group);
            b.setOnAction(e -> show(p.id()));
            I18n.follow(b, () -> b.setText(p.title()));
            buttons.put(p.id(), b);
            navBar.getChildren().add(b);
        }
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        clock.getStyleClass().add("clock");
        navExtras.setAlignment(Pos.CENTER_RIGHT);
        navBar.getChildren().addAll(spacer, navExtras, clock);
        // when the bar is short of room the page buttons give way, never the clock, the alert counts or the name
        for (Region r : List.of(title, navExtras, clock)) r.setMinWidth(Region.USE_PREF_SIZE);
        top.getChildren().add(navBar);
        setTop(top);
        setCenter(content);
        statusBar.getStyleClass().add("status-bar");
        statusBar.getChildren().add(statusText);
        setBottom(statusBar);

        // setText with an unchanged string is a no-op, so at minute precision the FX thread renders once a minute
        clockTicker = io.andon.ui.FxTicker.every(java.time.Duration.ofSeconds(1), () -> clock.setText(LocalTime.now(time).format(clockFormat)));
        clock.setText(LocalTime.now(time).format(clockFormat));
    }

    private final io.andon.ui.FxTicker.Handle clockTicker;
    private final List<Runnable> onDispose = new java.util.ArrayList<>();
    private boolean disposed;

    /** Work to stop with this console (a watch's ticker, a listener on something that outlives it). */
    public void onDispose(Runnable r) { onDispose.add(r); }

    /**
     * Stops everything this console runs: the clock, each page's refreshes and what was registered with
     * {@link #onDispose}. A running ticker keeps its console reachable: the wall's rebuilds and a profile switch
     * leaked every console before. FX thread; idempotent.
     */
    public void dispose() {
        if (disposed) return;
        disposed = true;
        clockTicker.cancel();
        for (Page p : pages.values()) p.dispose();
        for (Runnable r : onDispose) r.run();
        onDispose.clear();
    }

    /** Where the clock reads the time; a test sets a clock it moves, to see that the shown time follows it. */
    private volatile java.time.Clock time = java.time.Clock.systemDefaultZone();

    void useTimeSource(java.time.Clock c) {
        time = c;
        clock.setText(LocalTime.now(time).format(clockFormat));
    }

    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss"), HM = DateTimeFormatter.ofPattern("HH:mm");
    private DateTimeFormatter clockFormat = HMS;

    /**
     * Wall mode shows the clock to the minute: a seconds clock is a full pulse (CSS, layout, render) every second,
     * measured at ~0.7 % of a core of the 3 % idle budget (WallBench, P4); freshness is what the tiles' STALE is for.
     */
    public void setClockToTheMinute(boolean minute) {
        clockFormat = minute ? HM : HMS;
        clock.setText(LocalTime.now(time).format(clockFormat));
    }

    private boolean keepAllLive;

    /** Wall mode: every page keeps refreshing, so a rotated-in page is current the moment it shows. */
    public void setKeepAllPagesLive(boolean on) {
        keepAllLive = on;
        for (Page p : pages.values()) {
            if (on) p.onShow();
            else if (p != current) p.onHide();
        }
    }

    public void show(String id) {
        Page next = pages.get(id);
        if (next == null) throw new IllegalArgumentException("unknown page '" + id + "' (" + String.join(", ", pages.keySet()) + ")");
        if (next == current) return;
        if (current != null) io.andon.util.Activity.PAGE_SWITCHES.incrementAndGet();
        if (current != null && !keepAllLive) current.onHide();
        current = next;
        content.getChildren().setAll(next.view());
        if (overlay != null) content.getChildren().add(overlay);
        buttons.get(id).setSelected(true);
        next.onShow();
    }

    private javafx.scene.Node overlay;

    /** A layer over the page (wall mode's stale notice); null removes it. Never blocks input: it is mouse-transparent. */
    public void setOverlay(javafx.scene.Node node) {
        if (overlay != null) content.getChildren().remove(overlay);
        overlay = node;
        if (node != null) {
            node.setMouseTransparent(true);
            StackPane.setAlignment(node, Pos.CENTER);
            content.getChildren().add(node);
        }
    }

    /** Shows a node in place of the current page (drill-down), without a navigation button; back() returns. */
    public void showOverlay(Node node) {
        content.getChildren().setAll(node);
    }

    public void back() {
        if (current != null) content.getChildren().setAll(current.view());
    }

    public Optional<Page> current() { return Optional.ofNullable(current); }

    public Map<String, Page> pages() { return pages; }

    /**
     * Shows only these pages' buttons (the wall's playlist: pages the wall never shows need no button there, and ten
     * buttons at the wall's type size left the clock and the alert counts as "…"); null shows them all again.
     */
    public void showNavButtonsOf(java.util.Collection<String> ids) {
        buttons.forEach((id, b) -> {
            boolean show = ids == null || ids.contains(id);
            b.setVisible(show);
            b.setManaged(show);
        });
    }

    /** Extra nodes at the right of the navigation bar (alert counts, scenario menu). */
    public HBox navExtras() { return navExtras; }

    private final BannerSlot banners = new BannerSlot(banner -> {
        top.getChildren().setAll(navBar);
        if (banner != null) top.getChildren().add(banner);
    });

    /** The one banner above the page: posters post with a rank, the highest shows (see {@link BannerSlot}). */
    public BannerSlot banners() { return banners; }

    public Label statusText() { return statusText; }

    public HBox statusBar() { return statusBar; }
}
