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
        List<AutoCloseable> owned,
        java.util.Map<String, Datasource> datasources,
        java.util.Map<URI, io.andon.net.Endpoint> endpoints,
        List<URI> elasticsearchNodes,
        Optional<Traces> traces) implements AutoCloseable {

    /** A trace backend's query API: Zipkin (the default kind), Jaeger's query service or Tempo. */
    public record Traces(URI url, String kind) {
        public static final List<String> KINDS = List.of("zipkin", "jaeger", "tempo");

        public Traces {
            kind = kind == null || kind.isBlank() ? "zipkin" : kind.strip().toLowerCase(java.util.Locale.ROOT);
            if (!KINDS.contains(kind)) throw new IllegalArgumentException("trace source kind '" + kind + "' is not one of " + KINDS);
        }

        /** {@code URL[,kind=jaeger]} from --traces or ANDON_TRACES_URL. */
        static Traces parse(String option, String spec) {
            String[] parts = spec.split(",");
            String kind = "zipkin";
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.startsWith("kind=")) kind = p.substring(5);
                else throw new IllegalArgumentException(option + ": unknown option '" + p + "' (only kind=zipkin|jaeger|tempo)");
            }
            try {
                return new Traces(ConsoleContext.url(option, parts[0]), kind);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(option) ? e.getMessage() : option + ": " + e.getMessage());
            }
        }
    }

    /** Without a trace source (the form before traces). */
    public ConsoleContext(URI prometheus, List<URI> alertmanagers, Optional<URI> elasticsearch, Optional<URI> exporter,
                          Optional<URI> mesAdmin, Optional<java.nio.file.Path> dashboardsDir, java.time.Duration maxStaleness,
                          List<AutoCloseable> owned, java.util.Map<String, Datasource> datasources,
                          java.util.Map<URI, io.andon.net.Endpoint> endpoints, List<URI> elasticsearchNodes) {
        this(prometheus, alertmanagers, elasticsearch, exporter, mesAdmin, dashboardsDir, maxStaleness, owned, datasources, endpoints,
                elasticsearchNodes, Optional.empty());
    }

    /** The same context with a trace source (the demo's Zipkin). */
    public ConsoleContext withTraces(Traces t) {
        return new ConsoleContext(prometheus, alertmanagers, elasticsearch, exporter, mesAdmin, dashboardsDir, maxStaleness, owned, datasources,
                endpoints, elasticsearchNodes, Optional.ofNullable(t));
    }

    /** The endpoint for a URL: with the profile's credentials and CA when it has them. */
    public io.andon.net.Endpoint endpoint(URI url) {
        return endpoints.getOrDefault(url, io.andon.net.Endpoint.of(url.toString()));
    }

    /** A context from a saved profile; passwords and tokens come from the secret store. */
    public static ConsoleContext fromProfile(io.andon.settings.Profile p, io.andon.settings.SecretStore secrets) {
        java.util.Map<URI, io.andon.net.Endpoint> eps = new java.util.LinkedHashMap<>();
        java.util.function.BiFunction<String, io.andon.settings.Profile.Source, URI> add = (key, src) -> {
            URI u = URI.create(src.url().strip());
            io.andon.net.Endpoint e = io.andon.net.Endpoint.of(u.toString());
            java.util.Optional<char[]> secret = secrets.get(p.name(), key);
            e = e.withAuth(io.andon.net.Endpoint.Auth.of(src.user(), secret.orElse(null)));
            secret.ifPresent(c -> java.util.Arrays.fill(c, '\0'));
            if (src.caFile() != null && !src.caFile().isBlank()) e = e.withCa(java.nio.file.Path.of(src.caFile()));
            eps.put(u, e);
            return u;
        };
        if (p.prometheus() == null || !p.prometheus().hasUrl()) throw new IllegalArgumentException("profile " + p.name() + " has no Prometheus URL");
        URI prom = add.apply("prometheus", p.prometheus());
        List<URI> ams = new ArrayList<>();
        int i = 0;
        for (var am : p.alertmanagers()) if (am.hasUrl()) ams.add(add.apply("alertmanager" + (i++), am));
        // Elasticsearch may name several nodes ("https://es1:9200, https://es2:9200"), all with the same user and CA
        List<URI> esNodes = new ArrayList<>();
        if (p.elasticsearch() != null && p.elasticsearch().hasUrl()) {
            for (String node : p.elasticsearch().nodes()) {
                esNodes.add(add.apply("elasticsearch", new io.andon.settings.Profile.Source(node, p.elasticsearch().user(), p.elasticsearch().caFile())));
            }
        }
        ConsoleContext ctx = new ConsoleContext(prom, ams, esNodes.stream().findFirst(), Optional.empty(), Optional.empty(), Optional.of(defaultDashboardsDir()),
                java.time.Duration.ZERO, List.of(), java.util.Map.of(), eps, esNodes);
        // the trace source's endpoint carries the profile's credentials and CA like the others (secret key "traces")
        if (p.tracesIfSet().isPresent()) {
            var t = p.tracesIfSet().get();
            URI u = add.apply(io.andon.settings.Profile.TRACES_SECRET, t.source());
            ctx = new ConsoleContext(ctx.prometheus(), ctx.alertmanagers(), ctx.elasticsearch(), ctx.exporter(), ctx.mesAdmin(), ctx.dashboardsDir(),
                    ctx.maxStaleness(), ctx.owned(), ctx.datasources(), eps, ctx.elasticsearchNodes(), Optional.of(new Traces(u, t.kind())));
        }
        return ctx;
    }

    /**
     * A Prometheus-compatible query API (Prometheus, Thanos Query, Mimir, VictoriaMetrics). Staleness is per
     * datasource: VictoriaMetrics, for one, hides its newest 30 s.
     */
    public record Datasource(String name, URI url, java.time.Duration maxStaleness, java.time.Duration minInterval) {
        /** With the default minimum refresh interval ({@link io.andon.board.QueryHub#DEFAULT_MIN_INTERVAL}). */
        public Datasource(String name, URI url, java.time.Duration maxStaleness) {
            this(name, url, maxStaleness, io.andon.board.QueryHub.DEFAULT_MIN_INTERVAL);
        }

        static Datasource parse(String spec) {
            String[] parts = spec.split(",");
            int eq = parts[0].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--datasource wants NAME=URL[,staleness=45s], not '" + spec + "'");
            String name = parts[0].substring(0, eq).strip();
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("--datasource: name '" + name + "' may hold only letters, digits, '_', '.' and '-'");
            }
            java.time.Duration st = java.time.Duration.ZERO;
            java.time.Duration min = io.andon.board.QueryHub.DEFAULT_MIN_INTERVAL;
            for (int i = 1; i < parts.length; i++) {
                boolean stale = parts[i].startsWith("staleness="), floor = parts[i].startsWith("min-interval=");
                if (stale || floor) {
                    try {
                        java.time.Duration d = io.andon.util.Durations.parse(parts[i].substring(parts[i].indexOf('=') + 1));
                        if (stale) st = d;
                        else min = d;
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--datasource " + name + ": " + e.getMessage());
                    }
                } else {
                    throw new IllegalArgumentException("--datasource " + name + ": unknown option '" + parts[i]
                            + "' (only staleness=DURATION and min-interval=DURATION)");
                }
            }
            return new Datasource(name, ConsoleContext.url("--datasource " + name, parts[0].substring(eq + 1)), st, min);
        }
    }

    /**
     * A URL from the command line or the environment, checked now with the option named: http or https, a host, no
     * credentials (which would be echoed in every message that prints the URL; never echoed here either).
     */
    static URI url(String option, String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) throw new IllegalArgumentException(option + " needs a URL");
        if (t.contains("@")) {
            try {
                if (new URI(t).getUserInfo() != null) throw new IllegalArgumentException(option + ": the URL must not carry credentials (use a profile and the keyring)");
            } catch (java.net.URISyntaxException ignored) {
                // reported below, without echoing it
            }
        }
        URI u;
        try {
            u = new URI(t);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(option + ": " + (t.contains("@") ? "the URL" : "'" + t + "'") + " is not a URL (" + e.getReason() + ")");
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new IllegalArgumentException(option + ": '" + t + "' must start with http:// or https://");
        }
        if (u.getHost() == null) throw new IllegalArgumentException(option + ": '" + t + "' has no host");
        return u;
    }

    /** The datasource of a page: its own name, or "default" (the --prometheus URL). */
    public Datasource datasource(String name) {
        if (name == null || name.isBlank() || name.equals("default")) {
            return datasources.getOrDefault("default", new Datasource("default", prometheus, maxStaleness));
        }
        Datasource d = datasources.get(name);
        if (d == null) throw new IllegalStateException("datasource '" + name + "' is not configured (use --datasource " + name + "=URL)");
        return d;
    }

    public ConsoleContext {
        alertmanagers = List.copyOf(alertmanagers);
        // every node the logs page may ask; the first is also the one the probes and drill-downs name
        elasticsearchNodes = elasticsearchNodes == null || elasticsearchNodes.isEmpty() ? elasticsearch.stream().toList() : List.copyOf(elasticsearchNodes);
        if (elasticsearch.isEmpty() && !elasticsearchNodes.isEmpty()) elasticsearch = Optional.of(elasticsearchNodes.getFirst());
        owned = new ArrayList<>(owned);
        datasources = datasources == null ? java.util.Map.of() : java.util.Map.copyOf(datasources);
        endpoints = endpoints == null ? java.util.Map.of() : java.util.Map.copyOf(endpoints);
        traces = traces == null ? Optional.empty() : traces;
    }

    public ConsoleContext(URI prometheus, List<URI> alertmanagers, Optional<URI> elasticsearch, Optional<URI> exporter,
                          Optional<URI> mesAdmin, Optional<java.nio.file.Path> dashboardsDir, java.time.Duration maxStaleness,
                          List<AutoCloseable> owned, java.util.Map<String, Datasource> datasources) {
        this(prometheus, alertmanagers, elasticsearch, exporter, mesAdmin, dashboardsDir, maxStaleness, owned, datasources, java.util.Map.of(), List.of());
    }

    /** Without per-page datasources (all pages on the one Prometheus). */
    public ConsoleContext(URI prometheus, List<URI> alertmanagers, Optional<URI> elasticsearch, Optional<URI> exporter,
                          Optional<URI> mesAdmin, Optional<java.nio.file.Path> dashboardsDir, java.time.Duration maxStaleness,
                          List<AutoCloseable> owned) {
        this(prometheus, alertmanagers, elasticsearch, exporter, mesAdmin, dashboardsDir, maxStaleness, owned, java.util.Map.of());
    }

    static ConsoleContext fromCli(Cli cli) {
        URI prom = cli.prometheusUrl().isPresent() ? url("--prometheus", cli.prometheusUrl().get())
                : url("ANDON_PROMETHEUS_URL", System.getenv().getOrDefault("ANDON_PROMETHEUS_URL", "http://127.0.0.1:9090"));
        List<URI> ams = new ArrayList<>();
        cli.alertmanagerUrls().forEach(u -> ams.add(url("--alertmanager", u)));
        if (ams.isEmpty() && System.getenv("ANDON_ALERTMANAGER_URLS") != null) {
            for (String u : System.getenv("ANDON_ALERTMANAGER_URLS").split(",")) if (!u.isBlank()) ams.add(url("ANDON_ALERTMANAGER_URLS", u));
        }
        List<URI> es = new ArrayList<>();
        String esOption = cli.elasticsearchUrl().isPresent() ? "--elasticsearch" : "ANDON_ELASTICSEARCH_URL";
        String esText = cli.elasticsearchUrl().orElse(System.getenv("ANDON_ELASTICSEARCH_URL"));
        if (esText != null) for (String u : new io.andon.settings.Profile.Source(esText, null, null).nodes()) es.add(url(esOption, u));
        java.util.Map<String, Datasource> ds = new java.util.LinkedHashMap<>();
        for (String spec : cli.datasources()) {
            Datasource d = Datasource.parse(spec);
            // the second would silently replace the first
            if (ds.put(d.name(), d) != null) throw new IllegalArgumentException("--datasource " + d.name() + " is given twice");
        }
        Optional<Traces> traces = Optional.empty();
        if (cli.tracesUrl().isPresent()) traces = Optional.of(Traces.parse("--traces", cli.tracesUrl().get()));
        else if (System.getenv("ANDON_TRACES_URL") != null && !System.getenv("ANDON_TRACES_URL").isBlank()) {
            traces = Optional.of(Traces.parse("ANDON_TRACES_URL", System.getenv("ANDON_TRACES_URL")));
        }
        return new ConsoleContext(prom, ams, es.stream().findFirst(), Optional.empty(), Optional.empty(),
                Optional.of(defaultDashboardsDir()), java.time.Duration.ZERO, List.of(), ds, java.util.Map.of(), es, traces);
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
