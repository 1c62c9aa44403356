package io.andon.board;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The one formatter of figures (issue 23): grouping per locale, large numbers as a reader of that language reads them. */
class FiguresTest {
    private static final Locale EN = Locale.ENGLISH, ZH = Locale.forLanguageTag("zh-CN");

    @Test
    void englishGroupsThousandsAndShortensMillions() {
        assertThat(Figures.format(9999, 0, EN)).isEqualTo("9,999");
        assertThat(Figures.format(20000, 0, EN)).isEqualTo("20,000");
        assertThat(Figures.format(999_999.4, 0, EN)).isEqualTo("999,999");
        assertThat(Figures.format(252_128_148, 0, EN)).isEqualTo("252.1 M");
        assertThat(Figures.format(2_521_281_480.0, 0, EN)).isEqualTo("2.52 B");
        assertThat(Figures.format(5e14, 0, EN)).isEqualTo("500.0 T");
        assertThat(Figures.format(99.8345, 2, EN)).isEqualTo("99.83");
        assertThat(Figures.format(-0.001, 1, EN)).isEqualTo("0.0");
    }

    @Test
    void chineseReadsWanAndYiWithoutCommas() {
        assertThat(Figures.format(9999, 0, ZH)).isEqualTo("9999");
        assertThat(Figures.format(20000, 0, ZH)).isEqualTo("2.00 万");
        assertThat(Figures.format(252_128_148, 0, ZH)).isEqualTo("2.52 亿");
        assertThat(Figures.format(99_990_000, 0, ZH)).isEqualTo("9999.0 万");
        assertThat(Figures.format(1234.5, 1, ZH)).isEqualTo("1234.5");
    }

    @Test
    void theTilesFormatGoesThroughHereEvenOnTheJdkFastPath() {
        // NumberFormat.format(double) has a fast path that ignores an overridden format method
        assertThat(Figures.decimalFormat(0, EN, null, null).format(252_128_148.0)).isEqualTo("252.1 M");
        assertThat(Figures.decimalFormat(0, EN, 8760.0, "not burning").format(8760.0)).isEqualTo("not burning");
        assertThat(Figures.decimalFormat(0, EN, 8760.0, "not burning").format(36.0)).isEqualTo("36");
    }

    @Test
    void aTileWritesLongLatenciesInSecondsAndSizesInTheirUnit() {
        TileSpec ms = new TileSpec("p99", new TileSpec.Text("P99", "P99"), "q", "seconds_ms", 0, TileSpec.Skin.NUMBER, null, null, null, null, null, null, null, null);
        assertThat(ms.formatValue(4493, EN)).isEqualTo("4,493 ms");
        assertThat(ms.formatValue(12_500, ZH)).isEqualTo("12.5 s");
        TileSpec bytes = new TileSpec("t", new TileSpec.Text("T", "T"), "q", "bytes", 0, TileSpec.Skin.BARS, null, null, null, null, null, "table", null, null);
        assertThat(bytes.formatValue(0.25, EN)).isEqualTo("256 KiB");
        assertThat(bytes.formatValue(4.2, EN)).isEqualTo("4.2 MiB");
        assertThat(bytes.formatValue(3072, EN)).isEqualTo("3.0 GiB");
        TileSpec q = new TileSpec("q", new TileSpec.Text("Q", "Q"), "q", "queries_per_second", 0, TileSpec.Skin.GAUGE, null, null, null, null, null, null, null, null);
        assertThat(q.formatValue(12345, EN)).isEqualTo("12,345 q∕s");
        assertThat(q.formatValue(25, ZH)).isEqualTo("25 次∕秒");
    }
}
