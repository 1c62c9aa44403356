package io.andon.console;

import io.andon.board.TileState;
import io.andon.stack.Stack;
import io.andon.ui.I18n;
import io.andon.ui.Page;
import io.andon.ui.Theme;
import io.andon.ui.dashboard.DashboardPage;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code andon.sh screenshots}: the demo on its real stack, photographed as a new user sees it (issue 23). Starts the
 * demo (load on), waits until every tile of every dashboard page has a figure, then writes docs/screenshots/: every
 * page in English and Chinese (dark), the dashboard pages in the light and high-contrast themes, the wall, a
 * scenario in progress, and a blind Prometheus (stale tiles, the wall's notice). The README's first picture is
 * system-en.png from here. Prints each file it wrote and what it could not (a tile without data is named).
 */
public final class ScreenshotTour {
    private static final int W = 1920, H = 1080;
    private final Path out;
    private final ConsoleContext ctx;
    private final List<String> written = new ArrayList<>(), problems = new ArrayList<>();
    private Stage stage;
    private Shell shell;

    private ScreenshotTour(Path out, ConsoleContext ctx) {
        this.out = out;
        this.ctx = ctx;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots");
        Duration settle = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 90);
        Files.createDirectories(out);
        ConsoleContext ctx = Demo.start(Cli.parse(new String[]{"--demo"}));
        int rc = 1;
        try {
            CompletableFuture<Void> fx = new CompletableFuture<>();
            Platform.startup(() -> fx.complete(null));
            fx.get(30, TimeUnit.SECONDS);
            Platform.setImplicitExit(false);
            rc = new ScreenshotTour(out, ctx).run(settle);
        } catch (Exception e) {
            e.printStackTrace(); // and exit: the FX thread would keep the JVM (without its stack) alive
        } finally {
            ctx.close();
            Platform.exit();
        }
        System.exit(rc);
    }

    private <T> T fx(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(5, TimeUnit.MINUTES); // a loaded 2-core machine builds the nine pages slowly
    }

    private void fxRun(Runnable r) throws Exception {
        fx(() -> {
            r.run();
            return null;
        });
    }

    int run(Duration settle) throws Exception {
        fxRun(() -> {
            I18n.setLocale(Locale.ENGLISH);
            stage = new Stage();
            shell = AndonApp.build(ctx, Theme.DARK);
            Scene scene = new Scene(shell, W, H);
            Theme.DARK.applyTo(scene);
            stage.setScene(scene);
            stage.show();
            shell.setKeepAllPagesLive(true); // every page refreshes from the start: all have data when photographed
            shell.show("system");
        });
        // the load runs; rates over 5 m and the business collector need a few rounds before every tile has a figure
        long end = System.nanoTime() + settle.toNanos();
        List<String> missing = List.of();
        while (System.nanoTime() < end) {
            Thread.sleep(5000);
            missing = fx(this::tilesWithoutData);
            if (missing.isEmpty() && System.nanoTime() > end - settle.toNanos() / 2) break; // half the settle time at least: sparklines fill
        }
        if (!missing.isEmpty()) problems.add("tiles without data after " + settle.toSeconds() + " s: " + missing);
        for (String lang : List.of("en", "zh-CN")) {
            fxRun(() -> I18n.setLocale(Locale.forLanguageTag(lang)));
            for (String id : fx(() -> List.copyOf(shell.pages().keySet()))) {
                fxRun(() -> shell.show(id));
                Thread.sleep(id.equals("logs") || id.equals("traces") || id.equals("alerts") ? 4000 : 2500);
                if (id.equals("reports")) previewRunningShift(); // an empty preview pane showed nothing of the report
                shot(id + "-" + lang);
            }
        }
        fxRun(() -> I18n.setLocale(Locale.ENGLISH));
        for (Theme t : List.of(Theme.LIGHT, Theme.HIGH_CONTRAST)) {
            fxRun(() -> t.applyTo(stage.getScene()));
            for (String id : List.of("system", "database", "business", "slo", "health")) {
                fxRun(() -> shell.show(id));
                Thread.sleep(2000);
                shot(id + "-" + t.id + "-en");
            }
        }
        fxRun(() -> Theme.DARK.applyTo(stage.getScene()));
        // the wall: full screen, rotation slower than the tour so each page is photographed as shown
        WallMode[] wall = new WallMode[1];
        fxRun(() -> {
            List<String> playlist = shell.pages().keySet().stream().filter(id -> !List.of("logs", "settings", "traces").contains(id)).toList();
            wall[0] = new WallMode(stage, shell, playlist, Duration.ofHours(1));
            wall[0].enter(0);
            shell.show("system");
        });
        for (String lang : List.of("en", "zh-CN")) {
            fxRun(() -> I18n.setLocale(Locale.forLanguageTag(lang)));
            for (String id : List.of("system", "business", "slo")) {
                fxRun(() -> shell.show(id));
                Thread.sleep(2500);
                shot("wall-" + id + "-" + lang);
            }
        }
        fxRun(() -> I18n.setLocale(Locale.ENGLISH));
        // a scenario in progress: the MES's database fails, the pages show it within a refresh or two
        URI mes = ctx.mesAdmin().orElse(null);
        if (mes != null) {
            for (String scenario : List.of("latency-spike", "equipment-failure")) {
                post(mes, scenario);
                Thread.sleep(40_000);
                String page = scenario.equals("equipment-failure") ? "business" : "system";
                fxRun(() -> shell.show(page));
                Thread.sleep(3000);
                shot("wall-scenario-" + scenario + "-" + page + "-en");
            }
            post(mes, "normal");
        } else problems.add("no simulated MES: no scenario pictures");
        // stale: Prometheus stops; tiles keep their last figure greyed with its age, the wall says so across the room
        Stack stack = ctx.owned().stream().filter(Stack.class::isInstance).map(Stack.class::cast).findFirst().orElse(null);
        if (stack != null) {
            stack.stopService("prometheus", false);
            fxRun(() -> shell.show("system"));
            Thread.sleep(20_000);
            shot("wall-stale-overlay");
            fxRun(() -> {
                wall[0].leave();
                stage.setFullScreen(false);
                stage.setWidth(W);
                stage.setHeight(H);
            });
            Thread.sleep(3000);
            shot("system-stale-en");
            fxRun(() -> shell.show("database"));
            Thread.sleep(2500);
            shot("database-stale-en");
        } else problems.add("no stack handle: no stale pictures");
        System.out.println("screenshots: wrote " + written.size() + " files to " + out);
        written.forEach(f -> System.out.println("  " + f));
        problems.forEach(p -> System.out.println("  ! " + p));
        return written.isEmpty() ? 1 : 0;
    }

    /** The Reports page previews the shift that runs now (the default, the last ended one, is before the demo began). */
    private void previewRunningShift() throws Exception {
        javafx.scene.control.Button preview = fx(() -> (javafx.scene.control.Button) stage.getScene().lookup("#reports-preview"));
        javafx.scene.control.Label status = fx(() -> (javafx.scene.control.Label) stage.getScene().lookup("#reports-status"));
        if (preview == null || status == null) {
            problems.add("reports page: no preview button");
            return;
        }
        fxRun(() -> {
            @SuppressWarnings("unchecked")
            var shift = (javafx.scene.control.ComboBox<String>) stage.getScene().lookup("#reports-shift");
            java.time.LocalTime now = java.time.LocalTime.now();
            shift.getItems().stream().filter(t -> !java.time.LocalTime.parse(t).isAfter(now))
                    .max(java.util.Comparator.comparing(java.time.LocalTime::parse)).ifPresent(shift::setValue);
            preview.fire();
        });
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Thread.sleep(500);
        while (fx(preview::isDisable) && System.nanoTime() < end) Thread.sleep(250);
        if (fx(preview::isDisable)) problems.add("reports page: the preview did not finish within 60 s");
        Thread.sleep(1000);
    }

    private List<String> tilesWithoutData() {
        List<String> missing = new ArrayList<>();
        for (Page p : shell.pages().values()) {
            DashboardPage d = p instanceof DashboardPage dp ? dp : p instanceof io.andon.ui.health.HealthPage hp ? hp.dashboard() : null;
            if (d == null) continue;
            for (var t : d.viewModel().spec().tiles()) {
                TileState s = d.viewModel().tile(t.id()).get();
                if (s == null || !s.hasValue()) missing.add(d.id() + "/" + t.id());
            }
        }
        return missing;
    }

    private void shot(String name) throws Exception {
        Path file = out.resolve(name + ".png");
        fxRun(() -> {
            try {
                Snapshot.write(stage.getScene().getRoot(), file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        written.add(file.getFileName().toString());
    }

    private static void post(URI mes, String scenario) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(mes.resolve("/admin/scenario")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + scenario + "\"}")).build(), HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            System.err.println("screenshots: scenario " + scenario + " not set: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
