package io.andon.ui.reports;

import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.logs.LogClient;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.report.Java2DChartRenderer;
import io.andon.report.PdfReportWriter;
import io.andon.report.ReportGatherer;
import io.andon.report.Shift;
import io.andon.report.ShiftReports;
import io.andon.report.ShiftSchedule;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.ui.I18n;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Reports page makes the report off the FX thread, shows page one and says which source failed: here
 * Elasticsearch is a port nobody listens on, Prometheus and Alertmanager are the harness's.
 */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
class ReportsPageTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = io.andon.ui.FxShots.darkRoot(stage, 1400, 1000);
    }

    @Test
    void previewInBothLanguages(Stack stack, FxRobot robot) throws Exception {
        var prom = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        var am = new AlertmanagerPool(List.of(new AlertmanagerClient("Alertmanager", Endpoint.of(stack.alertmanager().baseUri().toString()))));
        try (var logs = new LogClient("Elasticsearch", List.of(Endpoint.of("http://127.0.0.1:" + io.andon.stack.Ports.free())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))))) {
            ShiftSchedule schedule = ShiftSchedule.defaults(ZoneId.of("Asia/Shanghai"));
            var reports = new ShiftReports(schedule, new ReportGatherer(prom, Optional.of(am), Optional.of(logs), Optional.empty()),
                    PdfReportWriter.withSystemFont(new Java2DChartRenderer()), Optional.empty());
            Shift current = schedule.at(null, Instant.now());
            for (Locale l : List.of(Locale.ENGLISH, I18n.ZH_CN)) {
                robot.interact(() -> I18n.setLocale(l));
                java.util.concurrent.atomic.AtomicReference<ReportsPage> holder = new java.util.concurrent.atomic.AtomicReference<>();
                java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<byte[]>> made = new java.util.concurrent.atomic.AtomicReference<>();
                robot.interact(() -> {
                    holder.set(new ReportsPage(reports, () -> {}));
                    root.getChildren().setAll(holder.get().view());
                    made.set(holder.get().generate(current, null));
                });
                ReportsPage page = holder.get();
                byte[] pdf = made.get().get(60, TimeUnit.SECONDS);
                WaitForAsyncUtils.waitForFxEvents();
                assertThat(page.preview().getImage()).as("page one shown").isNotNull();
                assertThat(page.status().getText()).contains("Elasticsearch");
                try (var doc = Loader.loadPDF(pdf)) {
                    String text = new PDFTextStripper().getText(doc);
                    assertThat(text).contains(l == Locale.ENGLISH ? "Shift handover report" : "交接班报告").contains("Elasticsearch");
                }
                io.andon.ui.FxShots.shot(robot, root, "reports-" + (l == Locale.ENGLISH ? "en" : "zh"));
            }
        } finally {
            robot.interact(() -> I18n.setLocale(Locale.ENGLISH));
        }
    }
}
