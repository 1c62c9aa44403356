package io.andon.console;

import io.andon.alertmanager.AlertService;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.alertmanager.FloodDetector;
import io.andon.net.Endpoint;
import io.andon.ui.alerts.AlarmWatch;
import io.andon.ui.alerts.AlertsViewModel;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flood banner is built once per change, not once per FX event: each render used to re-post the next one (the
 * banner it replaced looked "cleared by something else"), for as long as the flood lasted, and after the wall's
 * rebuild that loop kept the disposed console reachable (found by SoakBench's live-console count, issue 21). Since
 * the shell's one banner slot (ranks, each poster withdraws only its own post) nothing re-posts itself; this test
 * keeps the count, and a lower post coming and going under the flood leaves the flood banner as it was.
 * No source is needed: the alerts view model is never started, the watch's flood state is set by hand.
 * Failed before the fix: 366 flood banners built in half a second after two changes of the language.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class AlarmBannerRenderTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = new StackPane();
        stage.setScene(new Scene(root, 1000, 600));
        stage.show();
    }

    @Test
    void theFloodBannerIsBuiltOnceAndADisposedConsoleLetsItGo(FxRobot robot) throws Exception {
        var pool = new AlertmanagerPool(List.of(new AlertmanagerClient("Alertmanager", Endpoint.of("http://127.0.0.1:9"))));
        AlertsViewModel vm = new AlertsViewModel(sink -> new AlertService(pool, Duration.ofSeconds(1), s -> sink.accept(s, null),
                c -> sink.accept(null, c), Clock.systemUTC()), c -> {});
        Shell[] shell = new Shell[1];
        AlarmWatch[] watch = new AlarmWatch[1];
        robot.interact(() -> {
            shell[0] = new Shell(List.of());
            root.getChildren().setAll(shell[0]);
            watch[0] = new AlarmWatch(vm, Clock.systemUTC(), Map.of(), new FloodDetector.Config(10, 5, Duration.ofMinutes(10), Duration.ofMinutes(2)),
                    null, "test", severity -> {});
            // its own detector stays out (no alerts: it would end the flood at its next tick); the test sets the state
            watch[0].close();
            Banner.alarms(shell[0], watch[0], Clock.systemUTC());
            watch[0].floodingProperty().set(true);
        });
        // each change of what it shows builds the banner once
        int[] added = {0};
        robot.interact(() -> {
            var top = (javafx.scene.layout.Pane) shell[0].lookup(".nav-bar").getParent();
            top.getChildren().addListener((javafx.collections.ListChangeListener<Node>) ch -> {
                while (ch.next()) for (Node n : ch.getAddedSubList()) if ("flood-banner".equals(n.getId())) added[0]++;
            });
            // the language changes and changes back: two renders
            java.util.Locale was = io.andon.ui.I18n.locale();
            io.andon.ui.I18n.setLocale(was.getLanguage().equals("zh") ? java.util.Locale.ENGLISH : io.andon.ui.I18n.ZH_CN);
            io.andon.ui.I18n.setLocale(was);
        });
        Thread.sleep(500);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> added[0]).get()).as("flood banners added after two changes of the language").isEqualTo(2);
        // the banner seen over a second of FX events: one node while nothing changes
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 20; i++) {
            Node n = WaitForAsyncUtils.asyncFx(() -> shell[0].lookup("#flood-banner")).get();
            if (n != null) seen.add(n);
            Thread.sleep(50);
        }
        assertThat(seen).as("flood banners built while the flood did not change").hasSize(1);

        // a lower poster (the wall's Esc hint) comes and goes under the flood: the flood banner stays, the same node
        Node before = WaitForAsyncUtils.asyncFx(() -> shell[0].lookup("#flood-banner")).get();
        robot.interact(() -> {
            BannerSlot.Post hint = shell[0].banners().poster(BannerSlot.Rank.HINT);
            hint.post(new javafx.scene.control.Label("Esc"));
            hint.withdraw();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> shell[0].lookup("#flood-banner")).get()).as("the flood banner after the hint").isSameAs(before);
        robot.interact(() -> shell[0].dispose());
        pool.close();
    }
}
