package io.andon.ui.dashboard;

import io.andon.board.PageSpec;
import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.console.Snapshot;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.ui.Theme;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first vertical slice on the real stack: a TilesFX tile bound to PromQL shows what Prometheus answers,
 * turns STALE (keeping its last value) when Prometheus is stopped, and recovers when it returns.
 */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
class LiveTileTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = io.andon.ui.FxShots.darkRoot(stage, 1200, 500);
    }

    @Test
    void tileFollowsPrometheusGoesStaleAndRecovers(Stack stack, FxRobot robot) throws Exception {
        var prom = stack.prometheus();
        PrometheusClient client = new PrometheusClient("Prometheus", Endpoint.of(prom.baseUri().toString())
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2)));
        String query = "prometheus_tsdb_head_series";
        TileSpec tile = new TileSpec("series", new TileSpec.Text("Head series", "活跃序列"), query, "", 0,
                TileSpec.Skin.NUMBER, null, null, null, null, null, null, null, null);
        TileSpec up = new TileSpec("up", new TileSpec.Text("Prometheus up", "Prometheus 在线"), "up{job=\"prometheus\"}", "", 0,
                TileSpec.Skin.NUMBER, new TileSpec.Thresholds(null, 1.0, TileSpec.Thresholds.Direction.BELOW), null, null, null, null, null, null, null);
        PageSpec spec = new PageSpec("slice", new TileSpec.Text("Slice", "切片"), "1s", null, 2, List.of(tile, up));
        DashboardViewModel vm = new DashboardViewModel(spec, client, Duration.ZERO);
        DashboardPage page = new DashboardPage(vm, Theme.DARK, t -> {});
        robot.interact(() -> {
            root.getChildren().setAll(page.view());
            page.onShow();
        });
        try {
            TileView view = page.tileView("series");
            // the tile shows exactly what Prometheus answers (retry: the series count may move between two reads)
            boolean equal = false;
            for (int i = 0; i < 20 && !equal; i++) {
                TileState st = await(view, s -> s.status() == TileState.Status.OK && s.value() > 0, Duration.ofSeconds(20));
                double direct = client.query(query).samples().getFirst().value();
                double shown = robot.interact(() -> view.tile().getValue()) == null ? Double.NaN : view.tile().getValue();
                equal = st.value() == direct && shown == direct;
                if (!equal) Thread.sleep(300);
            }
            assertThat(equal).as("tile value equals Prometheus' answer").isTrue();
            assertThat(chip(robot, view)).contains("OK");
            shot(robot, "slice-live");

            double before = view.state().value();
            stack.stopService("prometheus", false);
            long t0 = System.nanoTime();
            TileState stale = await(view, s -> s.status() == TileState.Status.STALE, INTERVAL.multipliedBy(2).plusSeconds(4));
            long staleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(stale.value()).as("last known value kept").isEqualTo(before);
            assertThat(stale.message()).contains("Prometheus");
            assertThat(chip(robot, view)).contains("STALE");
            assertThat(page.tileView("up").state().status()).as("never green when blind").isEqualTo(TileState.Status.STALE);
            shot(robot, "slice-stale");

            stack.startAgain("prometheus");
            long t1 = System.nanoTime();
            await(view, s -> s.status() == TileState.Status.OK, Duration.ofSeconds(15));
            long recoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
            System.out.printf("slice: STALE after %d ms, recovered %d ms after restart (interval %d ms)%n", staleMs, recoverMs, INTERVAL.toMillis());
        } finally {
            robot.interact(page::dispose);
        }
    }

    private void shot(FxRobot robot, String name) {
        io.andon.ui.FxShots.shot(robot, root, name);
    }

    private static String chip(FxRobot robot, TileView v) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup("#chip-" + v.spec().id()).queryLabeled().getText();
    }

    private static TileState await(TileView v, Predicate<TileState> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            WaitForAsyncUtils.waitForFxEvents();
            TileState s = v.state();
            if (s != null && p.test(s)) return s;
            Thread.sleep(100);
        }
        throw new AssertionError("tile " + v.spec().id() + " did not reach the expected state within " + timeout + "; last: " + v.state());
    }
}
