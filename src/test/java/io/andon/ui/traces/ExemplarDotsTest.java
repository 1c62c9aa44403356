package io.andon.ui.traces;

import io.andon.board.TileSpec;
import io.andon.net.Endpoint;
import io.andon.prometheus.Exemplar;
import io.andon.prometheus.PrometheusClient;
import io.andon.stack.Ports;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.traces.ZipkinTraceSource;
import io.andon.ui.FxShots;
import io.andon.ui.I18n;
import io.andon.ui.detail.DetailPage;
import io.andon.ui.detail.DetailViewModel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import javafx.scene.Node;
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
import zipkin2.reporter.urlconnection.URLConnectionSender;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.andon.ui.traces.TracesPageTest.fx;
import static io.andon.ui.traces.TracesPageTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pivot latency tile → exemplar → trace, on real parts: client_java's histogram attaches the current
 * OpenTelemetry span's trace id as an exemplar (as the MES does), a real Prometheus 2.42 with exemplar storage
 * scrapes it in OpenMetrics, the spans go to the harness' Zipkin. The tile's drill-down draws every exemplar
 * Prometheus returns as a dot (not one per bucket) at its value in the tile's unit (ms), and one click on a dot
 * opens that trace's waterfall. The harness' own Prometheus gets exemplar storage on the MES branch; this test
 * runs its own so that it does not depend on that.
 */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
@Timeout(240)
class ExemplarDotsTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = FxShots.darkRoot(stage, 1920, 1080);
    }

    @Test
    void everyExemplarIsADotAndADotOpensItsTrace(Stack stack, FxRobot robot, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        var zipkin = stack.zipkin();
        String service = "exm-app-" + Long.toHexString(System.nanoTime() & 0xffffff);
        var provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
                .addSpanProcessor(SimpleSpanProcessor.create(ZipkinSpanExporter.builder()
                        .setSender(URLConnectionSender.create(zipkin.spansEndpoint().toString())).build())).build();
        var tracer = provider.get("andon-test");
        PrometheusRegistry registry = new PrometheusRegistry();
        Histogram h = Histogram.builder().name("http_request_duration_seconds").help("request time").labelNames("method")
                .classicOnly().classicUpperBounds(0.025, 0.05, 0.1, 0.25, 0.5, 1.0).register(registry);
        int promPort = Ports.free();
        Process prom = null;
        try (HTTPServer metrics = HTTPServer.builder().hostname("127.0.0.1").port(0).registry(registry).buildAndStart()) {
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global: {scrape_interval: 1s, evaluation_interval: 1s}
                    scrape_configs:
                      - job_name: mes-app
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    """.formatted(metrics.getPort()));
            prom = new ProcessBuilder(io.andon.stack.Prometheus.BIN, "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort,
                    "--enable-feature=exemplar-storage", "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            URI promUri = URI.create("http://127.0.0.1:" + promPort);
            HttpClient http = HttpClient.newHttpClient();
            waitFor(() -> {
                try {
                    return http.send(HttpRequest.newBuilder(promUri.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            }, 30, "Prometheus ready");
            // requests for 12 s: each observed inside its server span, as an instrumented handler does
            Random r = new Random(3);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            int requests = 0;
            while (System.nanoTime() < end) {
                double seconds = 0.02 + r.nextDouble() * (r.nextInt(10) == 0 ? 0.8 : 0.2);
                Instant now = Instant.now();
                var span = tracer.spanBuilder("GET /api/orders/{id}").setSpanKind(SpanKind.SERVER)
                        .setStartTimestamp(now.minusNanos((long) (seconds * 1e9))).setAttribute("http.status_code", 200L).startSpan();
                try (var scope = span.makeCurrent()) {
                    h.labelValues("GET").observe(seconds);
                } finally {
                    span.end(now);
                }
                requests++;
                Thread.sleep(40);
            }
            provider.forceFlush().join(10, TimeUnit.SECONDS);
            PrometheusClient client = new PrometheusClient("Prometheus", Endpoint.of(promUri.toString()));
            String expr = "http_request_duration_seconds_bucket{job=\"mes-app\"}";
            Exemplar.Result[] ex = new Exemplar.Result[1];
            waitFor(() -> {
                ex[0] = client.exemplars(expr, Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plusSeconds(5));
                return ex[0].exemplars().size() >= 3;
            }, 30, "exemplars scraped");
            Thread.sleep(2000); // one more scrape: the dots below come from a later query, it may hold more
            TileSpec tile = new TileSpec("p99-query", new TileSpec.Text("P99 query", "查询 P99"),
                    "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job=\"mes-app\"}[30s])))",
                    "seconds_ms", 0, TileSpec.Skin.SPARK_LINE, null, null, null, null, null, null, "mes-app", null, expr);
            TracesViewModel tvm = new TracesViewModel(new ZipkinTraceSource("Zipkin", Endpoint.of(zipkin.baseUri().toString())));
            DetailPage[] detail = new DetailPage[1];
            TracesPage[] traces = new TracesPage[1];
            String[] opened = new String[1];
            robot.interact(() -> {
                I18n.setLocale(Locale.ENGLISH);
                traces[0] = new TracesPage(tvm, null, null, null);
                detail[0] = new DetailPage(new DetailViewModel(client), () -> { }, null, id -> {
                    opened[0] = id;
                    root.getChildren().setAll(traces[0].view());
                    traces[0].openTrace(id);
                });
                root.getChildren().setAll(detail[0].view());
                detail[0].show(tile);
            });
            waitFor(() -> !fx(() -> detail[0].exemplarDots()).isEmpty(), 30, "exemplar dots drawn");
            // the last 15 minutes: the window a pivot from a fresh latency spike wants
            robot.clickOn("#range-15m");
            waitFor(() -> Duration.ofMinutes(15).equals(fx(() -> detail[0].shownWindow())), 30, "15 minutes drawn");
            WaitForAsyncUtils.waitForFxEvents();
            List<Node> dots = fx(() -> detail[0].exemplarDots());
            // every exemplar of the window, as Prometheus returns them now
            Exemplar.Result now = client.exemplars(expr, Instant.now().minus(Duration.ofHours(1)), Instant.now());
            long withTrace = now.exemplars().stream().filter(e -> e.traceId() != null).count();
            assertThat((long) dots.size()).as("one dot per exemplar, all of them").isBetween(Math.max(3, withTrace - 2), withTrace);
            // Prometheus keeps several exemplars per bucket series over a window; the chart draws each, so there are at least
            // as many dots as series (Grafana draws one per series and time bucket)
            long series = now.exemplars().stream().map(Exemplar::seriesLabels).distinct().count();
            assertThat((long) dots.size()).isGreaterThanOrEqualTo(series);
            for (Node d : dots) assertThat(d.getStyleClass()).contains("exemplar-dot");
            // dots at the exemplar's value in ms: the one with the largest value is the highest on the chart
            Node top = dots.stream().min(java.util.Comparator.comparingDouble(d -> d.localToScene(0, 0).getY())).orElseThrow();
            Exemplar biggest = now.exemplars().stream().max(java.util.Comparator.comparingDouble(Exemplar::value)).orElseThrow();
            assertThat(fx(() -> top.getUserData())).isEqualTo(biggest.traceId());
            assertThat(fx(() -> detail[0].chart().getYAxis().getLabel())).isEqualTo("ms");
            FxShots.shot(robot, root, "exemplars-en");
            robot.interact(() -> {
                I18n.setLocale(I18n.ZH_CN);
                detail[0].show(tile, Instant.now().minusSeconds(60));
            });
            waitFor(() -> Duration.ofMinutes(15).equals(fx(() -> detail[0].shownWindow())) && !fx(() -> detail[0].exemplarDots()).isEmpty()
                    && fx(() -> detail[0].exemplarDots().getFirst().getScene()) != null, 30, "exemplar dots drawn");
            WaitForAsyncUtils.waitForFxEvents();
            FxShots.shot(robot, root, "exemplars-zh");
            robot.interact(() -> I18n.setLocale(Locale.ENGLISH));
            // one click: the dot's trace in the waterfall
            Node dot = fx(() -> detail[0].exemplarDots()).getLast();
            String id = (String) dot.getUserData();
            robot.clickOn(dot);
            assertThat(opened[0]).isEqualTo(id);
            waitFor(() -> fx(() -> tvm.treeProperty().get()) != null || !fx(() -> tvm.traceErrorProperty().get()).isEmpty(), 20, "trace opened");
            assertThat(fx(() -> tvm.traceErrorProperty().get())).isEmpty();
            assertThat(fx(() -> tvm.treeProperty().get().trace().traceId())).isEqualTo(id);
            assertThat(fx(() -> tvm.treeProperty().get().rows().getFirst().span().service())).isEqualTo(service);
            System.out.printf("exemplars: %d requests, %d exemplars with a trace id in Prometheus over %d bucket series, %d dots drawn%n",
                    requests, withTrace, series, dots.size());
            robot.interact(() -> traces[0].dispose());
        } finally {
            if (prom != null) {
                prom.destroy();
                prom.waitFor(10, TimeUnit.SECONDS);
            }
            provider.close();
        }
    }
}
