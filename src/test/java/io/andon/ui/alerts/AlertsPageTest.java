package io.andon.ui.alerts;

import io.andon.alertmanager.Alert;
import io.andon.alertmanager.AlertService;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.console.Snapshot;
import io.andon.net.Endpoint;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import javafx.scene.control.Label;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The alerts page on a real Alertmanager: grouped rows, a silence from the form, and the source-down state. */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
class AlertsPageTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = io.andon.ui.FxShots.darkRoot(stage, 1600, 800);
    }

    @Test
    void groupsSilencesAndGoesStale(Stack stack, FxRobot robot) throws Exception {
        URI am = stack.alertmanager(0).baseUri();
        for (String[] a : List.of(new String[]{"DatabaseDown", "critical", "P01"}, new String[]{"DatabaseLockWaits", "warning", "P01"},
                new String[]{"EquipmentFailure", "warning", "P02"}, new String[]{"EquipmentFailure", "warning", "P03"})) {
            String body = """
                    [{"labels":{"alertname":"%s","severity":"%s","plant":"%s","team":"dba"},
                      "annotations":{"summary":"%s at %s","summary_zh":"%s 发生在 %s"},"startsAt":"%s"}]"""
                    .formatted(a[0], a[1], a[2], a[0], a[2], a[0], a[2], Instant.now().minusSeconds(600));
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        }
        List<Alert> critical = new CopyOnWriteArrayList<>();
        AlertmanagerPool pool = new AlertmanagerPool(List.of(new AlertmanagerClient("Alertmanager", Endpoint.of(am.toString())
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2)))));
        AlertsViewModel vm = new AlertsViewModel(sink -> new AlertService(pool, Duration.ofSeconds(1),
                s -> sink.accept(s, null), c -> sink.accept(null, c), Clock.systemUTC()), critical::add);
        AlertsPage page = new AlertsPage(vm);
        robot.interact(() -> root.getChildren().setAll(page.view()));
        vm.start();
        boolean disposed = false;
        try {
            TreeTableView<Object> table = robot.lookup("#alerts-table").query();
            String critKey = "alertname=DatabaseDown · plant=P01";
            List<String> warnKeys = List.of("alertname=DatabaseLockWaits · plant=P01", "alertname=EquipmentFailure · plant=P02",
                    "alertname=EquipmentFailure · plant=P03");
            await(() -> groups(table).stream().map(AlertsViewModel.Group::key).toList().containsAll(List.of(critKey, warnKeys.get(0), warnKeys.get(1), warnKeys.get(2))));
            // the shared Alertmanager may also hold the stack's own alerts (a burn-rate page, a lock wait): critical
            // groups come first, DatabaseDown among them, and our warning groups after it
            List<String> shown = groups(table).stream().map(AlertsViewModel.Group::key).toList();
            int dbDown = shown.indexOf(critKey);
            assertThat(groups(table).subList(0, dbDown + 1)).as("groups up to DatabaseDown: critical").allMatch(g -> g.alerts().stream().anyMatch(Alert::critical));
            assertThat(warnKeys).as("warning groups after DatabaseDown in " + shown).allMatch(k -> shown.indexOf(k) > dbDown);
            assertThat(critical).extracting(Alert::name).contains("DatabaseDown");
            shot(robot, "alerts-page");

            // silence EquipmentFailure at P02 from the form
            robot.interact(() -> {
                var eq = table.getRoot().getChildren().stream().filter(g -> ((AlertsViewModel.Group) g.getValue()).key().contains("P02")).findFirst().orElseThrow();
                table.getSelectionModel().select(eq.getChildren().getFirst());
            });
            robot.clickOn("#silence-comment").write("planned maintenance on line 2");
            robot.clickOn("#silence-create");
            await(() -> robot.lookup("#silence-result").queryLabeled().getText().startsWith("✔"));
            await(() -> vm.snapshotProperty().get().alerts().stream().anyMatch(a -> a.name().equals("EquipmentFailure")
                    && "P02".equals(a.labels().get("plant")) && a.silenced()));
            assertThat(vm.silences()).anyMatch(s -> s.comment().equals("planned maintenance on line 2"));
            // and only P02: the same alert at P03 stays active, on the page and in Alertmanager itself
            assertThat(vm.snapshotProperty().get().alerts()).as("EquipmentFailure at P03 on the page")
                    .anySatisfy(a -> assertThat(a.name() + "@" + a.labels().get("plant") + " silenced=" + a.silenced()).isEqualTo("EquipmentFailure@P03 silenced=false"));
            String amAlerts = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts?filter=alertname%3D%22EquipmentFailure%22")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (var a : new com.fasterxml.jackson.databind.ObjectMapper().readTree(amAlerts)) {
                assertThat(a.path("status").path("state").asText()).as("Alertmanager's state of EquipmentFailure at " + a.path("labels").path("plant").asText())
                        .isEqualTo("P02".equals(a.path("labels").path("plant").asText()) ? "suppressed" : "active");
            }

            stack.stopService("alertmanager", false);
            await(() -> robot.lookup("#alerts-source-down").queryLabeled().isVisible());
            Label down = robot.lookup("#alerts-source-down").query();
            assertThat(down.getText()).contains("unreachable");
            assertThat(table.getRoot().getChildren()).as("last good list stays on screen").isNotEmpty();
            shot(robot, "alerts-stale");

            // disposed, the page lets go of the language: the static locale property kept every alerts page ever built
            // (and its view model's snapshots) alive and rebuilding its tree on each switch
            robot.interact(page::dispose);
            disposed = true;
            List<String> rebuilt = new CopyOnWriteArrayList<>();
            robot.interact(() -> table.getRoot().getChildren().addListener(
                    (javafx.collections.ListChangeListener<javafx.scene.control.TreeItem<Object>>) c -> rebuilt.add("rebuilt")));
            robot.interact(() -> {
                io.andon.ui.I18n.setLocale(io.andon.ui.I18n.ZH_CN);
                io.andon.ui.I18n.setLocale(java.util.Locale.ENGLISH);
            });
            assertThat(rebuilt).as("a disposed alerts page rebuilt on a language switch").isEmpty();
        } finally {
            stack.startAgain("alertmanager");
            // leave the shared Alertmanager as found: our silence must not mute other tests' alerts
            for (var sil : pool.members().getFirst().silences()) {
                if ("planned maintenance on line 2".equals(sil.comment()) && !"expired".equals(sil.state())) pool.expireSilence(sil.id());
            }
            if (!disposed) robot.interact(page::dispose);
        }
    }

    private void shot(FxRobot robot, String name) {
        io.andon.ui.FxShots.shot(robot, root, name);
    }

    private static List<AlertsViewModel.Group> groups(TreeTableView<Object> table) {
        return table.getRoot().getChildren().stream().map(i -> (AlertsViewModel.Group) i.getValue()).toList();
    }

    private static void await(BooleanSupplier cond) throws Exception {
        io.andon.ui.FxShots.await("the alerts page", Duration.ofSeconds(20), cond::getAsBoolean);
    }
}
