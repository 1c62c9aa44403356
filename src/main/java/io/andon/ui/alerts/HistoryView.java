package io.andon.ui.alerts;

import io.andon.board.AlertHistory;
import io.andon.ui.I18n;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Timeline of what fired over a window (from ALERTS in Prometheus): one lane per alert and label set. */
final class HistoryView extends BorderPane {
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.systemDefault());
    private static final double LANE_W = 1000;
    private final VBox lanes = new VBox(4);
    private final Label status = new Label();
    private final ComboBox<String> window = new ComboBox<>(FXCollections.observableArrayList("1h", "6h", "12h", "24h", "3d", "7d"));

    /** @param loader (window, callback) — loads off the FX thread, calls back on it with rows or an error message */
    HistoryView(BiConsumer<Duration, Consumer<Object>> loader) {
        setId("alerts-history");
        window.setValue("12h");
        Button refresh = new Button();
        refresh.textProperty().bind(I18n.bind("history.load"));
        Runnable load = () -> {
            status.setText("…");
            Duration w = io.andon.util.Durations.parse(window.getValue());
            Instant end = Instant.now();
            loader.accept(w, result -> show(result, end.minus(w), end));
        };
        refresh.setOnAction(e -> load.run());
        window.setOnAction(e -> load.run());
        Label wl = new Label();
        wl.textProperty().bind(I18n.bind("history.window"));
        HBox bar = new HBox(10, wl, window, refresh, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 0, 8, 0));
        setTop(bar);
        ScrollPane sp = new ScrollPane(lanes);
        sp.setFitToWidth(true);
        setCenter(sp);
        lanes.setPadding(new Insets(6));
        lanes.setStyle("-fx-background-color: -andon-panel;");
        sceneProperty().addListener((o, a, s) -> {
            if (s != null && lanes.getChildren().isEmpty()) load.run();
        });
    }

    @SuppressWarnings("unchecked")
    private void show(Object result, Instant from, Instant to) {
        lanes.getChildren().clear();
        if (result instanceof String error) {
            status.setText("✖ " + error);
            return;
        }
        List<AlertHistory.Row> rows = (List<AlertHistory.Row>) result;
        status.setText(I18n.text("history.count", rows.size(), HM.format(from), HM.format(to)));
        HBox axis = new HBox();
        Label l0 = new Label(HM.format(from)), l1 = new Label(HM.format(from.plus(Duration.between(from, to).dividedBy(2)))), l2 = new Label(HM.format(to));
        Pane ax = new Pane(l0, l1, l2);
        ax.setPrefSize(LANE_W, 20);
        l1.setLayoutX(LANE_W / 2 - 40);
        l2.setLayoutX(LANE_W - 80);
        Label spacer = new Label();
        spacer.setMinWidth(420);
        axis.getChildren().addAll(spacer, ax);
        lanes.getChildren().add(axis);
        double span = Math.max(1, Duration.between(from, to).toMillis());
        for (AlertHistory.Row r : rows) {
            String sev = r.labels().getOrDefault("severity", "");
            Label name = new Label(r.alertname() + "  " + key(r));
            name.setMinWidth(420);
            name.setMaxWidth(420);
            Pane lane = new Pane();
            lane.setPrefSize(LANE_W, 22);
            lane.setStyle("-fx-background-color: -andon-panel-alt;");
            for (AlertHistory.Interval i : r.intervals()) {
                double x = Duration.between(from, i.start()).toMillis() / span * LANE_W;
                double w = Math.max(2, Duration.between(i.start(), i.end()).toMillis() / span * LANE_W);
                Rectangle rect = new Rectangle(Math.max(0, x), 3, Math.min(w, LANE_W - Math.max(0, x)), 16);
                rect.setFill(switch (sev) {
                    case "critical" -> Color.web("#e5393b");
                    case "warning" -> Color.web("#f5b301");
                    default -> Color.web("#3d8bfd");
                });
                Tooltip.install(rect, new Tooltip(r.alertname() + "\n" + HM.format(i.start()) + " → " + HM.format(i.end())));
                lane.getChildren().add(rect);
            }
            Label total = new Label(formatTotal(r.total()));
            total.setMinWidth(90);
            HBox row = new HBox(8, name, lane, total);
            row.setAlignment(Pos.CENTER_LEFT);
            HBox.setHgrow(lane, Priority.NEVER);
            lanes.getChildren().add(row);
        }
    }

    private static String key(AlertHistory.Row r) {
        StringBuilder sb = new StringBuilder();
        for (String k : List.of("plant", "instance", "slo", "class", "severity")) {
            String v = r.labels().get(k);
            if (v != null) sb.append(k).append('=').append(v).append(' ');
        }
        return sb.toString().trim();
    }

    private static String formatTotal(Duration d) {
        long m = d.toMinutes();
        return m < 60 ? m + " min" : m / 60 + " h " + m % 60 + " min";
    }
}
