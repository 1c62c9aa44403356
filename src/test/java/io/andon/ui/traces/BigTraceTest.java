package io.andon.ui.traces;

import io.andon.traces.TestTraces;
import io.andon.traces.Trace;
import io.andon.traces.TraceTree;
import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import javafx.scene.control.ScrollBar;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.Locale;

import static io.andon.ui.traces.TracesPageTest.fx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 10 000-span trace in the waterfall: all rows are there to scroll through, but only the rows on screen are
 * nodes (virtualized); scrolling to the end shows the last span; collapsing the root hides 9 998 rows at once;
 * the orphan and the error are marked. The spans are the console's own records (no server involved: the point is
 * the drawing, and 10 000 spans through the test Zipkin would cost the suite a minute).
 */
@Timeout(120)
@ExtendWith(ApplicationExtension.class)
class BigTraceTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = FxShots.darkRoot(stage, 1920, 1080);
    }

    @Test
    void tenThousandSpansAreVirtualizedAndScroll(FxRobot robot) throws Exception {
        Trace big = TestTraces.big(10_000);
        TraceTree tree = TraceTree.of(big);
        TraceView[] tv = new TraceView[1];
        String[] window = new String[1];
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            tv[0] = new TraceView(id -> java.util.Optional.empty(), null, null, (from, to) -> window[0] = from + "/" + to);
            root.getChildren().setAll(tv[0]);
            tv[0].treeProperty().set(tree);
        });
        WaitForAsyncUtils.waitForFxEvents();
        TraceView v = tv[0];
        assertThat(fx(() -> v.visibleRows().size())).isEqualTo(10_000);
        int cells = fx(() -> v.rows().lookupAll(".trace-row").size());
        assertThat(cells).as("only the rows on screen are nodes").isBetween(10, 120);
        assertThat(fx(() -> v.lookup("#trace-open-ui").isDisable())).as("no UI link: disabled").isTrue();
        assertThat(fx(() -> ((javafx.scene.control.Label) v.lookup("#trace-problems")).getText())).contains("1 span(s) whose parent is not in the trace");
        // scroll to the end with the scroll bar, as a person would drag it
        robot.interact(() -> {
            for (var n : v.rows().lookupAll(".scroll-bar")) {
                if (n instanceof ScrollBar sb && sb.getOrientation() == javafx.geometry.Orientation.VERTICAL) sb.setValue(sb.getMax());
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        int last = tree.rows().size() - 1;
        assertThat(fx(() -> v.cellOf(last).isPresent())).as("the last row is drawn after scrolling").isTrue();
        assertThat(fx(() -> v.rows().lookupAll(".trace-row").size())).isBetween(10, 120);
        // the orphan is drawn, marked (it is a root of its own, at the end)
        assertThat(tree.rows().get(last).orphan()).isTrue();
        assertThat(fx(() -> ((javafx.scene.control.Label) v.cellOf(last).orElseThrow().lookup(".trace-marks")).getText())).contains("orphan");
        // the error span: find it by its row, select it, it shows red
        int err = -1;
        for (int i = 0; i < tree.rows().size(); i++) if (tree.rows().get(i).span().error()) err = i;
        int errRow = err;
        robot.interact(() -> {
            v.rows().getSelectionModel().select(Integer.valueOf(errRow));
            v.rows().scrollTo(v.visibleRows().indexOf(errRow));
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> v.cellOf(errRow).orElseThrow().getStyleClass())).contains("trace-row-error");
        FxShots.shot(robot, root, "waterfall-10k");
        // a SQL span leads to the database page around its time; a span that is not SQL does not
        assertThat(fx(() -> v.lookup("#span-database").isDisable())).as("process item: not SQL").isTrue();
        int sqlRow = 0;
        while (!tree.rows().get(sqlRow).span().isDatabase()) sqlRow++;
        int sql = sqlRow;
        robot.interact(() -> {
            v.rows().getSelectionModel().select(Integer.valueOf(sql));
            v.rows().scrollTo(v.visibleRows().indexOf(sql));
        });
        assertThat(fx(() -> v.lookup("#span-database").isDisable())).isFalse();
        robot.clickOn("#span-database");
        var s = tree.rows().get(sql).span();
        assertThat(window[0]).isEqualTo(s.start().minus(java.time.Duration.ofMinutes(15)) + "/" + s.end().plus(java.time.Duration.ofMinutes(15)));
        // collapsing the root leaves the root and the orphan
        robot.interact(() -> v.toggle(0));
        assertThat(fx(() -> v.visibleRows().size())).isEqualTo(2);
    }
}
