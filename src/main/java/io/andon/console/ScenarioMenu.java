package io.andon.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.ui.FxTicker;
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
import java.util.Optional;

/**
 * Demo mode only: shows and switches the simulated plant's scenario through its admin endpoint, off the FX
 * thread. The selector shows what the MES actually runs ({@code GET /admin/scenario}, read at start and every
 * few seconds): a scenario set by a script or another console is not hidden behind a stale "normal" (issue 23).
 */
final class ScenarioMenu extends HBox {
    static final List<String> SCENARIOS = List.of("normal", "latency-spike", "error-burst", "lock-contention", "slow-queries",
            "equipment-failure", "inventory-low", "attendance-low", "night", "db-outage");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration POLL = Duration.ofSeconds(5);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Label status = new Label();
    private final ComboBox<String> box = new ComboBox<>(FXCollections.observableArrayList(SCENARIOS)); // mutable: a scenario the MES knows and we do not is added
    private final URI mes;
    private boolean showingRemote;
    private boolean switching;
    private FxTicker.Handle poll;

    ScenarioMenu(URI mes) {
        super(8);
        this.mes = mes;
        setId("scenario-menu");
        box.setId("scenario-box");
        Label label = new Label();
        label.textProperty().bind(I18n.bind("demo.scenario"));
        box.setOnAction(e -> {
            if (showingRemote) return; // the MES's own state shown, not a user's choice
            String name = box.getValue();
            show("…");
            switching = true;
            Thread.ofVirtual().start(() -> {
                String result;
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(mes.resolve("/admin/scenario")).timeout(Duration.ofSeconds(20))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("name", name).toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    result = r.statusCode() == 200 ? "✔" : "✖ " + r.statusCode();
                } catch (Exception ex) {
                    result = null;
                }
                String shown = result;
                Platform.runLater(() -> {
                    if (shown == null) showUnreachable();
                    else show(shown);
                    switching = false;
                    refresh();
                });
            });
        });
        getChildren().addAll(label, box, status);
        setStyle("-fx-alignment: center-left;");
        refresh();
        sceneProperty().addListener((o, a, scene) -> {
            if (poll != null) poll.cancel();
            poll = scene == null || closed ? null : FxTicker.every(POLL, this::refresh);
        });
    }

    private boolean closed;

    /**
     * Stops polling for good. Leaving the scene stops it too, but a disposed console can stay in a scene that is no
     * longer shown (a window given a new scene): the poll then kept the console, scene and all, reachable. FX thread.
     */
    void close() {
        closed = true;
        if (poll != null) poll.cancel();
        poll = null;
    }

    /** "Simulator unreachable" in the language of the moment (written once, it stayed in the old one until the next poll). */
    private void showUnreachable() {
        if (!status.textProperty().isBound()) status.textProperty().bind(javafx.beans.binding.Bindings.concat("✖ ", I18n.bind("demo.unreachable")));
    }

    private void show(String text) {
        status.textProperty().unbind();
        status.setText(text);
    }

    /** Reads the running scenario (off the FX thread) and shows it. */
    void refresh() {
        Thread.ofVirtual().start(() -> {
            Optional<String> current = current(http, mes);
            Platform.runLater(() -> {
                if (switching) return;
                if (current.isEmpty()) {
                    showUnreachable();
                    return;
                }
                if (!current.get().equals(box.getValue())) {
                    showingRemote = true;
                    try {
                        if (!box.getItems().contains(current.get())) box.getItems().add(current.get());
                        box.setValue(current.get());
                    } finally {
                        showingRemote = false;
                    }
                }
                if (status.textProperty().isBound()) show(""); // the simulator answers again
            });
        });
    }

    /** The scenario the MES runs, from {@code GET /admin/scenario}; empty when it does not answer with one. */
    static Optional<String> current(HttpClient http, URI mes) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(mes.resolve("/admin/scenario")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return Optional.empty();
            JsonNode n = JSON.readTree(r.body()).path("scenario");
            return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    ComboBox<String> box() { return box; }
}
