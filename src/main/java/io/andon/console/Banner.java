package io.andon.console;

import io.andon.alertmanager.Alert;
import io.andon.ui.I18n;
import io.andon.ui.alerts.AlertsViewModel;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

import java.util.Map;

/** The alert chrome around every page: severity counts in the navigation bar, and the critical banner. */
final class Banner {
    private Banner() {}

    /** Counts of active alerts per severity, always visible; "?" when Alertmanager cannot be read. */
    static Node counts(AlertsViewModel vm, Runnable open) {
        Label crit = chip("chip-crit"), warn = chip("chip-warn"), other = chip("chip-info");
        crit.setId("count-critical");
        warn.setId("count-warning");
        Runnable update = () -> {
            Map<String, Long> c = vm.countsProperty().get();
            String q = vm.staleProperty().get() ? "?" : null;
            crit.setText("✖ " + (q != null ? q : c.getOrDefault("critical", 0L)));
            warn.setText("▲ " + (q != null ? q : c.getOrDefault("warning", 0L)));
            long rest = c.entrySet().stream().filter(e -> !e.getKey().equals("critical") && !e.getKey().equals("warning")).mapToLong(Map.Entry::getValue).sum();
            other.setText("● " + (q != null ? q : rest));
        };
        vm.countsProperty().addListener((o, a, b) -> update.run());
        vm.staleProperty().addListener((o, a, b) -> update.run());
        update.run();
        HBox box = new HBox(6, crit, warn, other);
        box.setAlignment(Pos.CENTER);
        box.setOnMouseClicked(e -> open.run());
        box.setStyle("-fx-cursor: hand;");
        return box;
    }

    private static Label chip(String style) {
        Label l = new Label();
        l.getStyleClass().addAll("chip", style);
        l.setStyle("-fx-font-size: 16px;");
        return l;
    }

    /** A newly firing critical alert: a banner over every page until acknowledged; no dialog, no focus change. */
    static void critical(Shell shell, Alert a) {
        if (shell == null) return;
        Label text = new Label(I18n.text("alerts.banner", a.annotation("summary", I18n.isChinese()).isEmpty() ? a.name()
                : a.annotation("summary", I18n.isChinese())) + "  ·  " + a.labels().getOrDefault("plant", a.labels().getOrDefault("instance", "")));
        text.setId("critical-banner-text");
        Button ack = new Button(I18n.text("alerts.acknowledge"));
        ack.setFocusTraversable(false);
        ack.setOnAction(e -> shell.setBanner(null));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox banner = new HBox(12, new Label("✖"), text, spacer, ack);
        banner.setId("critical-banner");
        banner.getStyleClass().add("banner-critical");
        banner.setAlignment(Pos.CENTER_LEFT);
        shell.setBanner(banner);
    }

    /**
     * Escalation and alarm flood (issue 19): while something is escalated the banner grows (larger, with how long
     * it has gone unacknowledged and a snooze for the sound); during a flood it becomes the flood view — a summary
     * by group and plant, saying that single alarms are not announced one by one now. Removed when both end.
     */
    static void alarms(Shell shell, io.andon.ui.alerts.AlarmWatch w, java.time.Clock clock) {
        Node[] mine = {null};
        Runnable[] render = {null};
        render[0] = () -> {
            Node next = w.floodingProperty().get() ? flood(w) : !w.escalatedProperty().get().isEmpty() ? escalated(w, clock) : null;
            if (next != null) {
                shell.setBanner(next);
                // something else cleared the banner (the wall leaving, its Esc hint): an escalation or flood shows again
                next.parentProperty().addListener((o, a, b) -> {
                    if (b == null && mine[0] == next) javafx.application.Platform.runLater(render[0]);
                });
            } else if (mine[0] != null && mine[0].getParent() != null) {
                shell.setBanner(null);
            }
            mine[0] = next;
        };
        Runnable render0 = render[0];
        w.escalatedProperty().addListener((o, a, b) -> render0.run());
        w.floodingProperty().addListener((o, a, b) -> render0.run());
        w.floodSummaryProperty().addListener((o, a, b) -> { if (w.floodingProperty().get()) render0.run(); });
        I18n.localeProperty().addListener((o, a, b) -> { if (mine[0] != null) render0.run(); });
        render0.run();
    }

    private static Node escalated(io.andon.ui.alerts.AlarmWatch w, java.time.Clock clock) {
        var list = w.escalatedProperty().get();
        Alert a = list.getFirst().alert();
        String summary = a.annotation("summary", I18n.isChinese()).isEmpty() ? a.name() : a.annotation("summary", I18n.isChinese());
        long min = a.startsAt() == null ? 0 : java.time.Duration.between(a.startsAt(), clock.instant()).toMinutes();
        Label text = new Label("⚠ " + I18n.text("escalation.banner", summary));
        text.setId("escalation-banner-text");
        text.setWrapText(true);
        String plant = a.labels().getOrDefault("plant", a.labels().getOrDefault("instance", ""));
        Label detail = new Label(I18n.text("escalation.detail", min, plant.isEmpty() ? "—" : plant)
                + (list.size() > 1 ? "  ·  " + I18n.text("escalation.more", list.size() - 1) : ""));
        detail.setId("escalation-banner-detail");
        detail.getStyleClass().add("escalation-detail");
        Button snooze = new Button(I18n.text("escalation.snooze"));
        snooze.setId("escalation-snooze");
        snooze.setFocusTraversable(false);
        snooze.setOnAction(e -> {
            w.snooze(java.time.Duration.ofMinutes(5));
            snooze.setText(I18n.text("escalation.snoozed"));
            snooze.setDisable(true);
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        javafx.scene.layout.VBox texts = new javafx.scene.layout.VBox(4, text, detail);
        HBox banner = new HBox(16, texts, spacer, snooze);
        banner.setId("escalation-banner");
        banner.getStyleClass().addAll("banner-critical", "banner-escalated");
        banner.setAlignment(Pos.CENTER_LEFT);
        return banner;
    }

    private static Node flood(io.andon.ui.alerts.AlarmWatch w) {
        var rows = w.floodSummaryProperty().get();
        long firing = rows.stream().mapToLong(io.andon.alertmanager.FloodDetector.Row::firing).sum();
        java.time.Duration win = w.floodConfig().window();
        String window = win.toSeconds() % 60 == 0 ? win.toMinutes() + I18n.pick(" min", " 分钟") : win.toSeconds() + I18n.pick(" s", " 秒");
        Label head = new Label("≋ " + I18n.text("flood.banner", w.floodRateProperty().get(), window, firing));
        head.setId("flood-banner-text");
        head.setWrapText(true);
        Label note = new Label(I18n.text("flood.note") + (w.escalatedProperty().get().isEmpty() ? ""
                : "  ·  ⚠ " + I18n.text("flood.escalated", w.escalatedProperty().get().size())));
        note.setStyle("-fx-font-size: 16px; -fx-font-weight: normal;");
        javafx.scene.layout.FlowPane chips = new javafx.scene.layout.FlowPane(8, 6);
        chips.setId("flood-summary");
        int max = 16;
        for (int i = 0; i < Math.min(max, rows.size()); i++) {
            var r = rows.get(i);
            Label chip = new Label(r.group() + " · " + r.plant() + "  ×" + r.firing());
            chip.getStyleClass().add("flood-row");
            if ("critical".equals(r.severity())) chip.getStyleClass().add("flood-row-critical");
            chips.getChildren().add(chip);
        }
        if (rows.size() > max) chips.getChildren().add(new Label(I18n.text("flood.moreGroups", rows.size() - max)));
        javafx.scene.layout.VBox banner = new javafx.scene.layout.VBox(6, head, note, chips);
        banner.setId("flood-banner");
        banner.getStyleClass().add("banner-flood");
        return banner;
    }
}
