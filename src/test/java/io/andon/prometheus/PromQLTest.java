package io.andon.prometheus;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** User text only ever becomes a string literal. (IntegrationTest sends these to a real Prometheus.) */
class PromQLTest {
    @Test
    void escapesBackslashQuoteNewlineAndControls() {
        assertThat(PromQL.escape("a\\b\"c\nd\re\tf\u0000g\u007f")).isEqualTo("a\\\\b\\\"c\\nd\\re\\tf\\x00g\\x7f");
        assertThat(PromQL.literal("上海 ☃ 🏭")).isEqualTo("\"上海 ☃ 🏭\"");
    }

    @Test
    void templateValuesStayInsideTheirLiteral() {
        String q = PromQL.render("up{plant=\"$plant\"}", Map.of("plant", "P01\"} or vector(1) or up{x=\"\\"));
        assertThat(q).isEqualTo("up{plant=\"P01\\\"} or vector(1) or up{x=\\\"\\\\\"}");
        assertThat(PromQL.render("sum(x{a=\"$v\", b=\"$v\"})", Map.of("v", "{{ .Labels }}\n"))).isEqualTo("sum(x{a=\"{{ .Labels }}\\n\", b=\"{{ .Labels }}\\n\"})");
    }

    @Test
    void regexMatchersMatchTheValueLiterally() {
        assertThat(PromQL.render("up{job=~\"$job\"}", Map.of("job", "a.b|c"))).isEqualTo("up{job=~\"a\\\\.b\\\\|c\"}");
        assertThat(PromQL.render("up{job!~ \"$job\"}", Map.of("job", "x*"))).isEqualTo("up{job!~ \"x\\\\*\"}");
    }

    @Test
    void variablesOutsideQuotesAreRefused() {
        assertThatThrownBy(() -> PromQL.render("rate(x[$w])", Map.of("w", "5m"))).hasMessageContaining("$w must be a whole quoted label value");
        assertThatThrownBy(() -> PromQL.render("up{plant=$plant}", Map.of("plant", "P1"))).hasMessageContaining("$plant");
        assertThatThrownBy(() -> PromQL.render("up{plant=\"$plant\"}", Map.of())).hasMessageContaining("$plant has no value");
        // a '$' inside another literal (label_replace's "$1", a regex anchor) is text, not a variable
        assertThat(PromQL.render("label_replace(up, \"a\", \"$1\", \"job\", \"(.*)$\")", Map.of()))
                .isEqualTo("label_replace(up, \"a\", \"$1\", \"job\", \"(.*)$\")");
        assertThat(PromQL.variables("x{a=\"$a\", b=~\"$b\"}")).containsExactly("a", "b");
    }
}
