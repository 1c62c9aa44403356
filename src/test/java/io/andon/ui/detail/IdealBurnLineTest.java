package io.andon.ui.detail;

import io.andon.board.DashboardRepository;
import io.andon.board.PageSpec;
import io.andon.board.TileSpec;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.Locale;

import static io.andon.ui.FxWait.fx;
import static io.andon.ui.FxWait.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The SLO page's budget tiles (generated with {@code idealBurn: 30d}) drill down to a chart with the ideal line
 * Sloth's users ask for: the budget spent evenly over the SLO window, 100 % at its start and 0 % now.
 */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
class IdealBurnLineTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = FxShots.darkRoot(stage, 1600, 900);
    }

    @Test
    void budgetDrillDownDrawsTheIdealLineOverTheSloWindow(Stack stack, FxRobot robot) throws Exception {
        PageSpec slo = new DashboardRepository(java.util.Optional.empty()).load().stream().filter(p -> p.id().equals("slo")).findFirst().orElseThrow();
        TileSpec budget = slo.tiles().stream().filter(t -> t.id().equals("availability-budget")).findFirst().orElseThrow();
        assertThat(budget.idealBurnWindow()).hasValue(java.time.Duration.ofDays(30));
        var client = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        DetailPage[] page = new DetailPage[1];
        robot.interact(() -> {
            I18n.setLocale(Locale.ENGLISH);
            page[0] = new DetailPage(new DetailViewModel(client), () -> { }, null);
            root.getChildren().setAll(page[0].view());
            page[0].show(budget);
        });
        waitFor(() -> fx(() -> page[0].idealBurnLine()) != null, 30, "the ideal line drawn");
        // the 1 h range: the last hour of a 30-day ramp, from 1/720 of the budget to 0
        XYChart.Series<Number, Number> line = fx(() -> page[0].idealBurnLine());
        assertThat(fx(line::getName)).isEqualTo("Ideal: budget spent evenly over 30d");
        assertThat(fx(() -> line.getData().getFirst().getYValue().doubleValue())).isCloseTo(100.0 / 720, within(0.01));
        assertThat(fx(() -> line.getData().getLast().getYValue().doubleValue())).isEqualTo(0.0);
        // the 30 d range: the whole ramp, 100 % at the window's start
        robot.clickOn("#range-30d");
        waitFor(() -> fx(() -> page[0].idealBurnLine()) != null
                && fx(() -> page[0].idealBurnLine().getData().getFirst().getYValue().doubleValue()) > 99.9, 30, "the 30 d ideal line");
        XYChart.Series<Number, Number> full = fx(() -> page[0].idealBurnLine());
        long span = fx(() -> full.getData().getLast().getXValue().longValue() - full.getData().getFirst().getXValue().longValue());
        assertThat(span).isEqualTo(30L * 24 * 3600);
        FxShots.shot(robot, root, "slo-budget-ideal-en");
    }
}
