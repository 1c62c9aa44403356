package io.andon.console;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliTest {
    @Test
    void parsesOptionsAndDatasourcesPerPage() {
        Cli c = Cli.parse("--wall", "--lang", "zh-CN", "--dwell=30", "--prometheus", "http://p:9090",
                "--datasource", "plant2=http://vm:8428,staleness=45s", "--alertmanager", "http://a:9093", "--alertmanager", "http://b:9093");
        assertThat(c.wall()).isTrue();
        assertThat(c.lang()).contains(Locale.forLanguageTag("zh-CN"));
        assertThat(c.wallDwellSeconds()).isEqualTo(30);
        assertThat(c.alertmanagerUrls()).hasSize(2);
        ConsoleContext ctx = ConsoleContext.fromCli(c);
        assertThat(ctx.datasource(null).url().toString()).isEqualTo("http://p:9090");
        assertThat(ctx.datasource("plant2").url().toString()).isEqualTo("http://vm:8428");
        assertThat(ctx.datasource("plant2").maxStaleness()).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> ctx.datasource("plant3")).hasMessageContaining("--datasource plant3=URL");
    }

    @Test
    void tracesTakeAUrlAndAKind() {
        ConsoleContext z = ConsoleContext.fromCli(Cli.parse("--prometheus", "http://p:9090", "--traces", "http://zipkin:9411"));
        assertThat(z.traces()).hasValueSatisfying(t -> {
            assertThat(t.url().toString()).isEqualTo("http://zipkin:9411");
            assertThat(t.kind()).isEqualTo("zipkin");
        });
        ConsoleContext j = ConsoleContext.fromCli(Cli.parse("--prometheus", "http://p:9090", "--traces=http://jaeger:16686,kind=Jaeger"));
        assertThat(j.traces().orElseThrow().kind()).isEqualTo("jaeger");
        assertThatThrownBy(() -> ConsoleContext.fromCli(Cli.parse("--prometheus", "http://p:9090", "--traces", "http://x:1,kind=elastic")))
                .hasMessageContaining("'elastic' is not one of [zipkin, jaeger, tempo]");
        assertThatThrownBy(() -> ConsoleContext.fromCli(Cli.parse("--prometheus", "http://p:9090", "--traces", "zipkin:9411")))
                .hasMessage("--traces: 'zipkin:9411' must start with http:// or https://");
        assertThatThrownBy(() -> ConsoleContext.fromCli(Cli.parse("--prometheus", "http://p:9090", "--traces", "http://x:1,sampling=1")))
                .hasMessageContaining("--traces: unknown option 'sampling=1'");
        // each kind gets its own reader
        try (var jaeger = PageCatalog.traceSource(j, j.traces().get()); var zipkin = PageCatalog.traceSource(z, z.traces().get())) {
            assertThat(jaeger).isInstanceOf(io.andon.traces.JaegerTraceSource.class);
            assertThat(zipkin).isInstanceOf(io.andon.traces.ZipkinTraceSource.class);
        }
        assertThat(Cli.USAGE).contains("--traces URL[,kind=jaeger|tempo]");
    }

    @Test
    void elasticsearchTakesSeveralNodesOfOneCluster() {
        ConsoleContext ctx = ConsoleContext.fromCli(Cli.parse("--prometheus", "http://p:9090", "--elasticsearch", "https://es1:9200, https://es2:9200"));
        assertThat(ctx.elasticsearchNodes()).extracting(Object::toString).containsExactly("https://es1:9200", "https://es2:9200");
        assertThat(ctx.elasticsearch()).hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("https://es1:9200"));
        ConsoleContext one = ConsoleContext.fromCli(Cli.parse("--prometheus", "http://p:9090", "--elasticsearch", "http://es:9200"));
        assertThat(one.elasticsearchNodes()).extracting(Object::toString).containsExactly("http://es:9200");
        ConsoleContext none = ConsoleContext.fromCli(Cli.parse("--prometheus", "http://p:9090"));
        if (System.getenv("ANDON_ELASTICSEARCH_URL") == null) assertThat(none.elasticsearchNodes()).isEmpty();
        // a bad second node is named, not silently dropped
        assertThatThrownBy(() -> ConsoleContext.fromCli(Cli.parse("--prometheus", "http://p:9090", "--elasticsearch", "https://es1:9200,es2:9200")))
                .hasMessage("--elasticsearch: 'es2:9200' must start with http:// or https://");
    }

    @Test
    void badInputIsExplained() {
        assertThatThrownBy(() -> Cli.parse("--frobnicate")).hasMessageContaining("unknown option '--frobnicate'");
        assertThatThrownBy(() -> Cli.parse("--page")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Cli.parse("--dwell", "long")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> ConsoleContext.fromCli(Cli.parse("--datasource", "nourl"))).hasMessageContaining("NAME=URL");
    }

    @Test
    void theCheckersListsMatchWhatTheConsoleHas() throws Exception {
        // Cli keeps its own copy of the theme ids so that parsing loads nothing of JavaFX
        assertThat(Cli.THEMES).containsExactly(java.util.Arrays.stream(io.andon.ui.Theme.values()).map(t -> t.id).toArray(String[]::new));
        // CliCheck reads the bundled page ids from index.yaml as text (no YAML parser before the toolkit starts)
        assertThat(CliCheck.bundledIds()).isEqualTo(io.andon.board.DashboardRepository.bundledNames());
        assertThat(new io.andon.board.DashboardRepository(java.util.Optional.empty()).load()).extracting(io.andon.board.PageSpec::id)
                .containsExactlyElementsOf(CliCheck.bundledIds());
    }

    @Test
    void valuesAreNormalisedNotClamped() {
        Cli c = Cli.parse("--theme", "High_Contrast", "--lang", "zh_CN", "--dwell", "3600", "--monitor", "7", "--demo", "--scenario", "DB_OUTAGE");
        assertThat(c.theme()).contains("high-contrast");
        assertThat(c.lang().orElseThrow().getLanguage()).isEqualTo("zh");
        assertThat(c.wallDwellSeconds()).isEqualTo(3600);
        assertThat(c.monitor()).isEqualTo(7);
        assertThat(c.scenario()).contains("db-outage");
        assertThatThrownBy(() -> Cli.parse("--dwell", "2")).hasMessage("--dwell '2': out of range (seconds per page, 3 to 3600)");
        assertThatThrownBy(() -> Cli.parse("--lang", "fr")).hasMessage("--lang 'fr': not a language of the console (zh-CN, en)");
    }
}
