package io.andon.console;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Parsed command line. Parsing never touches JavaFX, so --help and --version work without a display. */
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
              --dwell SECONDS      wall mode: seconds per page (default 20)
              --page ID            page to open (system, database, business, slo, health, alerts, logs, traces)
              --theme ID           dark | light | high-contrast
              --lang TAG           zh-CN | en (default: the OS language)
              --snapshot FILE.png  render the page headless to a PNG after the first refresh, then exit
              --demo               start the bundled real stack + simulated plant and connect to it
              --scenario NAME      with --demo: start in this simulator scenario
              --version            print the version and exit
              --help               this text
            """;

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
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String a = rest.removeFirst();
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                inline = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--wall" -> wall = true;
                case "--demo" -> demo = true;
                case "--help", "-h" -> help = true;
                case "--version", "-V" -> version = true;
                case "--profile" -> profile = Optional.of(value(a, inline, rest));
                case "--page" -> page = Optional.of(value(a, inline, rest));
                case "--theme" -> theme = Optional.of(value(a, inline, rest));
                case "--scenario" -> scenario = Optional.of(value(a, inline, rest));
                case "--prometheus" -> prom = Optional.of(value(a, inline, rest));
                case "--alertmanager" -> ams.add(value(a, inline, rest));
                case "--elasticsearch" -> es = Optional.of(value(a, inline, rest));
                case "--datasource" -> dss.add(value(a, inline, rest));
                case "--traces" -> traces = Optional.of(value(a, inline, rest));
                case "--monitor" -> monitor = number(a, value(a, inline, rest));
                case "--dwell" -> dwell = Math.max(3, number(a, value(a, inline, rest)));
                case "--lang" -> lang = Optional.of(Locale.forLanguageTag(value(a, inline, rest)));
                case "--snapshot" -> snapshot = Optional.of(Path.of(value(a, inline, rest)));
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
            }
        }
        return new Cli(profile, wall, page, theme, lang, snapshot, demo, scenario, prom, List.copyOf(ams), es, List.copyOf(dss), traces, monitor, dwell, help, version);
    }

    private static int number(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + option + " needs a whole number, not '" + v + "'");
        }
    }

    private static String value(String option, String inline, List<String> rest) {
        if (inline != null) return inline;
        if (rest.isEmpty() || rest.getFirst().startsWith("--")) {
            throw new IllegalArgumentException("option " + option + " needs a value (see --help)");
        }
        return rest.removeFirst();
    }
}
