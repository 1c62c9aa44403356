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
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Region;

import java.util.List;
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

    /**
     * The critical banner, live: a red banner for the newest unacknowledged critical (any console's ack removes it
     * on the next poll), an inline ack form (owner, note; Enter confirms, Esc cancels; no dialog, no mouse needed),
     * and once acknowledged a calm line "ACK by X: note, 12 min ago" with un-acknowledge as one action.
     */
    static Live live(Shell shell, AlertsViewModel vm) {
        Live l = new Live(shell, vm);
        vm.snapshotProperty().addListener((o, a, b) -> l.refresh());
        I18n.follow(shell, l::refresh);
        l.refresh();
        return l;
    }

    /** A newly firing critical: the live banner shows it (kept for callers that announce one alert). */
    static void critical(Shell shell, Alert a) {
        // the live banner (installed with the alerts view model) follows the shared ack state; nothing to do here
    }

    static final class Live {
        private final Shell shell;
        private final AlertsViewModel vm;
        final HBox banner = new HBox(12);
        final Label icon = new Label("✖");
        final Label text = new Label();
        final Button ackOpen = new Button();
        final Button unack = new Button();
        final TextField owner = new TextField(System.getProperty("user.name", ""));
        final TextField note = new TextField();
        final Button confirm = new Button();
        final Label result = new Label();
        final HBox form;
        private final Region spacer = new Region();
        private Alert target;
        private boolean formOpen;
        /** True while an escalation or a flood owns the banner (it summarises; one critical is not announced alone). */
        private javafx.beans.value.ObservableBooleanValue stepAside;

        /** The escalation/flood banner takes the place while {@code hold} is true; this one comes back after. */
        void stepAsideWhile(javafx.beans.value.ObservableBooleanValue hold) {
            stepAside = hold;
            hold.addListener((o, a, b) -> {
                if (!b) refresh();
            });
            refresh();
        }

        Live(Shell shell, AlertsViewModel vm) {
            this.shell = shell;
            this.vm = vm;
            banner.setId("critical-banner");
            banner.setAlignment(Pos.CENTER_LEFT);
            text.setId("critical-banner-text");
            text.setMinWidth(0);
            HBox.setHgrow(text, Priority.SOMETIMES);
            for (var b : List.of(ackOpen, unack, confirm)) b.setMinWidth(Region.USE_PREF_SIZE);
            ackOpen.setId("banner-ack-open");
            ackOpen.setFocusTraversable(false);
            ackOpen.setOnAction(e -> openAckForm());
            unack.setId("banner-unack");
            unack.setFocusTraversable(false);
            unack.setOnAction(e -> unacknowledge());
            owner.setId("banner-ack-owner");
            owner.setPrefColumnCount(8);
            note.setId("banner-ack-note");
            note.setPrefColumnCount(28);
            confirm.setId("banner-ack-confirm");
            confirm.setOnAction(e -> confirm());
            note.setOnAction(e -> confirm());
            owner.setOnAction(e -> confirm());
            result.setId("banner-ack-result");
            Label hint = new Label();
            hint.setId("banner-ack-hint");
            hint.setStyle("-fx-font-size: 13px;");
            hint.textProperty().bind(I18n.bind("alerts.ackHint"));
            form = new HBox(8, owner, note, confirm, hint);
            form.setAlignment(Pos.CENTER_LEFT);
            // Esc closes the form and goes no further (on the wall Esc would otherwise arm leaving)
            form.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == KeyCode.ESCAPE) {
                    closeForm();
                    e.consume();
                }
            });
        }

        /** Opens the ack form for the alert the banner shows, focus on the note (wall key A). */
        void openAckForm() {
            if (target == null || !vm.canAcknowledge()) return;
            formOpen = true;
            result.setText("");
            refresh();
            note.requestFocus();
        }

        void closeForm() {
            formOpen = false;
            refresh();
        }

        boolean formOpen() { return formOpen; }

        private void confirm() {
            Alert a = target;
            if (a == null) return;
            result.setText("…");
            vm.acknowledge(List.of(a), owner.getText(), note.getText(), r -> {
                result.setText((r.ok() ? "✔ " : "✖ ") + r.message());
                if (r.ok()) {
                    note.clear();
                    formOpen = false;
                }
                // on failure the form stays open with the note as typed: nothing lost
                refresh();
            });
        }

        private void unacknowledge() {
            List<Alert> acked = vm.acknowledgedCriticalsProperty().get();
            if (acked.isEmpty()) return;
            vm.unacknowledge(List.of(acked.getFirst()), owner.getText(), r -> {
                result.setText((r.ok() ? "✔ " : "✖ ") + r.message());
                refresh();
            });
        }

        void refresh() {
            List<Alert> un = vm.unacknowledgedProperty().get();
            List<Alert> acked = vm.acknowledgedCriticalsProperty().get();
            ackOpen.setText(I18n.text("alerts.ackOpen"));
            unack.setText(I18n.text("alerts.doUnack"));
            confirm.setText(I18n.text("alerts.doAck"));
            owner.setPromptText(I18n.text("alerts.owner"));
            note.setPromptText(I18n.text("alerts.notePrompt"));
            HBox.setHgrow(spacer, Priority.ALWAYS);
            if (!un.isEmpty()) {
                // keep the alert the form was opened for while the operator types
                if (!formOpen || target == null || un.stream().noneMatch(x -> x.fingerprint().equals(target.fingerprint()))) target = un.getFirst();
                banner.getStyleClass().setAll("banner-critical");
                icon.setText("✖");
                text.setText(I18n.text("alerts.banner", summary(target)) + where(target)
                        + (un.size() > 1 ? "  " + I18n.text("alerts.ackMore", un.size() - 1) : ""));
                List<Node> kids = new java.util.ArrayList<>(List.of(icon, text, spacer));
                if (formOpen) kids.add(form);
                else if (vm.canAcknowledge()) kids.add(ackOpen);
                if (!result.getText().isEmpty()) kids.add(result);
                setChildren(kids);
                show();
            } else if (!acked.isEmpty()) {
                target = null;
                formOpen = false;
                Alert a = acked.getFirst();
                banner.getStyleClass().setAll("banner-ack");
                icon.setText("✔");
                text.setText(io.andon.ui.alerts.AckText.of(vm.acksProperty().get().get(a.fingerprint())).replaceFirst("^✔ ", "")
                        + "  ·  " + summary(a) + where(a) + (acked.size() > 1 ? "  " + I18n.text("alerts.ackMore", acked.size() - 1) : ""));
                List<Node> kids = new java.util.ArrayList<>(List.of(icon, text, spacer));
                if (vm.canAcknowledge()) kids.add(unack);
                result.setText(""); // the line itself says who acknowledged
                setChildren(kids);
                show();
            } else {
                target = null;
                formOpen = false;
                result.setText("");
                if (banner.getParent() != null) shell.setBanner(null);
            }
        }

        /** Only when they differ: a 1 s poll must not lay the banner out again each second (wall CPU). */
        private void setChildren(List<Node> kids) {
            if (!banner.getChildren().equals(kids)) banner.getChildren().setAll(kids);
        }

        private void show() {
            // two banners taking the place from each other at every poll made the shell's top bar flip each second
            if (stepAside != null && stepAside.get()) return;
            if (banner.getParent() == null) shell.setBanner(banner);
        }

        private static String summary(Alert a) {
            String s = a.annotation("summary", I18n.isChinese());
            return s.isEmpty() ? a.name() : s;
        }

        /** "  ·  P01", or nothing for an alert without plant or instance. */
        private static String where(Alert a) {
            String w = a.labels().getOrDefault("plant", a.labels().getOrDefault("instance", ""));
            return w.isEmpty() ? "" : "  ·  " + w;
        }
    }

    /**
     * Escalation and alarm flood (issue 19): while something is escalated the banner grows (larger, with how long
     * it has gone unacknowledged and a snooze for the sound); during a flood it becomes the flood view — a summary
     * by group and plant, saying that single alarms are not announced one by one now. Removed when both end.
     */
    static void alarms(Shell shell, io.andon.ui.alerts.AlarmWatch w, java.time.Clock clock) {
        Node[] mine = {null};
        Runnable[] render = {null};
        boolean[] disposed = {false};
        render[0] = () -> {
            if (disposed[0]) return;
            Node next = w.floodingProperty().get() ? flood(w) : !w.escalatedProperty().get().isEmpty() ? escalated(w, clock) : null;
            Node previous = mine[0];
            // ours before the swap: the previous banner leaving now is this render, not "something else cleared it"
            // (set after it, each render re-posted the next one for as long as the flood or escalation lasted, and
            // after a rebuild that loop kept the disposed console reachable: SoakBench, issue 21)
            mine[0] = next;
            if (next != null) {
                shell.setBanner(next);
                // something else cleared the banner (the wall leaving, its Esc hint): an escalation or flood shows again
                next.parentProperty().addListener((o, a, b) -> {
                    if (b == null && mine[0] == next && !disposed[0]) javafx.application.Platform.runLater(render[0]);
                });
            } else if (previous != null && previous.getParent() != null) {
                shell.setBanner(null);
            }
        };
        shell.onDispose(() -> disposed[0] = true);
        Runnable render0 = render[0];
        w.escalatedProperty().addListener((o, a, b) -> render0.run());
        w.floodingProperty().addListener((o, a, b) -> render0.run());
        w.floodSummaryProperty().addListener((o, a, b) -> { if (w.floodingProperty().get()) render0.run(); });
        I18n.follow(shell, () -> { if (mine[0] != null) render0.run(); });
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
