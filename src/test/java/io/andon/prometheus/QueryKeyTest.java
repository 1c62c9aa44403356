package io.andon.prometheus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The query cache key: spacing and matcher order do not matter; anything that changes meaning does. */
class QueryKeyTest {
    @Test
    void spacingAndMatcherOrderGiveOneKey() {
        String a = "sum by (plant) (rate(mes_orders_total{plant=\"SH01\",status=~\"done|shipped\"}[5m]))";
        String b = "sum by(plant)(\n  rate( mes_orders_total{ status =~ \"done|shipped\" , plant=\"SH01\", }[5m] )\n)";
        assertThat(QueryKey.of(b)).isEqualTo(QueryKey.of(a));
        assertThat(QueryKey.of(a)).isEqualTo("sum by(plant)(rate(mes_orders_total{plant=\"SH01\",status=~\"done|shipped\"}[5m]))");
        assertThat(QueryKey.of("  up  ")).isEqualTo("up");
        assertThat(QueryKey.of("a   and   b")).isEqualTo("a and b");
    }

    @Test
    void whatChangesMeaningChangesTheKey() {
        assertThat(QueryKey.of("up{job=\"a b\"}")).as("spaces inside strings are kept").isNotEqualTo(QueryKey.of("up{job=\"a  b\"}"));
        assertThat(QueryKey.of("up{job=\"a\"}")).isNotEqualTo(QueryKey.of("up{job!=\"a\"}"));
        assertThat(QueryKey.of("a - b")).isNotEqualTo(QueryKey.of("b - a"));
        assertThat(QueryKey.of("a or b")).as("words never glue").isNotEqualTo(QueryKey.of("aorb")).isEqualTo("a or b");
        // operators are never joined: "= ~" is not "=~"
        assertThat(QueryKey.of("up{job= ~\"a\"}")).isNotEqualTo(QueryKey.of("up{job=~\"a\"}"));
        assertThat(QueryKey.of("a > = b")).isNotEqualTo(QueryKey.of("a >= b"));
        assertThat(QueryKey.of("rate(x[5m])")).isNotEqualTo(QueryKey.of("rate(x[1m])"));
    }

    @Test
    void oddSelectorsAndCommentsAreLeftAlone() {
        // a Prometheus 3 quoted metric name is not a simple matcher: no reordering, only spacing
        assertThat(QueryKey.of("{\"my.metric\", job=\"b\", a=\"c\"}")).isEqualTo("{\"my.metric\",job=\"b\",a=\"c\"}");
        // a comment runs to the end of its line: joining lines would comment out code
        String commented = "sum(up) # all targets\n + 1";
        assertThat(QueryKey.of(commented)).isEqualTo(commented.strip());
        assertThat(QueryKey.of("up{job=\"#x\" }")).as("a # in a string is no comment").isEqualTo("up{job=\"#x\"}");
        assertThat(QueryKey.of("up{job=\"a\\\"}b\", x=\"1\"}")).as("escaped quote and brace inside a string")
                .isEqualTo("up{job=\"a\\\"}b\",x=\"1\"}");
        assertThat(QueryKey.of("up{job=\"unterminated}")).isEqualTo("up{job=\"unterminated}");
        assertThat(QueryKey.of(null)).isEmpty();
    }
}
