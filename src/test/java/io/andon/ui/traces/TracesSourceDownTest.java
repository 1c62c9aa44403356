package io.andon.ui.traces;

import io.andon.net.Endpoint;
import io.andon.traces.ZipkinTraceSource;
import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.net.ServerSocket;
import java.util.Locale;

import static io.andon.ui.traces.TracesPageTest.fx;
import static io.andon.ui.traces.TracesPageTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace backend is down from the start (a port nothing listens on): the page has no old results to keep, so
 * the empty list says why — never "no traces in this window", which would read as "nothing was slow" — and an id
 * typed in says the same instead of "not found".
 */
@ExtendWith(ApplicationExtension.class)
class TracesSourceDownTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = FxShots.darkRoot(stage, 1600, 900);
    }

    @Test
    void anEmptyListSaysWhyAndAnIdIsNotCalledMissing(FxRobot robot) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connection refused from now on
        }
        TracesViewModel vm = new TracesViewModel(new ZipkinTraceSource("Zipkin", Endpoint.of("http://127.0.0.1:" + port)));
        TracesPage[] page = new TracesPage[1];
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            page[0] = new TracesPage(vm, null, null, null);
            root.getChildren().setAll(page[0].view());
            page[0].onShow();
        });
        waitFor(() -> !fx(() -> vm.errorProperty().get()).isEmpty(), 20, "the search failed");
        String placeholder = fx(() -> ((Label) page[0].table().getPlaceholder()).getText());
        assertThat(placeholder).startsWith("✖").contains("127.0.0.1:" + port).doesNotContain("No traces");
        assertThat(fx(() -> page[0].dots())).isEmpty();
        robot.interact(() -> page[0].openTrace("4bf92f3577b34da6a3ce929d0e0e4736"));
        waitFor(() -> !fx(() -> vm.traceErrorProperty().get()).isEmpty(), 20, "the trace lookup failed");
        assertThat(fx(() -> vm.traceErrorProperty().get())).contains("127.0.0.1:" + port).doesNotContain("not found");
        robot.interact(() -> page[0].dispose());
    }
}
