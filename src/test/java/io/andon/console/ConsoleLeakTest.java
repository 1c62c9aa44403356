package io.andon.console;

import io.andon.ui.I18n;
import io.andon.ui.Page;
import io.andon.ui.Theme;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A disposed console is garbage: what the wall's rebuild after a stall and a profile switch do, and what each
 * console the test suite builds does. Before, listeners on the language and theme and the top-bar clock's ticker kept
 * every console ever built reachable; the suite ran out of a 6 GB heap and the wall would have too, rebuild by rebuild.
 * The sources are closed ports: the pages are built, shown and refreshing (failing), which is all a leak needs.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleLeakTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 1280, 800));
        stage.show();
    }

    /** What holds them is read from the dump (any heap analyser: shortest path from the GC roots to Shell). */
    static void dumpHeap(String name) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("andon.project.dir", "."), "target", name);
        java.nio.file.Files.deleteIfExists(file);
        java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), true);
    }

    /** Collects until every reference is cleared or 20 s passed; the FX queue drained between tries. */
    static void awaitCollected(List<? extends WeakReference<?>> refs) throws InterruptedException {
        WaitForAsyncUtils.waitForFxEvents();
        // TestFX records every event fired on the stage (the pointer entering tiles): a record of the test, not of the console
        org.testfx.api.FxToolkit.toolkitContext().setRegisteredStage(org.testfx.api.FxToolkit.toolkitContext().getRegisteredStage());
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (refs.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < end) {
            System.gc();
            Thread.sleep(200);
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    @Test
    void aDisposedConsoleIsCollected(FxRobot robot) throws Exception {
        URI nowhere = URI.create("http://127.0.0.1:9");
        ConsoleContext ctx = new ConsoleContext(nowhere, List.of(nowhere), Optional.of(nowhere), Optional.of(nowhere), Optional.of(nowhere),
                Optional.empty(), Duration.ZERO, List.of()).withTraces(new ConsoleContext.Traces(nowhere, "zipkin"));
        List<WeakReference<Object>> gone = new ArrayList<>();
        try {
            for (int round = 0; round < 3; round++) {
                int r = round;
                Shell[] shell = new Shell[1];
                StackPane root = new StackPane();
                robot.interact(() -> {
                    stage.setScene(new Scene(root, 1280, 800));
                    shell[0] = AndonApp.build(ctx, Theme.DARK);
                    root.getChildren().setAll(shell[0]);
                    for (Page p : shell[0].pages().values()) shell[0].show(p.id());
                });
                // both languages and a theme change: the listeners the old code never removed
                robot.interact(() -> I18n.setLocale(Locale.SIMPLIFIED_CHINESE));
                robot.interact(() -> Theme.LIGHT.applyTo(root.getScene()));
                Thread.sleep(1500); // tickers fire, refreshes fail
                robot.interact(() -> {
                    I18n.setLocale(Locale.ENGLISH);
                    Theme.DARK.applyTo(root.getScene());
                    shell[0].dispose();
                    // the console leaves its scene (the app's rebuild sets a new root), or stays in a scene the
                    // window no longer shows (a window given a new scene, as each TestFX test does)
                    if (r % 2 == 0) root.getChildren().clear();
                    else stage.setScene(new Scene(new StackPane(), 1280, 800));
                });
                gone.add(new WeakReference<>(shell[0]));
                for (Page p : shell[0].pages().values()) gone.add(new WeakReference<>(p));
                shell[0] = null;
            }
            awaitCollected(gone);
            List<String> alive = gone.stream().map(WeakReference::get).filter(o -> o != null)
                    .map(o -> o instanceof Page p ? "page " + p.id() : o.getClass().getSimpleName()).toList();
            if (!alive.isEmpty()) dumpHeap("console-leak.hprof");
            assertThat(alive).as("consoles and pages still reachable after dispose (heap in target/console-leak.hprof)").isEmpty();
        } finally {
            ctx.close();
        }
    }
}
