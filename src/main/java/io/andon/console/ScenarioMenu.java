package io.andon.console;

import io.andon.ui.I18n;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Demo mode only: switches the simulated plant's scenario through its admin endpoint, off the FX thread. */
final class ScenarioMenu extends HBox {
    static final List<String> SCENARIOS = List.of("normal", "latency-spike", "error-burst", "lock-contention", "slow-queries",
            "equipment-failure", "inventory-low", "attendance-low", "night", "db-outage");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Label status = new Label();

    ScenarioMenu(URI mes) {
        super(8);
        setId("scenario-menu");
        Label label = new Label();
        label.textProperty().bind(I18n.bind("demo.scenario"));
        ComboBox<String> box = new ComboBox<>(FXCollections.observableList(SCENARIOS));
        box.setValue("normal");
        box.setOnAction(e -> {
            String name = box.getValue();
            status.setText("…");
            Thread.ofVirtual().start(() -> {
                String result;
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(mes.resolve("/admin/scenario")).timeout(Duration.ofSeconds(20))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                    result = r.statusCode() == 200 ? "✔" : "✖ " + r.statusCode();
                } catch (Exception ex) {
                    result = "✖ " + I18n.text("demo.unreachable");
                }
                String shown = result;
                Platform.runLater(() -> status.setText(shown));
            });
        });
        getChildren().addAll(label, box, status);
        setStyle("-fx-alignment: center-left;");
    }
}
