package io.andon.console;

import io.andon.ui.I18n;
import io.andon.ui.Page;
import io.andon.util.Watchdog;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The console's watchdog (issue 21): a ping the FX thread must answer within {@link #FX_LIMIT}, and every dashboard
 * page's refresh within {@link #REFRESH_LIMIT}. A stall is logged with a thread dump ({@link Watchdog}) and shown as
 * a banner once the FX thread can show anything; in wall mode, where nobody is there to act on a banner, the console
 * rebuilds its pages instead ({@code rebuild}). Runs on its own daemon thread, so a blocked FX thread cannot stop it.
 */
final class FxWatchdog implements AutoCloseable {
    static final Duration FX_LIMIT = Duration.ofSeconds(3);
    /** Far above a slow refresh (every client call has its own timeouts, ~15 s at most): this one will not return. */
    static final Duration REFRESH_LIMIT = Duration.ofSeconds(60);
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Watchdog dog;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "andon-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final List<Watchdog.Probe> pageProbes = new ArrayList<>();
    private volatile long pingSent = Watchdog.IDLE;
    private volatile Thread fxThread;
    private final Duration fxLimit, refreshLimit;

    /** @param onStall on the FX thread, after the stall was logged: shows it or rebuilds */
    FxWatchdog(Duration fxLimit, Duration refreshLimit, Consumer<Watchdog.Stall> onStall) {
        this.fxLimit = fxLimit;
        this.refreshLimit = refreshLimit;
        this.dog = new Watchdog(System::nanoTime, s -> Platform.runLater(() -> onStall.accept(s)));
    }

    FxWatchdog start() {
        Platform.runLater(() -> fxThread = Thread.currentThread());
        dog.watch(new Watchdog.Probe("JavaFX application thread", fxLimit, () -> pingSent, () -> fxThread));
        long period = Math.max(100, Math.min(1000, fxLimit.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Longest FX ping round trip since the last report (the soak bench reads these from the console's output). */
    private final java.util.concurrent.atomic.AtomicLong maxPingNanos = new java.util.concurrent.atomic.AtomicLong();
    private static final long REPORT_NANOS = Long.getLong("andon.watchdog.reportSeconds", 0) * 1_000_000_000L;
    private long lastReport = System.nanoTime();

    private void tick() {
        try {
            if (pingSent == Watchdog.IDLE) {
                long sent = System.nanoTime();
                pingSent = sent;
                Platform.runLater(() -> {
                    maxPingNanos.accumulateAndGet(System.nanoTime() - sent, Math::max);
                    pingSent = Watchdog.IDLE;
                });
            }
            dog.check();
            if (REPORT_NANOS > 0 && System.nanoTime() - lastReport >= REPORT_NANOS) {
                lastReport = System.nanoTime();
                // a pending ping counts with its age so far: a stall in progress is not hidden by its not having ended
                long pending = pingSent == Watchdog.IDLE ? 0 : System.nanoTime() - pingSent;
                System.out.println("andon-watchdog fx-max-ping-ms=" + Math.max(maxPingNanos.getAndSet(0), pending) / 1_000_000);
                System.out.println(io.andon.util.Activity.line());
            }
            checkRebuildTrigger();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(FxWatchdog.class).warn("watchdog check failed: {}", e.toString());
        }
    }

    /**
     * Test-only, off unless set: {@code -Dandon.test.rebuildTrigger=FILE}. Each change of FILE's modification time
     * rebuilds the console the way a stall in wall mode does (the soak forces rebuilds from outside this way, to catch
     * a console kept alive after its rebuild). Not a feature: nothing in the installed launcher sets it.
     */
    static final java.nio.file.Path REBUILD_TRIGGER = java.util.Optional.ofNullable(System.getProperty("andon.test.rebuildTrigger"))
            .filter(v -> !v.isBlank()).map(java.nio.file.Path::of).orElse(null);
    private volatile Runnable onRebuildTrigger;
    private volatile java.nio.file.Path triggerFile;
    private long triggerSeen = Long.MIN_VALUE;

    /** @param rebuild on the FX thread, at each change of the test trigger file (never when the property is unset) */
    void onRebuildTrigger(Runnable rebuild) {
        onRebuildTrigger(REBUILD_TRIGGER, rebuild);
    }

    /** As above on this file (tests); null: off. */
    void onRebuildTrigger(java.nio.file.Path file, Runnable rebuild) {
        this.triggerFile = file;
        this.onRebuildTrigger = rebuild;
    }

    private void checkRebuildTrigger() {
        Runnable r = onRebuildTrigger;
        java.nio.file.Path file = triggerFile;
        if (file == null || r == null) return;
        long m;
        try {
            m = java.nio.file.Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS);
        } catch (java.io.IOException absent) {
            m = 0;
        }
        boolean first = triggerSeen == Long.MIN_VALUE;
        if (m == triggerSeen) return;
        triggerSeen = m;
        if (!first && m != 0) Platform.runLater(r); // the state at start is the baseline, not a request
    }

    /** Watches the refreshes of these pages (again after a rebuild: the old probes go). */
    synchronized void watchPages(Iterable<Page> pages) {
        pageProbes.forEach(dog::unwatch);
        pageProbes.clear();
        for (Page p : pages) {
            io.andon.ui.dashboard.DashboardPage d = p instanceof io.andon.ui.dashboard.DashboardPage dp ? dp
                    : p instanceof io.andon.ui.health.HealthPage hp ? hp.dashboard() : null;
            if (d != null) pageProbes.add(dog.watch(d.viewModel().engine().probe(refreshLimit)));
        }
    }

    /** The banner a stall shows (recoveries of the FX thread say how long it was frozen). */
    static HBox notice(Watchdog.Stall s) {
        String when = LocalTime.now().format(HM);
        String text = s.name().startsWith("JavaFX")
                ? I18n.text("watchdog.fxStall").formatted(s.busyFor().toMillis() / 1000.0, when)
                : I18n.text("watchdog.refreshStall").formatted(s.name(), s.busyFor().toSeconds(), when);
        Label l = new Label("⚠ " + text);
        l.setWrapText(true);
        HBox box = new HBox(l);
        box.getStyleClass().add("watchdog-banner");
        box.setAlignment(Pos.CENTER_LEFT);
        box.setStyle("-fx-background-color: #8a5a00; -fx-padding: 6 12 6 12;");
        l.setStyle("-fx-text-fill: white;");
        return box;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
