package io.andon.console;

import io.andon.ui.I18n;
import io.andon.ui.Page;
import io.andon.ui.Theme;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The JavaFX application: builds the shell from the page catalog and applies CLI choices. */
public final class AndonApp extends Application {
    private static volatile Cli cli = Cli.parse();
    private static volatile ConsoleContext context;

    private Shell shell;
    private List<Page> pages;
    /** Opens a URL in the desktop's browser ("open in Zipkin"); set once the application runs. */
    private static volatile java.util.function.Consumer<java.net.URI> browser;

    static void launchWith(Cli c) {
        cli = c;
        Application.launch(AndonApp.class);
    }

    /** Tests and the demo hand in a ready context (connections) before launch. */
    public static void setContext(ConsoleContext ctx) { context = ctx; }

    @Override
    public void init() {
        StartupTrace.mark("Application.init (toolkit up)");
    }

    @Override
    public void start(Stage stage) {
        StartupTrace.mark("Application.start");
        var hosts = getHostServices();
        browser = u -> hosts.showDocument(u.toString());
        io.andon.settings.UiState state = cli.snapshot().isPresent() ? new io.andon.settings.UiState(java.nio.file.Path.of("/nonexistent/ui.properties"))
                : io.andon.settings.UiState.load();
        cli.lang().or(() -> state.get("lang").map(java.util.Locale::forLanguageTag)).ifPresent(I18n::setLocale);
        Theme theme = cli.theme().or(() -> state.get("theme")).map(Theme::of).orElse(Theme.DARK);
        io.andon.ui.Appearance.set(theme);
        if (context == null) context = CliCheck.check(cli); // Main hands one in after the same checks
        Stage st = stage;
        shell = build(context, theme, profile -> reconnect(st, profile));
        pages = List.copyOf(shell.pages().values());
        StartupTrace.mark("shell built");
        double w = state.number("width").orElse(1920.0), h = state.number("height").orElse(1080.0);
        Scene scene = new Scene(shell, cli.snapshot().isPresent() ? 1920 : w, cli.snapshot().isPresent() ? 1080 : h);
        theme.applyTo(scene);
        state.number("x").ifPresent(stage::setX);
        state.number("y").ifPresent(stage::setY);
        stage.setTitle("Andon");
        var icon = AndonApp.class.getResource("/io/andon/icons/andon-256.png");
        if (icon != null) stage.getIcons().add(new javafx.scene.image.Image(icon.toExternalForm()));
        stage.setScene(scene);
        String first = cli.page().or(() -> state.get("page").filter(shell.pages()::containsKey)).orElse(pages.getFirst().id());
        // the first page's refresh starts now, off the FX thread, while the window and the page are built
        Page firstPage = shell.pages().get(first);
        if (firstPage == null) shell.show(first); // an unknown --page fails here, with its message, before any window
        firstPage.startEarly();
        stage.setOnCloseRequest(e -> {
            if (!stage.isFullScreen()) {
                state.set("x", stage.getX());
                state.set("y", stage.getY());
                state.set("width", scene.getWidth());
                state.set("height", scene.getHeight());
            }
            shell.current().ifPresent(p -> state.set("page", p.id()));
            state.save();
            shutdown();
        });
        stage.show();
        StartupTrace.mark("window shown");
        // the first page only now, into a window already showing: TilesFX queues every setter's redraw while its
        // tile is not in a showing window and replays the queue once it is — after the skins exist when the
        // page was in the scene before show() (hundreds of full redraws on the way to the first paint), into no
        // skin yet when it is added afterwards (each skin then draws once, at the next pulse)
        shell.show(first);
        StartupTrace.mark("first page built and shown");
        addWallButton(stage);
        if (cli.snapshot().isEmpty()) startWatchdog(stage);
        if (cli.wall()) enterWall(stage);
        cli.snapshot().ifPresent(file -> snapshotAndExit(scene, file));
        // each finished shift's handover report into the reports folder (not for a one-off snapshot)
        if (cli.snapshot().isEmpty()) ReportWiring.startShiftEndJob(context, journal(context)).ifPresent(context.owned()::add);
    }

    private WallMode wallMode;
    private FxWatchdog watchdog;
    private final WatchdogNotice watchdogNotice = new WatchdogNotice();

    /**
     * Issue 21: a frozen FX thread or a refresh that never returns is logged with a thread dump and shown in the
     * status bar; on the wall, where nobody reads it, the console rebuilds its pages.
     */
    private void startWatchdog(Stage stage) {
        watchdog = new FxWatchdog(FxWatchdog.FX_LIMIT, FxWatchdog.REFRESH_LIMIT, s -> {
            boolean fx = s.name().startsWith("JavaFX");
            // the FX thread's stall is shown when it is over (it could show nothing before), a refresh's at once
            if (fx != s.recovered()) return;
            watchdogNotice.show(s, shell);
            if (wallMode != null && wallMode.active()) {
                rebuild(stage);
                LoggerFactory.getLogger(AndonApp.class).warn("wall mode: pages rebuilt after a stall of {}", s.name());
            }
        }).start();
        watchdog.watchPages(shell.pages().values());
        watchdog.onRebuildTrigger(() -> {
            rebuild(stage);
            LoggerFactory.getLogger(AndonApp.class).warn("console rebuilt: test trigger andon.test.rebuildTrigger");
        });
    }

    /** New pages on the same sources, the wall re-entered: what a person would do by restarting the console. */
    private void rebuild(Stage stage) {
        boolean wall = wallMode != null && wallMode.active();
        if (wall) wallMode.leave();
        String showing = shell == null ? null : shell.current().map(Page::id).orElse(null);
        if (shell != null) shell.dispose();
        io.andon.util.Activity.REBUILDS.incrementAndGet();
        Shell next = build(context, io.andon.ui.Appearance.theme(), p -> reconnect(stage, p));
        // off the wall the page that was open stays open (the wall starts its rotation again from the first)
        adopt(stage, next, !wall && showing != null && next.pages().containsKey(showing) ? showing : next.pages().keySet().iterator().next());
        if (wall) enterWall(stage);
    }

    /**
     * A newly built console into the window, with what belongs to the window rather than to a console: the wall
     * button, the watchdog's notice and its watch on the pages (a notice left behind kept a whole old console alive).
     */
    private void adopt(Stage stage, Shell next, String page) {
        shell = next;
        pages = List.copyOf(shell.pages().values());
        stage.getScene().setRoot(shell);
        shell.show(page);
        addWallButton(stage);
        watchdogNotice.moveTo(shell);
        if (watchdog != null) watchdog.watchPages(shell.pages().values());
    }

    private void enterWall(Stage stage) {
        List<String> playlist = shell.pages().keySet().stream().filter(id -> !id.equals("logs") && !id.equals("settings") && !id.equals("traces") && !id.equals("reports")).toList();
        wallMode = new WallMode(stage, shell, playlist, cli.wallDwell(),
                (Banner.Live) shell.getProperties().get(Banner.Live.class));
        wallMode.enter(cli.monitor());
        alarmWatch(shell).ifPresent(w -> wallMode.holdAlertsWhile(w.holdWall(), () -> w.snooze(java.time.Duration.ofMinutes(5))));
    }

    /** The menu's way onto the wall (the CLI's is --wall). */
    private void addWallButton(Stage stage) {
        javafx.scene.control.Button wall = new javafx.scene.control.Button();
        wall.setId("enter-wall");
        wall.textProperty().bind(I18n.bind("wall.enter"));
        wall.setFocusTraversable(false);
        wall.setOnAction(e -> enterWall(stage));
        shell.navExtras().getChildren().add(wall);
    }

    /** Settings saved a profile: dispose the pages and build the console again on the new sources. */
    private void reconnect(Stage stage, io.andon.settings.Profile profile) {
        var dir = io.andon.settings.UiState.configDir();
        ConsoleContext next = ConsoleContext.fromProfile(profile, io.andon.settings.SecretStore.forUser(dir));
        var state = io.andon.settings.UiState.load();
        state.set("profile", profile.name());
        state.save();
        if (shell != null) shell.dispose();
        io.andon.util.Activity.REBUILDS.incrementAndGet();
        context = next;
        Shell built = build(next, io.andon.ui.Appearance.theme(), p -> reconnect(stage, p));
        adopt(stage, built, built.pages().keySet().iterator().next());
    }

    /** The sources the console is connected to, as a profile for the settings page (nothing saved). */
    static io.andon.settings.Profile inUse(ConsoleContext ctx) {
        var none = new io.andon.settings.Profile.Source("", null, null);
        var ams = ctx.alertmanagers().stream().map(u -> new io.andon.settings.Profile.Source(u.toString(), null, null)).toList();
        var p = new io.andon.settings.Profile(I18n.text("settings.inUse"), new io.andon.settings.Profile.Source(ctx.prometheus().toString(), null, null),
                ams, ctx.elasticsearch().map(u -> new io.andon.settings.Profile.Source(u.toString(), null, null)).orElse(none));
        return ctx.traces().map(t -> p.withTraces(new io.andon.settings.Profile.Traces(t.kind(), t.url().toString(), null, null))).orElse(p);
    }

    public static Shell build(ConsoleContext ctx, Theme theme) {
        return build(ctx, theme, p -> {});
    }

    /** The whole console for a context: pages from the dashboards, alerts, drill-down, chrome. FX thread. */
    public static Shell build(ConsoleContext ctx, Theme theme, java.util.function.Consumer<io.andon.settings.Profile> onProfileSaved) {
        Shell[] holder = new Shell[1];
        io.andon.ui.logs.LogsPage[] logs = new io.andon.ui.logs.LogsPage[1];
        // the drill-down (a chart, its own client) is built on the first tile click, not before the first paint
        io.andon.ui.detail.DetailPage[] detail = new io.andon.ui.detail.DetailPage[1];
        io.andon.ui.traces.TracesPage[] traces = new io.andon.ui.traces.TracesPage[1];
        // one click from an exemplar dot or a log line to the waterfall
        io.andon.ui.traces.TraceLink traceLink = ctx.traces().isEmpty() ? null : id -> {
            holder[0].show("traces");
            traces[0].openTrace(id);
        };
        java.util.function.Supplier<io.andon.ui.detail.DetailPage> detailPage = () -> {
            if (detail[0] == null) {
                detail[0] = new io.andon.ui.detail.DetailPage(
                        new io.andon.ui.detail.DetailViewModel(PageCatalog.prometheus(ctx)), () -> holder[0].back(),
                        ctx.elasticsearch().isEmpty() ? null : (from, to, service) -> {
                            holder[0].show("logs");
                            logs[0].open(from, to, service);
                        }, traceLink);
            }
            return detail[0];
        };
        PageCatalog.TraceLinks traceLinks = new PageCatalog.TraceLinks(u -> {
            if (browser != null) browser.accept(u);
        }, (traceId, spanId, from, to) -> {
            holder[0].show("logs");
            logs[0].openTrace(traceId, spanId, from, to);
        }, (from, to) -> openDatabase(holder[0], detailPage, from), (from, to) -> {
            // a SQL span's PostgreSQL server log lines (issue 17's mes-database), slowest first
            holder[0].show("logs");
            logs[0].open(from, to, io.andon.logs.LogQuery.DATABASE_SERVICE);
        });
        // a new critical needs no call here: the live banner follows the view model, and the banner slot's ranks put
        // an escalation or a flood over it (they summarise: single criticals are not announced one by one then)
        PageCatalog.Catalog catalog = PageCatalog.create(ctx, theme, alert -> {}, tile -> {
            io.andon.ui.detail.DetailPage d = detailPage.get();
            d.show(tile);
            holder[0].showOverlay(d.view());
        }, traceLinks);
        var dir = io.andon.settings.UiState.configDir();
        var profiles = new io.andon.settings.ProfileStore(dir);
        io.andon.settings.Profile current = profiles.list().stream().filter(p -> p.prometheus() != null
                && ctx.prometheus().toString().equals(p.prometheus().url())).findFirst().orElse(null);
        // no stored profile for these sources (the demo, --prometheus on the command line): show the ones in use,
        // not empty fields while the console is connected
        if (current == null) current = inUse(ctx);
        List<Page> all = new java.util.ArrayList<>(catalog.pages());
        all.add(new io.andon.ui.settings.SettingsPage(profiles, io.andon.settings.SecretStore.forUser(dir), current, onProfileSaved));
        Shell shell = new Shell(all);
        holder[0] = shell;
        logs[0] = catalog.logs().orElse(null);
        traces[0] = catalog.traces().orElse(null);
        if (logs[0] != null && traceLink != null) logs[0].setTraceLink(traceLink);
        // a logs screen left alone (a second monitor beside the wall) starts with its live tail on: logs.tail = on
        if (logs[0] != null && setting("logs.tail").map(v -> v.strip().equalsIgnoreCase("on") || v.strip().equalsIgnoreCase("true")).orElse(false)) {
            logs[0].startTail();
        }
        if (logs[0] != null && shell.pages().get("alerts") instanceof io.andon.ui.alerts.AlertsPage ap) {
            ap.setLogsLink((from, to, service) -> {
                shell.show("logs");
                logs[0].open(from, to, service);
            });
        }
        catalog.alerts().ifPresent(vm -> shell.navExtras().getChildren().add(Banner.counts(vm, () -> shell.show("alerts"))));
        // kept on the shell: the wall reads it (key A acknowledges from the keyboard)
        catalog.alerts().ifPresent(vm -> shell.getProperties().put(Banner.Live.class, Banner.live(shell, vm)));
        catalog.alerts().ifPresent(vm -> alarms(ctx, shell, vm));
        ctx.mesAdmin().ifPresent(mes -> {
            ScenarioMenu menu = new ScenarioMenu(mes);
            shell.navExtras().getChildren().add(0, menu);
            shell.onDispose(menu::close);
        });
        shell.navExtras().getChildren().add(new AppearanceMenu(shell::getScene, () -> {
            var st = io.andon.settings.UiState.load();
            st.set("theme", io.andon.ui.Appearance.theme().id);
            st.set("lang", I18n.locale().toLanguageTag());
            st.save();
        }));
        return shell;
    }

    /**
     * Console settings: a system property {@code andon.<key>} (tests, one-off runs) over ui.properties in the config
     * dir (escalation.critical.after = 10m, escalation.critical.sound = 30s, flood.start = 10, flood.window = 10m, ...).
     */
    static java.util.Optional<String> setting(String key) {
        String p = System.getProperty("andon." + key);
        if (p != null && !p.isBlank()) return java.util.Optional.of(p);
        return io.andon.settings.UiState.load().get(key);
    }

    /** This console's name in the journal: setting console.name, else the host name. */
    static String consoleName() {
        return setting("console.name").orElseGet(() -> {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return System.getenv().getOrDefault("HOSTNAME", "console");
            }
        });
    }

    /**
     * The operator journal when Elasticsearch is configured (andon-journal-* on the same cluster as the logs, with
     * the same credentials): its disk queue lives in the state dir ({@code andon.state.dir}, else the config dir),
     * slot journal, journal-2, … when another console of this user holds the first. Owned by the context. Off with
     * {@code -Dandon.journal=off}.
     */
    static java.util.Optional<io.andon.journal.Journal> openJournal(ConsoleContext ctx) {
        if (ctx.elasticsearch().isEmpty() || "off".equals(System.getProperty("andon.journal"))) return java.util.Optional.empty();
        java.nio.file.Path base = java.util.Optional.ofNullable(System.getProperty("andon.state.dir")).map(java.nio.file.Path::of)
                .orElse(io.andon.settings.UiState.configDir());
        String last = null;
        for (int slot = 1; slot <= 9; slot++) {
            try {
                var j = new io.andon.journal.ElasticsearchJournal("Elasticsearch", ctx.elasticsearchNodes().stream()
                        .map(u -> ctx.endpoint(u).withTimeouts(java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(30))).toList(),
                        base.resolve(slot == 1 ? "journal" : "journal-" + slot));
                ctx.owned().add(j);
                return java.util.Optional.of(j);
            } catch (io.andon.journal.JournalException e) {
                last = e.getMessage();
            }
        }
        System.err.println("andon: no operator journal: " + last);
        return java.util.Optional.empty();
    }

    /**
     * The one operator journal of a context (opened on first use, then found among what the context owns): the
     * acknowledgement code, the escalation watch and the shift report write and read the same journal and queue.
     */
    static synchronized java.util.Optional<io.andon.journal.Journal> journal(ConsoleContext ctx) {
        for (AutoCloseable o : ctx.owned()) if (o instanceof io.andon.journal.Journal j) return java.util.Optional.of(j);
        return openJournal(ctx);
    }

    /** The escalation/flood watch of a console built by {@link #build}, when it has an alerts page. */
    public static java.util.Optional<io.andon.ui.alerts.AlarmWatch> alarmWatch(Shell shell) {
        return java.util.Optional.ofNullable((io.andon.ui.alerts.AlarmWatch) shell.getProperties().get(io.andon.ui.alerts.AlarmWatch.class));
    }

    /** The operator journal of a console built by {@link #build} (the acknowledgement code appends to it). */
    public static java.util.Optional<io.andon.journal.Journal> journal(Shell shell) {
        return java.util.Optional.ofNullable((io.andon.journal.Journal) shell.getProperties().get(io.andon.journal.Journal.class));
    }

    private static io.andon.ui.alerts.AlarmWatch alarms(ConsoleContext ctx, Shell shell, io.andon.ui.alerts.AlertsViewModel vm) {
        var journal = journal(ctx);
        journal.ifPresent(j -> {
            shell.getProperties().put(io.andon.journal.Journal.class, j);
            if (shell.pages().get("alerts") instanceof io.andon.ui.alerts.AlertsPage ap) ap.setJournal(j);
        });
        java.time.Clock clock = java.time.Clock.systemUTC();
        var w = new io.andon.ui.alerts.AlarmWatch(vm, clock, io.andon.alertmanager.Escalation.fromSettings(AndonApp::setting),
                io.andon.alertmanager.FloodDetector.Config.fromSettings(AndonApp::setting), journal.orElse(null), consoleName(),
                io.andon.ui.alerts.AlarmSound.fromSettings(AndonApp::setting)::ring);
        shell.onDispose(w::close); // per console, not per context: a rebuilt console has its own
        shell.getProperties().put(io.andon.ui.alerts.AlarmWatch.class, w);
        Banner.alarms(shell, w, clock);
        return w;
    }

    /**
     * "Database page at this time" from a SQL span: the database page's SQL latency drill-down over a window that
     * reaches back to the span; the database page itself when it has no such tile.
     */
    private static void openDatabase(Shell shell, java.util.function.Supplier<io.andon.ui.detail.DetailPage> detail, java.time.Instant since) {
        if (!shell.pages().containsKey("database")) return;
        shell.show("database");
        if (shell.pages().get("database") instanceof io.andon.ui.dashboard.DashboardPage dp) {
            dp.viewModel().spec().tiles().stream().filter(t -> t.id().equals("query-p99")).findFirst().ifPresent(t -> {
                io.andon.ui.detail.DetailPage d = detail.get();
                d.show(t, since);
                shell.showOverlay(d.view());
            });
        }
    }

    private void snapshotAndExit(Scene scene, Path file) {
        Page page = shell.current().orElseThrow();
        page.firstData().orTimeout(30, TimeUnit.SECONDS).whenComplete((ok, err) -> Platform.runLater(() -> {
            int code = 0;
            StartupTrace.mark("first data on the page");
            if (err != null) {
                LoggerFactory.getLogger(AndonApp.class).warn("snapshot taken before the first data arrived: {}", err.toString());
                code = 4;
            }
            try {
                Snapshot.write(scene.getRoot(), file);
                System.out.println("snapshot written: " + file.toAbsolutePath());
                StartupTrace.mark("snapshot written");
            } catch (Exception e) {
                System.err.println("andon: could not write snapshot " + file + ": " + e.getMessage());
                code = 5;
            }
            shutdown();
            System.exit(code);
        }));
    }

    private void shutdown() {
        if (watchdog != null) watchdog.close();
        if (shell != null) shell.dispose();
        if (context != null) context.close();
        Platform.exit();
    }
}
