package io.andon.console;

import java.util.Optional;

/**
 * Work that the first paint needs but that does not need JavaFX, started on a spare thread while the JavaFX
 * toolkit starts on the main thread (about a second; P6): logging set-up, the dashboards' YAML parser and the
 * HTTP client's classes. It only loads and initialises; the FX thread later does the real work, just faster.
 * Nothing here may fail the console: a failure is left for the real code path to meet and report.
 */
final class Prewarm {
    private Prewarm() {}

    static void start() {
        Thread.ofPlatform().daemon().name("andon-prewarm").start(() -> {
            try {
                // in the order the FX thread will need them: the YAML first, then the client, then logging
                new io.andon.board.DashboardRepository(Optional.empty()).load();
                StartupTrace.mark("prewarm: dashboards");
                io.andon.prometheus.PrometheusClient.warmUp();
                StartupTrace.mark("prewarm: http");
                org.slf4j.LoggerFactory.getILoggerFactory();
                StartupTrace.mark("prewarm: logging");
            } catch (Exception | LinkageError e) {
                // the real start meets the same problem and says so; a warm-up has nothing to add
            }
        });
    }
}
