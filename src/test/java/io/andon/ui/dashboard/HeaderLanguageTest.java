package io.andon.ui.dashboard;

import io.andon.board.DashboardRepository;
import io.andon.board.PageSpec;
import io.andon.prometheus.PrometheusClient;
import io.andon.ui.I18n;
import io.andon.ui.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A language switch rewrites the page's header line at once ("Last updated … · Refresh …"): it stayed in the old
 * language until the page's next refresh, a minute on a slow page. The source is a closed port: the refresh fails,
 * which still writes the header; the engine is then paused, so only the language switch can rewrite it.
 */
@ExtendWith(ApplicationExtension.class)
class HeaderLanguageTest {
    private StackPane root;
    private DashboardPage page;

    @Start
    void start(Stage stage) {
        root = new StackPane();
        stage.setScene(new Scene(root, 1280, 800));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        if (page != null) WaitForAsyncUtils.asyncFx(page::dispose).get();
        WaitForAsyncUtils.asyncFx(() -> I18n.setLocale(Locale.ENGLISH)).get();
    }

    @Test
    void headerFollowsTheLanguageWithoutARefresh(FxRobot robot) throws Exception {
        PageSpec spec = new DashboardRepository(Optional.empty()).load().stream().filter(p -> p.id().equals("system")).findFirst().orElseThrow();
        DashboardViewModel vm = new DashboardViewModel(spec, new PrometheusClient("Prometheus", io.andon.net.Endpoint.of("http://127.0.0.1:9")), Duration.ZERO);
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            page = new DashboardPage(vm, Theme.DARK, t -> {});
            root.getChildren().setAll(page.view());
            page.onShow();
        });
        page.firstData().get(30, TimeUnit.SECONDS);
        robot.interact(vm::pause);
        WaitForAsyncUtils.waitForFxEvents();
        Label header = robot.lookup(n -> n instanceof Label l && l.getText().startsWith("Last updated")).queryAs(Label.class);
        robot.interact(() -> I18n.setLocale(I18n.ZH_CN));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(header.getText()).as("the header right after the switch, no refresh in between").startsWith("最后更新");
    }
}
