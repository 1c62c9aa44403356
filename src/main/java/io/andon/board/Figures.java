package io.andon.board;

import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * How every figure of the console is written: the one place for digit grouping and large-number reading, so a
 * tile's value, its sparkline range and a bar list agree (issue 23). Read from five metres, a long row of
 * digits is not a number: English groups thousands ({@code 20,000}) and writes millions and beyond with a
 * suffix and one decimal ({@code 252.1 M}); Chinese reads 万 (10⁴) and 亿 (10⁸) ({@code 2.52 亿}), as a
 * Chinese plant's reports do, and never uses comma groups. Below 10 000 a figure is written as it is.
 */
public final class Figures {
    private Figures() {}

    /** The figure {@code v} with {@code decimals} below 10 000 (grouped per locale), compact above the locale's large-number step. */
    public static String format(double v, int decimals, Locale locale) {
        if (Double.isNaN(v)) return "–";
        if (Double.isInfinite(v)) return v > 0 ? "∞" : "-∞";
        boolean zh = locale != null && locale.getLanguage().equals("zh");
        double a = Math.abs(v);
        if (zh) {
            if (a >= 1e8) return compact(v / 1e8, "亿");
            if (a >= 1e4) return compact(v / 1e4, "万");
            return plain(v, decimals, false);
        }
        if (a >= 1e12) return compact(v / 1e12, "T");
        if (a >= 1e9) return compact(v / 1e9, "B");
        if (a >= 1e6) return compact(v / 1e6, "M");
        return plain(v, decimals, true);
    }

    /** Three significant digits at most, a space, the suffix: 2.52 亿, 25.2 万, 252.1 M (one decimal from 100 on). */
    private static String compact(double scaled, String suffix) {
        double a = Math.abs(scaled);
        int decimals = a < 10 ? 2 : 1;
        DecimalFormat f = new DecimalFormat(decimals == 2 ? "#,##0.00" : "#,##0.0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_EVEN);
        f.setGroupingUsed(false); // < 10 000 of the suffix: no group needed (9999 万 is the step below 亿)
        return f.format(scaled) + " " + suffix;
    }

    private static String plain(double v, int decimals, boolean grouped) {
        StringBuilder p = new StringBuilder(grouped ? "#,##0" : "0");
        if (decimals > 0) p.append('.').append("0".repeat(decimals));
        DecimalFormat f = new DecimalFormat(p.toString(), DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_EVEN);
        String s = f.format(v);
        return s.equals("-0") || s.matches("-0\\.0+") ? s.substring(1) : s;
    }

    /** The figure and its unit symbol, a space between unless the symbol is empty: "252.1 M ¥", "45 ms". */
    public static String withUnit(double v, int decimals, String unit, Locale locale) {
        String n = format(v, decimals, locale);
        return unit == null || unit.isEmpty() ? n : n + " " + unit;
    }

    /**
     * A {@link DecimalFormat} that writes through {@link #format}: what TilesFX skins take as their custom format
     * (they format the value with it). Only {@code format(double)} is meaningful; parsing is not supported.
     *
     * @param capAt  from this value on the figure is a cap, not a reading: {@code capText} is written instead
     *               (an SLO budget that is not burning has no "gone in" time); null for none
     */
    public static DecimalFormat decimalFormat(int decimals, Locale locale, Double capAt, String capText) {
        return decimalFormat(v -> capAt != null && v >= capAt ? capText : format(v, decimals, locale));
    }

    /** A {@link DecimalFormat} that writes every figure with {@code writer} (see {@link #decimalFormat(int, Locale, Double, String)}). */
    public static DecimalFormat decimalFormat(java.util.function.DoubleFunction<String> writer) {
        return new DecimalFormat() {
            {
                // NumberFormat.format(double) takes DecimalFormat's private fast path (its own pattern, not this
                // format method) when grouping is on and rounding is HALF_EVEN: both off, every call comes here
                setGroupingUsed(false);
                setRoundingMode(RoundingMode.HALF_UP);
            }

            @Override
            public StringBuffer format(double number, StringBuffer to, java.text.FieldPosition pos) {
                return to.append(writer.apply(number));
            }

            @Override
            public StringBuffer format(long number, StringBuffer to, java.text.FieldPosition pos) {
                return format((double) number, to, pos);
            }
        };
    }
}
