package io.andon.ui.traces;

import io.andon.net.Endpoint;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.stack.Zipkin;
import io.andon.traces.TestTraces;
import io.andon.traces.TraceTree;
import io.andon.traces.ZipkinTraceSource;
import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import io.andon.ui.Theme;
import javafx.scene.Node;
import javafx.scene.input.Clipboard;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The traces page on the harness' real Zipkin, fed by the OpenTelemetry SDK's Zipkin exporter: the search finds
 * the traces (dots and rows), a dot opens the waterfall, errors are red, the critical path is marked, a subtree
 * collapses, the search inside the trace finds a tag, the trace id reaches the clipboard, an unknown id says
 * "not found", and with Zipkin gone the old results stay, marked STALE with their age.
 */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
@Timeout(300)
class TracesPageTest {
    private StackPane root;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        root = FxShots.darkRoot(stage, 1920, 1080);
    }

    @Test
    void searchOpenWaterfallFindCopyNotFoundAndStale(Stack stack, FxRobot robot) throws Exception {
        Zipkin zipkin = stack.zipkin();
        String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
        // the page talks to Zipkin through a relay: closing it is Zipkin gone for the page
        TcpRelay relay = new TcpRelay(zipkin.baseUri().getPort());
        TracesViewModel vm = new TracesViewModel(new ZipkinTraceSource("Zipkin", Endpoint.of("http://127.0.0.1:" + relay.port())));
        TracesPage[] page = new TracesPage[1];
        String[] linkedLogs = new String[1];
        try (TestTraces traces = new TestTraces(zipkin.spansEndpoint(), suffix)) {
            traces.requests(12, 3, 42);
            robot.interact(() -> {
                I18n.setLocale(Locale.ENGLISH);
                page[0] = new TracesPage(vm, null, (tid, sid, from, to) -> linkedLogs[0] = tid + "/" + sid + "/" + from + "/" + to, null);
                root.getChildren().setAll(page[0].view());
            });
            TracesPage p = page[0];
            // Zipkin indexes what it received asynchronously: search until all twelve are there (bounded)
            robot.interact(() -> p.firstData());
            waitFor(() -> !fx(() -> vm.services()).isEmpty(), 20, "services listed");
            assertThat(fx(() -> List.copyOf(vm.services()))).contains(traces.app, traces.external);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                robot.interact(() -> {
                    ((javafx.scene.control.ComboBox<String>) p.view().lookup("#traces-range")).setValue("15m");
                    var combo = p.view().lookup("#traces-service");
                    ((javafx.scene.control.ComboBox<String>) combo).getEditor().setText(traces.app);
                    ((javafx.scene.control.ComboBox<String>) combo).setValue(traces.app);
                    p.run();
                });
                waitFor(() -> !fx(() -> vm.loadingProperty().get()), 20, "search answered");
                if (fx(() -> vm.results().size()) >= 12 || System.nanoTime() > deadline) break;
                Thread.sleep(500);
            }
            assertThat(fx(() -> vm.errorProperty().get())).isEmpty();
            assertThat(fx(() -> vm.results().size())).as("list rows").isEqualTo(12);
            assertThat(fx(() -> p.table().getItems().size())).isEqualTo(12);
            List<Node> dots = fx(p::dots);
            assertThat(dots).as("one dot per trace").hasSize(12);
            assertThat(dots.stream().filter(d -> d.getStyleClass().contains("trace-dot-error")).count()).as("error dots red").isEqualTo(3);
            assertThat(fx(() -> vm.results().stream().filter(t -> t.spanCount() == 5).count())).as("5 spans per trace, two services").isEqualTo(12);
            FxShots.shot(robot, root, "traces-en");
            robot.interact(() -> I18n.setLocale(I18n.ZH_CN));
            robot.interact(() -> p.run());
            waitFor(() -> !fx(() -> vm.loadingProperty().get()), 20, "search answered");
            FxShots.shot(robot, root, "traces-zh");
            robot.interact(() -> I18n.setLocale(Locale.ENGLISH));

            // one click on an error dot opens its waterfall
            Node errorDot = fx(p::dots).stream().filter(d -> d.getStyleClass().contains("trace-dot-error")).findFirst().orElseThrow();
            String errorId = (String) errorDot.getUserData();
            assertThat(traces.errorTraceIds).contains(errorId);
            robot.clickOn(errorDot);
            waitFor(() -> fx(() -> vm.treeProperty().get()) != null, 20, "trace opened");
            TraceView tv = p.traceView();
            TraceTree tree = fx(() -> vm.treeProperty().get());
            assertThat(tree.trace().traceId()).isEqualTo(errorId);
            assertThat(fx(() -> tv.visibleRows().size())).as("waterfall rows").isEqualTo(5);
            WaitForAsyncUtils.waitForFxEvents();
            int dbRow = indexOf(tree, "SELECT mes_core.orders");
            int extRow = tree.rows().stream().filter(r -> r.span().service().equals(traces.external)).findFirst().map(tree.rows()::indexOf).orElseThrow();
            assertThat(tree.rows().get(dbRow).span().error()).isTrue();
            assertThat(fx(() -> tv.cellOf(dbRow).orElseThrow().getStyleClass())).as("error span red").contains("trace-row-error");
            assertThat(fx(() -> tv.cellOf(dbRow).orElseThrow().lookup(".trace-bar").getStyleClass())).contains("trace-bar-error");
            assertThat(tree.rows().get(extRow).skewed()).as("the external service's clock is behind").isTrue();
            assertThat(fx(() -> tv.cellOf(extRow).orElseThrow().lookup(".trace-bar").getStyleClass())).contains("trace-bar-skewed");
            // the critical path: the root, the SQL statement and the call are on it and marked; the processing beside the SQL is not
            int procRow = indexOf(tree, "process order");
            assertThat(tree.rows().get(0).critical()).isTrue();
            assertThat(tree.rows().get(dbRow).critical()).isTrue();
            assertThat(fx(() -> tv.cellOf(0).orElseThrow().lookup(".trace-critical").isVisible())).as("critical path marked").isTrue();
            assertThat(tree.rows().get(procRow).critical()).isFalse();
            assertThat(fx(() -> tv.cellOf(procRow).orElseThrow().lookup(".trace-critical").isVisible())).isFalse();
            // the details of the error span: its exception readable
            robot.interact(() -> tv.rows().getSelectionModel().select(Integer.valueOf(dbRow)));
            String details = fx(() -> ((javafx.scene.control.TextArea) tv.lookup("#trace-details")).getText());
            assertThat(details).contains("db.statement = SELECT id, status FROM mes_core.orders WHERE id = ?")
                    .contains("exception.type = java.sql.SQLException").contains("connection refused: PostgreSQL is not answering");
            assertThat(fx(() -> tv.lookup("#span-database").isDisable())).as("no database link given").isTrue();
            FxShots.shot(robot, root, "waterfall-en");
            robot.interact(() -> I18n.setLocale(I18n.ZH_CN));
            robot.interact(() -> {
                vm.treeProperty().set(null);
                vm.treeProperty().set(tree);
                tv.rows().getSelectionModel().select(Integer.valueOf(dbRow));
            });
            FxShots.shot(robot, root, "waterfall-zh");
            robot.interact(() -> I18n.setLocale(Locale.ENGLISH));
            robot.interact(() -> {
                Theme.LIGHT.applyTo(stage.getScene());
                vm.treeProperty().set(null);
                vm.treeProperty().set(tree);
                tv.rows().getSelectionModel().select(Integer.valueOf(dbRow));
            });
            FxShots.shot(robot, root, "waterfall-light-en");
            robot.interact(() -> Theme.DARK.applyTo(stage.getScene()));

            // collapse: a click on the root's toggle hides its subtree, a second click shows it again
            robot.clickOn("#trace-toggle-0");
            assertThat(fx(() -> tv.visibleRows().size())).as("root collapsed").isEqualTo(1);
            robot.clickOn("#trace-toggle-0");
            assertThat(fx(() -> tv.visibleRows().size())).isEqualTo(5);
            // collapse the client call, then find a tag of the span under it: the search opens its parent and selects it
            int callRow = tree.rows().get(extRow).depth() > 0 ? tree.rows().stream().filter(r -> r.span().spanId().equals(tree.rows().get(extRow).span().parentId()))
                    .findFirst().map(tree.rows()::indexOf).orElseThrow() : -1;
            robot.interact(() -> tv.toggle(callRow));
            assertThat(fx(() -> tv.visibleRows())).doesNotContain(extRow);
            robot.clickOn("#trace-find").write(traces.external);
            assertThat(fx(tv::hits)).containsExactly(extRow);
            assertThat(fx(() -> tv.visibleRows())).as("the hit's collapsed parent opened").contains(extRow);
            assertThat(fx(() -> tv.rows().getSelectionModel().getSelectedItem())).isEqualTo(extRow);
            robot.interact(() -> ((javafx.scene.control.TextField) tv.lookup("#trace-find")).setText("postgresql"));
            assertThat(fx(tv::hits)).as("a tag value found").containsExactly(dbRow);
            assertThat(fx(() -> tv.cellOf(dbRow).orElseThrow().getStyleClass())).contains("trace-hit");
            robot.interact(() -> ((javafx.scene.control.TextField) tv.lookup("#trace-find")).setText(""));

            // copy trace id
            robot.clickOn("#trace-copy-id");
            assertThat(fx(() -> Clipboard.getSystemClipboard().getString())).isEqualTo(errorId);
            // "open in Zipkin" is enabled: Zipkin has a UI link
            assertThat(fx(() -> tv.lookup("#trace-open-ui").isDisable())).isFalse();
            // logs of this span: the trace id, the span id, a window one minute either side
            robot.interact(() -> tv.rows().getSelectionModel().select(Integer.valueOf(dbRow)));
            robot.clickOn("#span-logs");
            var dbSpan = tree.rows().get(dbRow).span();
            assertThat(linkedLogs[0]).isEqualTo(errorId + "/" + dbSpan.spanId() + "/" + dbSpan.start().minus(Duration.ofMinutes(1)) + "/"
                    + dbSpan.end().plus(Duration.ofMinutes(1)));

            // an id Zipkin does not have
            robot.clickOn("#trace-back");
            robot.interact(() -> ((javafx.scene.control.TextField) p.view().lookup("#traces-id")).setText("0123456789abcdef0123456789abcdef"));
            robot.clickOn("#traces-open-id");
            waitFor(() -> !fx(() -> vm.traceErrorProperty().get()).isEmpty(), 20, "not-found message");
            assertThat(fx(() -> vm.traceErrorProperty().get())).contains("0123456789abcdef0123456789abcdef")
                    .contains("not found (may not be sampled or already evicted)");
            assertThat(fx(() -> p.view().lookup("#traces-trace-error").isVisible())).isTrue();

            // a tag: http.status_code=500 finds the three failed requests (the value goes to Zipkin encoded, as a parameter)
            List<Long> durations = fx(() -> vm.results().stream().map(io.andon.traces.TraceSummary::durationMicros).toList());
            robot.interact(() -> {
                ((javafx.scene.control.ComboBox<String>) p.view().lookup("#traces-tag-key")).getEditor().setText("http.status_code");
                ((javafx.scene.control.TextField) p.view().lookup("#traces-tag-value")).setText("500");
                p.run();
            });
            waitFor(() -> !fx(() -> vm.loadingProperty().get()), 20, "tag search answered");
            assertThat(fx(() -> vm.results().stream().map(io.andon.traces.TraceSummary::traceId).toList()))
                    .containsExactlyInAnyOrderElementsOf(traces.errorTraceIds);
            // min duration 150 ms (of the root span): the traces at or above it
            robot.interact(() -> {
                ((javafx.scene.control.ComboBox<String>) p.view().lookup("#traces-tag-key")).getEditor().setText("");
                ((javafx.scene.control.TextField) p.view().lookup("#traces-tag-value")).setText("");
                ((javafx.scene.control.TextField) p.view().lookup("#traces-min")).setText("150");
                p.run();
            });
            waitFor(() -> !fx(() -> vm.loadingProperty().get()), 20, "duration search answered");
            assertThat(fx(() -> vm.results().size())).isEqualTo((int) durations.stream().filter(d -> d >= 150_000).count()).isBetween(1, 11);
            // a duration that is not a number is said, not searched
            robot.interact(() -> {
                ((javafx.scene.control.TextField) p.view().lookup("#traces-min")).setText("fast");
                p.run();
            });
            assertThat(fx(() -> vm.traceErrorProperty().get())).contains("\"fast\" is not a number");
            robot.interact(() -> {
                ((javafx.scene.control.TextField) p.view().lookup("#traces-min")).setText("");
                p.run();
            });
            waitFor(() -> !fx(() -> vm.loadingProperty().get()) && fx(() -> vm.results().size()) == 12, 20, "all twelve again");

            // Zipkin down: the last results stay, marked STALE with their age and the reason
            Instant before = Instant.now();
            relay.close();
            {
                robot.interact(() -> p.run());
                waitFor(() -> !fx(() -> vm.errorProperty().get()).isEmpty(), 30, "search failed");
                assertThat(fx(() -> vm.results().size())).as("old rows kept").isEqualTo(12);
                assertThat(fx(() -> p.dots().size())).isEqualTo(12);
                String staleText = fx(p::staleText);
                assertThat(staleText).startsWith("STALE").contains(" ago").contains("127.0.0.1:" + relay.port());
                assertThat(fx(() -> p.view().lookup("#traces-stale").isVisible())).isTrue();
                assertThat(fx(() -> shown(p.table().getPlaceholder()))).as("never an empty 'no traces'").isFalse();
                FxShots.shot(robot, root, "traces-stale-en");
            }
            System.out.printf("traces: stale shown %d ms after the stop%n", Duration.between(before, Instant.now()).toMillis());
        } finally {
            relay.close();
            robot.interact(() -> {
                if (page[0] != null) page[0].dispose();
            });
        }
    }

    /** The console built from a context with a trace source has a Traces page in its navigation, searching Zipkin. */
    @Test
    void consoleWithATraceSourceHasATracesPage(Stack stack, FxRobot robot) throws Exception {
        var prom = stack.prometheus();
        var zipkin = stack.zipkin();
        var ctx = new io.andon.console.ConsoleContext(prom.baseUri(), List.of(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), Duration.ZERO, List.of())
                .withTraces(new io.andon.console.ConsoleContext.Traces(zipkin.baseUri(), null));
        io.andon.console.Shell[] shell = new io.andon.console.Shell[1];
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            shell[0] = io.andon.console.AndonApp.build(ctx, Theme.DARK);
            root.getChildren().setAll(shell[0]);
        });
        assertThat(shell[0].pages()).containsKey("traces");
        robot.clickOn("#nav-traces");
        var page = (TracesPage) shell[0].pages().get("traces");
        page.firstData().get(30, TimeUnit.SECONDS);
        assertThat(fx(() -> shell[0].current().orElseThrow().id())).isEqualTo("traces");
        assertThat(fx(page::staleText)).isEmpty();
        assertThat(fx(() -> ((javafx.scene.control.ToggleButton) shell[0].lookup("#nav-traces")).getText())).isEqualTo("Traces");
        robot.interact(() -> shell[0].dispose());
    }

    /** On screen: in a scene, itself and every ancestor visible. */
    static boolean shown(Node n) {
        if (n == null || n.getScene() == null) return false;
        for (Node x = n; x != null; x = x.getParent()) if (!x.isVisible()) return false;
        return true;
    }

    private static int indexOf(TraceTree t, String name) {
        for (int i = 0; i < t.rows().size(); i++) if (t.rows().get(i).span().name().equalsIgnoreCase(name)) return i;
        throw new AssertionError("no span " + name);
    }

    static void waitFor(Callable<Boolean> c, int seconds, String what) throws Exception {
        io.andon.ui.FxWait.waitFor(c, seconds, what);
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return io.andon.ui.FxWait.fx(c);
    }
}
