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
                   java.util.Optional<io.andon.ui.logs.LogsPage> logs) {}

    static Catalog create(ConsoleContext ctx, Theme theme, java.util.function.Consumer<io.andon.alertmanager.Alert> newCritical,
                          java.util.function.Consumer<io.andon.board.TileSpec> drillDown) {
        List<PageSpec> specs;
        try {
            specs = new DashboardRepository(ctx.dashboardsDir()).load();
        } catch (DashboardRepository.DashboardException e) {
            throw new IllegalStateException("dashboard configuration: " + e.getMessage(), e);
        }
        PrometheusClient prom = new PrometheusClient("Prometheus", ctx.endpoint(ctx.prometheus()));
        List<Page> pages = new ArrayList<>();
        java.util.Map<String, PrometheusClient> clients = new java.util.HashMap<>();
        for (PageSpec s : specs) {
            ConsoleContext.Datasource ds = ctx.datasource(s.datasource());
            PrometheusClient pageProm = ds.name().equals("default") ? prom
                    : clients.computeIfAbsent(ds.name(), n -> new PrometheusClient(n, Endpoint.of(ds.url().toString())));
            DashboardViewModel vm = new DashboardViewModel(s, pageProm, ds.maxStaleness());
            DashboardPage page = new DashboardPage(vm, theme, drillDown);
            if (s.id().equals("health")) {
                List<io.andon.board.SourceProbe.Check> checks = new ArrayList<>();
                checks.add(io.andon.board.SourceProbe.prometheus(ctx.endpoint(ctx.prometheus())));
                int n = 0;
                for (var am : ctx.alertmanagers()) checks.add(io.andon.board.SourceProbe.alertmanager(
                        ctx.alertmanagers().size() == 1 ? "Alertmanager" : "Alertmanager " + (++n), ctx.endpoint(am)));
                ctx.elasticsearch().ifPresent(es -> checks.add(io.andon.board.SourceProbe.elasticsearch(ctx.endpoint(es))));
                ctx.exporter().ifPresent(ex -> checks.add(io.andon.board.SourceProbe.exporter(Endpoint.of(ex.toString()))));
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
            var vm = new io.andon.ui.alerts.AlertsViewModel(sink -> new io.andon.alertmanager.AlertService(pool, Duration.ofSeconds(5),
                    snap -> sink.accept(snap, null), crit -> sink.accept(null, crit), java.time.Clock.systemUTC()), newCritical)
                    .withHistory(new io.andon.board.AlertHistory(prom));
            pages.add(new io.andon.ui.alerts.AlertsPage(vm));
            vm.start();
            alerts = java.util.Optional.of(vm);
        }
        java.util.Optional<io.andon.ui.logs.LogsPage> logs = java.util.Optional.empty();
        if (ctx.elasticsearch().isPresent()) {
            var client = new io.andon.logs.LogClient("Elasticsearch", List.of(ctx.endpoint(ctx.elasticsearch().get())
                    .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30))));
            var lp = new io.andon.ui.logs.LogsPage(new io.andon.ui.logs.LogsViewModel(client));
            pages.add(lp);
            logs = java.util.Optional.of(lp);
        }
        return new Catalog(pages, alerts, logs);
    }
}
