package io.andon.console;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the console's sources are. Built from the CLI/profile, or by the demo from the stack it started;
 * closing it stops whatever the context owns (the demo stack).
 */
public record ConsoleContext(
        URI prometheus,
        List<URI> alertmanagers,
        Optional<URI> elasticsearch,
        Optional<URI> exporter,
        Optional<URI> mesAdmin,
        Optional<java.nio.file.Path> dashboardsDir,
        java.time.Duration maxStaleness,
        List<AutoCloseable> owned) implements AutoCloseable {

    public ConsoleContext {
        alertmanagers = List.copyOf(alertmanagers);
        owned = new ArrayList<>(owned);
    }

    static ConsoleContext fromCli(Cli cli) {
        URI prom = URI.create(cli.prometheusUrl().orElse(System.getenv().getOrDefault("ANDON_PROMETHEUS_URL", "http://127.0.0.1:9090")));
        List<URI> ams = new ArrayList<>();
        cli.alertmanagerUrls().forEach(u -> ams.add(URI.create(u)));
        if (ams.isEmpty() && System.getenv("ANDON_ALERTMANAGER_URLS") != null) {
            for (String u : System.getenv("ANDON_ALERTMANAGER_URLS").split(",")) if (!u.isBlank()) ams.add(URI.create(u.trim()));
        }
        Optional<URI> es = Optional.ofNullable(System.getenv("ANDON_ELASTICSEARCH_URL")).filter(u -> !u.isBlank()).map(URI::create);
        if (cli.elasticsearchUrl().isPresent()) es = cli.elasticsearchUrl().map(URI::create);
        return new ConsoleContext(prom, ams, es, Optional.empty(), Optional.empty(),
                Optional.of(defaultDashboardsDir()), java.time.Duration.ZERO, List.of());
    }

    /** The per-user dashboards directory (XDG on Linux, AppData on Windows, Library on macOS). */
    public static java.nio.file.Path defaultDashboardsDir() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String home = System.getProperty("user.home");
        if (os.contains("win")) return java.nio.file.Path.of(System.getenv().getOrDefault("APPDATA", home), "Andon", "dashboards");
        if (os.contains("mac")) return java.nio.file.Path.of(home, "Library", "Application Support", "Andon", "dashboards");
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return java.nio.file.Path.of(xdg != null && !xdg.isBlank() ? xdg : home + "/.config", "andon", "dashboards");
    }

    @Override
    public void close() {
        for (AutoCloseable c : owned.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("andon: while stopping " + c + ": " + e.getMessage());
            }
        }
        owned.clear();
    }
}
