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
}
