package io.andon.console;

import java.util.Optional;

/**
 * Work that the first paint needs but that does not need JavaFX, started on spare threads while the JavaFX
 * toolkit starts on the main thread (about a second; P6): logging set-up (logback reads its XML: ~500 classes),
 * the dashboards' YAML parser and the HTTP client's classes. The FX thread needs all three within a few ms of each
 * other (YAML, then a page's refresh engine with its logger, then the client), so they run side by side rather
 * than one after the other. They only load and initialise; the FX thread later does the real work, just faster.
 * Nothing here may fail the console: a failure is left for the real code path to meet and report.
 */
final class Prewarm {
    private Prewarm() {}

    static void start() {
        spare("andon-prewarm-logging", () -> {
            org.slf4j.LoggerFactory.getILoggerFactory();
            StartupTrace.mark("prewarm: logging");
        });
        spare("andon-prewarm-sources", () -> {
            new io.andon.board.DashboardRepository(Optional.empty()).load();
            StartupTrace.mark("prewarm: dashboards");
            io.andon.prometheus.PrometheusClient.warmUp();
            StartupTrace.mark("prewarm: http");
        });
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void spare(String name, Step step) {
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                step.run();
            } catch (Exception | LinkageError e) {
                // the real start meets the same problem and says so; a warm-up has nothing to add
            }
        });
    }
}
