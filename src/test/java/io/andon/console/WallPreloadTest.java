package io.andon.console;

import io.andon.board.PageSpec;
import io.andon.board.QueryHub;
import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.ui.Page;
import io.andon.ui.Theme;
import io.andon.ui.dashboard.DashboardPage;
import io.andon.ui.dashboard.DashboardViewModel;
import javafx.collections.ListChangeListener;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21: in wall mode a page switch shows data refreshed for that switch. Hidden pages do not refresh (only
 * the page shown does), so a rotated-in page whose every tile was fetched after the previous switch was refreshed
 * by the wall's preload; the first time round, without the preload, it would show "waiting for the first refresh".
 */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WallPreloadTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 1280, 720));
        stage.show();
    }

    static TileSpec tile(String id, String query) {
        return new TileSpec(id, new TileSpec.Text(id, id), query, "count", 0, TileSpec.Skin.NUMBER, null, null, null, null, null, null, null, null);
    }

    /** Three pages on Prometheus's own series; the last two share a query with the first. */
    static List<PageSpec> pages() {
        return List.of(
                new PageSpec("p1", new TileSpec.Text("P1", "P1"), "30s", null, 3, List.of(
                        tile("head", "prometheus_tsdb_head_series"), tile("up", "up{job=\"prometheus\"}"), tile("samples", "prometheus_tsdb_head_samples_appended_total"))),
                new PageSpec("p2", new TileSpec.Text("P2", "P2"), "30s", null, 3, List.of(
                        tile("head", "prometheus_tsdb_head_series"), tile("goroutines", "go_goroutines{job=\"prometheus\"}"))),
                new PageSpec("p3", new TileSpec.Text("P3", "P3"), "30s", null, 3, List.of(
                        tile("up", "up{ job = \"prometheus\" }"), tile("rules", "prometheus_rule_group_rules"), tile("chunks", "prometheus_tsdb_head_chunks"))));
    }

    record Switch(String page, long atNanos, Instant at, List<TileState> tiles) {}

    /**
     * The three pages ({@code refresh} each) on one hub, in a shell under a wall of {@code dwell}: {@code onSwitch}
     * runs on the FX thread each time the content shows a page other than the last one seen (p1 first).
     */
    private Wall wall(Stack stack, FxRobot robot, String refresh, Duration dwell, java.util.function.BiConsumer<DashboardPage, QueryHub> onSwitch) throws Exception {
        PrometheusClient c = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        io.andon.prometheus.PrometheusClientIntegrationTest.awaitSelfScrapes(c);
        QueryHub hub = new QueryHub(c, 4, Duration.ofSeconds(1));
        List<DashboardPage> pages = new ArrayList<>();
        for (PageSpec s : pages()) {
            PageSpec spec = refresh == null ? s : new PageSpec(s.id(), s.title(), refresh, s.datasource(), s.columns(), s.tiles());
            pages.add(new DashboardPage(new DashboardViewModel(spec, hub, Duration.ZERO), Theme.DARK, t -> {}));
        }
        Wall w = new Wall(robot);
        robot.interact(() -> {
            w.shell = new Shell(new ArrayList<Page>(pages));
            stage.getScene().setRoot(w.shell);
            StackPane content = (StackPane) w.shell.getCenter();
            String[] last = {null};
            content.getChildren().addListener((ListChangeListener<javafx.scene.Node>) ch -> {
                Page p = w.shell.current().orElse(null);
                if (!(p instanceof DashboardPage d) || content.getChildren().isEmpty() || content.getChildren().getFirst() != d.view() || p.id().equals(last[0])) return;
                last[0] = p.id();
                onSwitch.accept(d, hub);
            });
            w.shell.show("p1");
            w.mode = new WallMode(stage, w.shell, List.of("p1", "p2", "p3"), dwell);
            w.mode.enter(0);
        });
        return w;
    }

    /** A running wall; closing leaves it and disposes the shell. */
    static final class Wall implements AutoCloseable {
        private final FxRobot robot;
        Shell shell;
        WallMode mode;

        Wall(FxRobot robot) { this.robot = robot; }

        @Override
        public void close() {
            robot.interact(() -> {
                mode.leave();
                shell.dispose();
            });
        }
    }

    @Test
    void aRotatedInPageShowsTilesRefreshedForTheSwitch(Stack stack, FxRobot robot) throws Exception {
        List<Switch> switches = new CopyOnWriteArrayList<>();
        try (Wall w = wall(stack, robot, null, Duration.ofMillis(1500), (d, hub) -> {
            List<TileState> states = d.viewModel().spec().tiles().stream().map(t -> d.viewModel().tile(t.id()).get()).toList();
            switches.add(new Switch(d.id(), System.nanoTime(), Instant.now(), states));
        })) {
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (switches.size() < 6 && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(switches).as("switches seen: p1 then five rotations").hasSizeGreaterThanOrEqualTo(6);
            for (int i = 1; i < switches.size(); i++) {
                Switch prev = switches.get(i - 1), now = switches.get(i);
                for (TileState st : now.tiles) {
                    assertThat(st.status()).as(now.page + "/" + st.tileId() + " at switch " + i + ": " + st.message()).isEqualTo(TileState.Status.OK);
                    assertThat(st.fetchedAt()).as(now.page + "/" + st.tileId() + ": fetched for this switch, after the previous one")
                            .isAfter(prev.at);
                }
                System.out.printf("switch %d to %s: %d tiles, all OK, newest fetch %d ms before the switch%n", i, now.page, now.tiles.size(),
                        Duration.between(now.tiles.stream().map(TileState::fetchedAt).max(Instant::compareTo).orElseThrow(), now.at).toMillis());
            }
        }
    }

    /**
     * A rotation asks what its turns need, once: the page coming next is refreshed by the preload, and the page on
     * screen starts no refresh in its last lead (it would race the switch). Pages at 1 s shown for 1.2 s: before,
     * each shown page refreshed once more 1 s after its switch, 0.2 s before it went: twice the queries.
     */
    @Test
    void aRotationAsksEachTurnsQueriesOnce(Stack stack, FxRobot robot) throws Exception {
        record Turn(String page, long backendQueries) {}
        List<Turn> turns = new CopyOnWriteArrayList<>();
        try (Wall w = wall(stack, robot, "1s", Duration.ofMillis(1200), (d, hub) -> turns.add(new Turn(d.id(), hub.backendQueries())))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (turns.size() < 8 && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(turns).as("turns seen").hasSizeGreaterThanOrEqualTo(8);
            // from the second turn (the first has no preload) to the eighth: each turn's preload, nothing else
            long asked = turns.get(7).backendQueries - turns.get(1).backendQueries, needed = 0;
            for (Turn t : turns.subList(2, 8)) {
                PageSpec spec = pages().stream().filter(x -> x.id().equals(t.page)).findFirst().orElseThrow();
                java.util.Set<String> distinct = new java.util.HashSet<>();
                spec.tiles().forEach(x -> distinct.add(io.andon.prometheus.QueryKey.of(x.query())));
                distinct.add(io.andon.prometheus.QueryKey.of(io.andon.board.RefreshEngine.SCRAPE_AGE_QUERY));
                needed += distinct.size();
            }
            System.out.printf("6 turns: %d backend queries, their pages' distinct queries %d; turns %s%n", asked, needed, turns);
            assertThat(asked).as("backend queries of six turns vs the distinct queries of their pages").isEqualTo(needed);
        }
    }
}
