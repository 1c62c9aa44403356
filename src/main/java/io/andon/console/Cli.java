package io.andon.console;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parsed command line. Parsing never touches JavaFX, so --help and --version work without a display. Every value
 * that can be judged from the text alone (themes, languages, numbers and their ranges, scenarios) is checked
 * here; what needs the machine (profiles, pages, URLs, the snapshot file) is checked by {@link CliCheck}, also
 * before JavaFX starts. Each problem is one line naming the option, the value and what is allowed.
 */
public record Cli(
        Optional<String> profile,
        boolean wall,
        Optional<String> page,
        Optional<String> theme,
        Optional<Locale> lang,
        Optional<Path> snapshot,
        boolean demo,
        Optional<String> scenario,
        Optional<String> prometheusUrl,
        java.util.List<String> alertmanagerUrls,
        Optional<String> elasticsearchUrl,
        java.util.List<String> datasources,
        Optional<String> tracesUrl,
        int monitor,
        int wallDwellSeconds,
        boolean help,
        boolean version) {

    public static final String USAGE = """
            Usage: andon [options]
              --profile NAME       connection profile to use (default: the last one used)
              --prometheus URL     Prometheus-compatible query API (overrides the profile)
              --alertmanager URL   an Alertmanager; repeat for an HA pair
              --elasticsearch URL[,URL...]
                                   Elasticsearch holding the mes-logs-* indices; several nodes of
                                   one cluster, comma-separated, keep the logs page up when one is down
              --datasource N=URL[,staleness=45s]
                                   a named Prometheus-compatible API (Thanos, Mimir, VictoriaMetrics)
                                   for pages whose YAML says `datasource: N`; repeatable
              --traces URL[,kind=jaeger|tempo]
                                   a trace backend's query API (default kind: zipkin) for the
                                   Traces page and the exemplar/log pivots; env ANDON_TRACES_URL
              --wall               full-screen wall display with page rotation
              --monitor N          wall mode on monitor N (0 = primary)
              --dwell SECONDS      wall mode: seconds per page, 3 to 3600 (default 20)
              --page ID            page to open (system, database, business, slo, health, alerts, logs,
                                   traces, settings, or a page of your dashboards directory)
              --theme ID           dark | light | high-contrast
              --lang TAG           zh-CN | en (default: the OS language)
              --snapshot FILE.png  render the page headless to a PNG after the first refresh, then exit
              --demo               start the bundled real stack + simulated plant and connect to it
              --scenario NAME      with --demo: start in this simulator scenario
              --version            print the version and exit
              --help               this text
            """;

    /** The --theme values (io.andon.ui.Theme's ids; CliCheckTest keeps the two equal without JavaFX here). */
    public static final List<String> THEMES = List.of("dark", "light", "high-contrast");
    /** The languages the console speaks (--lang): any tag of these languages, zh meaning zh-CN. */
    public static final List<String> LANGUAGES = List.of("zh-CN", "en");
    /** 3 s per page at least on a wall people read. */
    static final int MIN_DWELL = 3, MAX_DWELL = 3600;

    /**
     * The wall's time per page. Test-only, unset in the installed launcher: {@code -Dandon.test.dwellMillis=N}
     * (N ≥ 100) replaces {@code --dwell} for the compressed soak (SoakBench), whose page switches set its length; a
     * page people read never turns that fast.
     */
    public java.time.Duration wallDwell() {
        long ms = Long.getLong("andon.test.dwellMillis", 0L);
        return ms >= 100 ? java.time.Duration.ofMillis(ms) : java.time.Duration.ofSeconds(wallDwellSeconds);
    }

    public static Cli parse(String... args) {
        Optional<String> profile = Optional.empty(), page = Optional.empty(), theme = Optional.empty();
        Optional<String> scenario = Optional.empty(), prom = Optional.empty();
        Optional<Locale> lang = Optional.empty();
        Optional<Path> snapshot = Optional.empty();
        boolean wall = false, demo = false, help = false, version = false;
        List<String> ams = new ArrayList<>();
        Optional<String> es = Optional.empty(), traces = Optional.empty();
        int monitor = 0, dwell = 20;
        List<String> dss = new ArrayList<>();
        Args in = new Args(args, "see --help");
        while (in.more()) {
            String a = in.next();
            switch (a) {
                case "--wall" -> wall = true;
                case "--demo" -> demo = true;
                case "--help", "-h" -> help = true;
                case "--version", "-V" -> version = true;
                case "--profile" -> profile = Optional.of(in.value());
                case "--page" -> page = Optional.of(in.value());
                case "--theme" -> theme = Optional.of(theme(in.value()));
                case "--scenario" -> scenario = Optional.of(in.value());
                case "--prometheus" -> prom = Optional.of(in.value());
                case "--alertmanager" -> ams.add(in.value());
                case "--elasticsearch" -> es = Optional.of(in.value());
                case "--datasource" -> dss.add(in.value());
                case "--traces" -> traces = Optional.of(in.value());
                case "--monitor" -> monitor = range(a, in.value(), 0, 99, "a monitor number, 0 = the primary");
                case "--dwell" -> dwell = range(a, in.value(), MIN_DWELL, MAX_DWELL, "seconds per page, " + MIN_DWELL + " to " + MAX_DWELL);
                case "--lang" -> lang = Optional.of(language(in.value()));
                case "--snapshot" -> snapshot = Optional.of(snapshotPath(in.value()));
                default -> throw in.unknown();
            }
        }
        if (scenario.isPresent()) {
            if (!demo) throw new IllegalArgumentException("--scenario '" + scenario.get() + "': only with --demo (the simulated plant's scenario)");
            scenario = Optional.of(scenario(scenario.get()));
        }
        return new Cli(profile, wall, page, theme, lang, snapshot, demo, scenario, prom, List.copyOf(ams), es, List.copyOf(dss), traces, monitor, dwell, help, version);
    }

    /** A whole number within [min, max]; out of range is refused, never clamped silently. */
    private static int range(String option, String v, int min, int max, String allowed) {
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + v + "': not a whole number (" + allowed + ")");
        }
        if (n < min || n > max) throw new IllegalArgumentException(option + " '" + v + "': out of range (" + allowed + ")");
        return n;
    }

    private static String theme(String v) {
        String id = v.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!THEMES.contains(id)) throw new IllegalArgumentException("--theme '" + v + "': no such theme (" + String.join(", ", THEMES) + ")");
        return id;
    }

    private static Locale language(String v) {
        Locale l = Locale.forLanguageTag(v.strip().replace('_', '-'));
        if (!l.getLanguage().equals("zh") && !l.getLanguage().equals("en")) {
            throw new IllegalArgumentException("--lang '" + v + "': not a language of the console (" + String.join(", ", LANGUAGES) + ")");
        }
        return l;
    }

    private static String scenario(String v) {
        try {
            return io.andon.server.mes.Scenario.of(v.strip()).id;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--scenario '" + v + "': no such scenario ("
                    + java.util.Arrays.stream(io.andon.server.mes.Scenario.values()).map(s -> s.id).collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
    }

    private static Path snapshotPath(String v) {
        try {
            if (v.isBlank()) throw new java.nio.file.InvalidPathException(v, "empty");
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("--snapshot '" + v + "': not a file name (" + e.getReason() + ")");
        }
    }
}
