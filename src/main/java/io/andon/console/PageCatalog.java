package io.andon.console;

import io.andon.board.DashboardRepository;
import io.andon.board.PageSpec;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.ui.Page;
import io.andon.ui.Theme;
import io.andon.ui.dashboard.DashboardPage;
import io.andon.ui.dashboard.DashboardViewModel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds the console's pages: one dashboard page per YAML file, then the alerts and logs pages. */
final class PageCatalog {
    private PageCatalog() {}

    static PrometheusClient prometheus(ConsoleContext ctx) {
        return new PrometheusClient("Prometheus", ctx.endpoint(ctx.prometheus()));
    }

    record Catalog(List<Page> pages, java.util.Optional<io.andon.ui.alerts.AlertsViewModel> alerts,
                   java.util.Optional<io.andon.ui.logs.LogsPage> logs, java.util.Optional<io.andon.ui.traces.TracesPage> traces) {}

    /** The console's trace source for its configuration: Zipkin, Jaeger's query service or Tempo. */
    static io.andon.traces.TraceSource traceSource(ConsoleContext ctx, ConsoleContext.Traces t) {
        io.andon.net.Endpoint ep = ctx.endpoint(t.url()).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(20));
        return io.andon.traces.TraceSources.create(t.kind(), null, ep);
    }

    /** The links the traces page leads to (the logs page, the database page, a browser), resolved when clicked. */
    record TraceLinks(java.util.function.Consumer<java.net.URI> browser, io.andon.ui.traces.TraceView.LogsLink logs,
                      io.andon.ui.traces.TraceView.WindowLink database, io.andon.ui.traces.TraceView.WindowLink databaseLog) {
        static final TraceLinks NONE = new TraceLinks(null, null, null, null);
    }

    /** No journal (no Elasticsearch configured): acknowledgements still work, they live in Alertmanager. */
    private static final io.andon.journal.Journal NO_JOURNAL = new io.andon.journal.Journal() {
        @Override public void append(io.andon.journal.JournalEntry entry) {}
        @Override public List<io.andon.journal.JournalEntry> forAlert(String fingerprint) { return List.of(); }
        @Override public List<io.andon.journal.JournalEntry> between(java.time.Instant from, java.time.Instant to) { return List.of(); }
    };

    static Catalog create(ConsoleContext ctx, Theme theme, java.util.function.Consumer<io.andon.alertmanager.Alert> newCritical,
                          java.util.function.Consumer<io.andon.board.TileSpec> drillDown) {
        return create(ctx, theme, newCritical, drillDown, TraceLinks.NONE);
    }

    static Catalog create(ConsoleContext ctx, Theme theme, java.util.function.Consumer<io.andon.alertmanager.Alert> newCritical,
                          java.util.function.Consumer<io.andon.board.TileSpec> drillDown, TraceLinks traceLinks) {
        List<PageSpec> specs;
        try {
            specs = new DashboardRepository(ctx.dashboardsDir()).load();
        } catch (DashboardRepository.DashboardException e) {
            throw new IllegalStateException("dashboard configuration: " + e.getMessage(), e);
        }
        PrometheusClient prom = new PrometheusClient("Prometheus", ctx.endpoint(ctx.prometheus()));
        List<Page> pages = new ArrayList<>();
        java.util.Map<String, PrometheusClient> clients = new java.util.HashMap<>();
        // one hub per datasource: a query asked by several tiles or pages goes out once per cycle (issue 21)
        java.util.Map<String, io.andon.board.QueryHub> hubs = new java.util.HashMap<>();
        for (PageSpec s : specs) {
            ConsoleContext.Datasource ds = ctx.datasource(s.datasource());
            PrometheusClient pageProm = ds.name().equals("default") ? prom
                    : clients.computeIfAbsent(ds.name(), n -> new PrometheusClient(n, Endpoint.of(ds.url().toString())));
            io.andon.board.QueryHub hub = hubs.computeIfAbsent(ds.name(),
                    n -> new io.andon.board.QueryHub(pageProm, io.andon.board.QueryHub.DEFAULT_CONCURRENCY, ds.minInterval()));
            DashboardViewModel vm = new DashboardViewModel(s, hub, ds.maxStaleness());
            DashboardPage page = new DashboardPage(vm, theme, drillDown);
            if (s.id().equals("health")) {
                List<io.andon.board.SourceProbe.Check> checks = new ArrayList<>();
                checks.add(io.andon.board.SourceProbe.prometheus(ctx.endpoint(ctx.prometheus())));
                int n = 0;
                for (var am : ctx.alertmanagers()) checks.add(io.andon.board.SourceProbe.alertmanager(
                        ctx.alertmanagers().size() == 1 ? "Alertmanager" : "Alertmanager " + (++n), ctx.endpoint(am)));
                ctx.elasticsearch().ifPresent(es -> checks.add(io.andon.board.SourceProbe.elasticsearch(ctx.endpoint(es))));
                ctx.exporter().ifPresent(ex -> checks.add(io.andon.board.SourceProbe.exporter(Endpoint.of(ex.toString()))));
                ctx.traces().filter(t -> t.kind().equals("zipkin")).ifPresent(t -> checks.add(io.andon.board.SourceProbe.zipkin(ctx.endpoint(t.url()))));
                pages.add(new io.andon.ui.health.HealthPage(page, new io.andon.board.SourceProbe(checks), prom));
            } else {
                pages.add(page);
            }
        }
        java.util.Optional<io.andon.ui.alerts.AlertsViewModel> alerts = java.util.Optional.empty();
        if (!ctx.alertmanagers().isEmpty()) {
            List<io.andon.alertmanager.AlertmanagerClient> members = new ArrayList<>();
            int i = 0;
            for (var uri : ctx.alertmanagers()) {
                members.add(new io.andon.alertmanager.AlertmanagerClient(ctx.alertmanagers().size() == 1 ? "Alertmanager" : "Alertmanager " + (++i),
                        ctx.endpoint(uri)));
            }
            var pool = new io.andon.alertmanager.AlertmanagerPool(members);
            // 1 s by default: an ack made on another console must reach this one's banner within 2 s (issue 19)
            Duration poll = io.andon.util.Durations.parse(System.getProperty("andon.alerts.poll", "1s"));
            var keeper = new io.andon.alertmanager.AckKeeper(pool);
            var vm = new io.andon.ui.alerts.AlertsViewModel(sink -> new io.andon.alertmanager.AlertService(pool, poll,
                    snap -> sink.accept(snap, null), crit -> sink.accept(null, crit), java.time.Clock.systemUTC()).withKeeper(keeper), newCritical)
                    .withHistory(new io.andon.board.AlertHistory(prom))
                    .withAcknowledger(new io.andon.alertmanager.Acknowledger(pool, AndonApp.journal(ctx).orElse(NO_JOURNAL), AndonApp.consoleName(), keeper.hold(), java.time.Clock.systemUTC()));
            pages.add(new io.andon.ui.alerts.AlertsPage(vm));
            vm.start();
            alerts = java.util.Optional.of(vm);
        }
        java.util.Optional<io.andon.ui.logs.LogsPage> logs = java.util.Optional.empty();
        if (ctx.elasticsearch().isPresent()) {
            // every configured node: the client moves to the next when one is down (one search keeps its node)
            var client = new io.andon.logs.LogClient("Elasticsearch", ctx.elasticsearchNodes().stream()
                    .map(u -> ctx.endpoint(u).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30))).toList());
            var lp = new io.andon.ui.logs.LogsPage(new io.andon.ui.logs.LogsViewModel(client));
            pages.add(lp);
            logs = java.util.Optional.of(lp);
        }
        java.util.Optional<io.andon.ui.traces.TracesPage> traces = java.util.Optional.empty();
        if (ctx.traces().isPresent()) {
            var tp = new io.andon.ui.traces.TracesPage(new io.andon.ui.traces.TracesViewModel(traceSource(ctx, ctx.traces().get())),
                    traceLinks.browser(), logs.isPresent() ? traceLinks.logs() : null, traceLinks.database(),
                    logs.isPresent() ? traceLinks.databaseLog() : null);
            pages.add(tp);
            traces = java.util.Optional.of(tp);
        }
        // the shift handover report: preview and save (the shift-end job runs from AndonApp, not here)
        try {
            var built = ReportWiring.build(ctx, ReportWiring.schedule(), new io.andon.report.Java2DChartRenderer(), AndonApp.journal(ctx));
            pages.add(new io.andon.ui.reports.ReportsPage(built.reports(), built::close));
        } catch (java.io.IOException e) {
            System.err.println("andon: no Reports page: " + e.getMessage());
        }
        return new Catalog(pages, alerts, logs, traces);
    }
}
