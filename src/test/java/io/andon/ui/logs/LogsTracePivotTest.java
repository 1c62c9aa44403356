package io.andon.ui.logs;

import io.andon.logs.LogClient;
import io.andon.logs.LogHit;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs page's side of the trace pivots: a line with a trace id opens its trace in one click (a line without
 * one leaves the button disabled), and a span's "logs of this span" becomes exact trace_id and span_id filters in
 * the span's window. The hits are the page's own records put in its list (what a search would have put there);
 * searching itself is covered by the logs tests on the real Elasticsearch.
 */
@ExtendWith(ApplicationExtension.class)
class LogsTracePivotTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = FxShots.darkRoot(stage, 1600, 800);
    }

    @Test
    void aLineWithATraceIdOpensItAndASpanFiltersTheLines(FxRobot robot) {
        // nothing listens there: the page only searches when told to, and this test never waits for an answer
        LogsViewModel vm = new LogsViewModel(new LogClient("Elasticsearch", List.of(Endpoint.of("http://127.0.0.1:9"))));
        LogsPage[] page = new LogsPage[1];
        String[] opened = new String[1];
        Instant t = Instant.parse("2026-12-06T01:00:00Z");
        LogHit traced = new LogHit("1", "mes-logs-x", t, "ERROR", "mes-app", "db", "query failed", null, "r1", null,
                "4bf92f3577b34da6a3ce929d0e0e4736", null, Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), "{}", List.of());
        LogHit plain = new LogHit("2", "mes-logs-x", t, "INFO", "mes-app", "web", "started", null, null, null, null, null, Map.of(), "{}", List.of());
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            page[0] = new LogsPage(vm);
            page[0].setTraceLink(id -> opened[0] = id);
            root.getChildren().setAll(page[0].view());
            vm.hits().setAll(List.of(traced, plain));
        });
        TableView<LogHit> table = robot.lookup("#logs-table").query();
        Button open = robot.lookup("#logs-open-trace").query();
        assertThat(open.isDisable()).as("nothing selected").isTrue();
        robot.interact(() -> table.getSelectionModel().select(plain));
        assertThat(open.isDisable()).as("no trace id on the line").isTrue();
        robot.interact(() -> table.getSelectionModel().select(traced));
        assertThat(open.isDisable()).isFalse();
        robot.clickOn(open);
        assertThat(opened[0]).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");

        Instant from = t.minusSeconds(60), to = t.plusSeconds(61);
        robot.interact(() -> page[0].openTrace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", from, to));
        LogQuery q = page[0].currentQuery();
        assertThat(q.include()).containsEntry("trace_id", List.of("4bf92f3577b34da6a3ce929d0e0e4736"))
                .containsEntry("span_id", List.of("00f067aa0ba902b7"));
        assertThat(q.from()).isEqualTo(from);
        assertThat(q.to()).isEqualTo(to);
        assertThat(q.text()).isEmpty();
        robot.interact(() -> page[0].openTrace("4bf92f3577b34da6a3ce929d0e0e4736", null, from, to));
        assertThat(page[0].currentQuery().include()).containsOnlyKeys("trace_id");
        // the searches went to a closed port: wait for their answer (an error) before closing the client under them
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (robot.lookup("#logs-error").queryLabeled().getText().isEmpty() || vm.loadingProperty().get()) {
            if (System.nanoTime() > deadline) break;
            robot.sleep(100);
        }
        assertThat(vm.errorProperty().get()).as("the failed search says why, the page does not go blank silently").isNotEmpty();
        robot.interact(() -> page[0].dispose());
    }
}
