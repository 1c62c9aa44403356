package io.andon.board;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.andon.util.Durations;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One tile as a dashboard file declares it. Everything a tile shows comes from here, so adding a tile is a
 * YAML edit. Checked by {@link DashboardRepository} (with file, line and column) when a file is loaded.
 *
 * @param unit          one of {@link Unit}'s names: it sets the symbol shown and how the raw value is scaled
 *                      (e.g. {@code ratio_percent}: 0.9995 → 99.95 %)
 * @param scale         extra multiplier for the rare query whose unit needs one beyond {@code unit}
 * @param target        reference line (throughput target), drawn by skins that have one
 * @param legendLabel   for multi-series tiles (donut per plant): the label naming each series
 * @param service       drill-down: the service whose logs the detail view opens
 * @param idealBurn     drill-down of an error-budget tile: the SLO window of its ideal-burn line ({@link #idealBurnWindow()})
 * @param exemplars     drill-down: the PromQL whose exemplars (trace ids) the chart shows as dots, usually the
 *                      histogram bucket series behind a latency tile; its values get the tile's unit
 */
public record TileSpec(
        String id,
        Text title,
        String query,
        String unit,
        int decimals,
        Skin skin,
        Thresholds thresholds,
        Double min,
        Double max,
        Double target,
        @JsonProperty("sparkline") String sparklineRange,
        @JsonProperty("legendLabel") @JsonAlias("legend") String legendLabel,
        String service,
        Double scale,
        String exemplars,
        @JsonProperty("idealBurn") String idealBurn,
        Cap cap,
        String gate) {

    /** A tile without a cap or gate (the form before issue 23). */
    public TileSpec(String id, Text title, String query, String unit, int decimals, Skin skin, Thresholds thresholds, Double min, Double max,
                    Double target, String sparklineRange, String legendLabel, String service, Double scale, String exemplars, String idealBurn) {
        this(id, title, query, unit, decimals, skin, thresholds, min, max, target, sparklineRange, legendLabel, service, scale, exemplars, idealBurn, null, null);
    }

    /**
     * A value from which on the figure is a cap, not a reading, with the words shown instead: an SLO's "budget gone in"
     * is capped at a year when nothing burns, and "8760 h" would read as a forecast ({@code cap: {value: 8760, text: ...}}).
     */
    public record Cap(Double value, Text text) {}

    /**
     * This tile with its page's gate applied ({@code gate: exporter} names a condition of the page's {@code gates}):
     * the query answers only while the condition holds, so the condition is written once per page, not per tile.
     */
    TileSpec gated(String condition) {
        return new TileSpec(id, title, "(" + query + ") and on() (" + condition + ")", unit, decimals, skin, thresholds, min, max, target,
                sparklineRange, legendLabel, service, scale, exemplars, idealBurn, cap, null);
    }

    /** A tile without exemplars (the form before traces). */
    public TileSpec(String id, Text title, String query, String unit, int decimals, Skin skin, Thresholds thresholds, Double min, Double max,
                    Double target, String sparklineRange, String legendLabel, String service, Double scale) {
        this(id, title, query, unit, decimals, skin, thresholds, min, max, target, sparklineRange, legendLabel, service, scale, null, null, null, null);
    }

    /** A tile without an ideal-burn line. */
    public TileSpec(String id, Text title, String query, String unit, int decimals, Skin skin, Thresholds thresholds, Double min, Double max,
                    Double target, String sparklineRange, String legendLabel, String service, Double scale, String exemplars) {
        this(id, title, query, unit, decimals, skin, thresholds, min, max, target, sparklineRange, legendLabel, service, scale, exemplars, null, null, null);
    }

    /**
     * An error-budget tile's SLO window ({@code idealBurn: 30d}): its drill-down draws the budget a service has left
     * when it spends it evenly over the window (burn rate 1), from 100 % at the window's start to 0 % now — the
     * ideal line Sloth's users compare the real budget with.
     */
    public Optional<java.time.Duration> idealBurnWindow() {
        return idealBurn == null || idealBurn.isBlank() ? Optional.empty() : Optional.of(Durations.parse(idealBurn));
    }

    /** The exemplar query, when the tile has one. */
    public Optional<String> exemplarQuery() {
        return exemplars == null || exemplars.isBlank() ? Optional.empty() : Optional.of(exemplars);
    }

    /** The TilesFX skins a tile may use. */
    public enum Skin {
        NUMBER, SPARK_LINE, GAUGE, PERCENTAGE, DONUT_CHART, LED, STATUS, TEXT,
        /** One labelled bar per series, largest first, each with its figure and unit: readable where a donut with many slices is not. */
        BARS
    }

    /**
     * Units of tile values: the symbol the tile shows and the factor from the query's raw value. Queries
     * return base units (seconds, ratios 0..1, bytes) as Prometheus conventions want; the tile converts.
     */
    public enum Unit {
        COUNT("", 1),
        PERCENT("%", 1),
        RATIO_PERCENT("%", 100),
        SECONDS("s", 1),
        SECONDS_MS("ms", 1000),
        MS("ms", 1),
        HOURS("h", 1),
        /** A rate that does not say what it counts: kept for sites' own pages; "25 /s" reads as seconds, prefer a named rate. */
        PER_SECOND("∕s", 1),
        // named rates: the symbol says what is counted ("25 q/s", not "25 s"). The slash is U+2215 (division slash):
        // TilesFX splits a unit at "/" into a small fraction, whose upper half is lost when it is empty
        QUERIES_PER_SECOND("q∕s", "次∕秒", 1),
        WRITES_PER_SECOND("writes∕s", "写∕秒", 1),
        REQUESTS_PER_SECOND("req∕s", "请求∕秒", 1),
        BYTES("MiB", 1.0 / (1024 * 1024)),
        CURRENCY("¥", 1),
        FACTOR("×", 1);

        public final String symbol;
        /** The symbol in Chinese, where it differs. */
        public final String symbolZh;
        public final double factor;

        Unit(String symbol, double factor) {
            this(symbol, symbol, factor);
        }

        Unit(String symbol, String symbolZh, double factor) {
            this.symbol = symbol;
            this.symbolZh = symbolZh;
            this.factor = factor;
        }

        /** The symbol for a locale. */
        public String symbol(Locale locale) {
            return locale != null && locale.getLanguage().equals("zh") ? symbolZh : symbol;
        }

        /** Null/blank is COUNT; otherwise the lower-case name; unknown names give null. */
        public static Unit parse(String name) {
            if (name == null || name.isBlank()) return COUNT;
            for (Unit u : values()) if (u.name().toLowerCase(Locale.ROOT).equals(name)) return u;
            return null;
        }

        public static String names() {
            return Arrays.stream(values()).map(u -> u.name().toLowerCase(Locale.ROOT)).toList().toString();
        }
    }

    /** A bilingual text: English and Simplified Chinese. */
    public record Text(String en, @JsonProperty("zh_CN") String zhCN) {}

    /** One threshold of a YAML {@code steps} list: from {@code value} on, the tile is {@code state}. */
    public record Step(Double value, Level state) {
        public enum Level { WARN, CRIT }
    }

    /**
     * Where WARN and CRIT begin; {@code direction: below} means low values are bad (availability, throughput),
     * {@code above} (the default) that high values are. In YAML:
     * <pre>thresholds: {direction: below, steps: [{value: 99.9, state: warn}, {value: 99.5, state: crit}]}</pre>
     * (the short form {@code {warn: 99.9, crit: 99.5, direction: below}} is read as well). A value exactly on a
     * threshold is still the better state.
     */
    public record Thresholds(Double warn, Double crit, Direction direction) {
        public enum Direction { ABOVE, BELOW }

        public static final Thresholds NONE = new Thresholds(null, null, Direction.ABOVE);

        public Thresholds {
            direction = direction == null ? Direction.ABOVE : direction;
        }

        @JsonCreator
        static Thresholds fromYaml(@JsonProperty("steps") List<Step> steps, @JsonProperty("warn") Double warn,
                                   @JsonProperty("crit") Double crit, @JsonProperty("direction") Direction direction) {
            if (steps != null) {
                if (warn != null || crit != null) throw new IllegalArgumentException("thresholds: use either 'steps' or 'warn'/'crit', not both");
                for (Step s : steps) {
                    if (s == null || s.value() == null || s.state() == null) {
                        throw new IllegalArgumentException("thresholds: every step needs a 'value' and a 'state' (warn or crit)");
                    }
                    if (!Double.isFinite(s.value())) throw new IllegalArgumentException("thresholds: step value must be a finite number");
                    if (s.state() == Step.Level.WARN) {
                        if (warn != null) throw new IllegalArgumentException("thresholds: two 'warn' steps");
                        warn = s.value();
                    } else {
                        if (crit != null) throw new IllegalArgumentException("thresholds: two 'crit' steps");
                        crit = s.value();
                    }
                }
            }
            return new Thresholds(warn, crit, direction);
        }

        public TileState.Status classify(double v) {
            if (Double.isNaN(v)) return TileState.Status.NO_DATA;
            boolean below = direction == Direction.BELOW;
            if (crit != null && (below ? v < crit : v > crit)) return TileState.Status.CRIT;
            if (warn != null && (below ? v < warn : v > warn)) return TileState.Status.WARN;
            return TileState.Status.OK;
        }

        /** Problem with the order of warn and crit, or null: with both set, WARN must come before CRIT. */
        String orderProblem() {
            if (warn == null || crit == null) return null;
            boolean below = direction == Direction.BELOW;
            boolean ok = below ? crit < warn : crit > warn;
            return ok ? null : "bad threshold order: with direction " + direction.name().toLowerCase(Locale.ROOT) + " are bad, crit (" + crit
                    + ") must be " + (below ? "below" : "above") + " warn (" + warn + ")";
        }
    }

    public Thresholds thresholdsOrNone() { return thresholds == null ? Thresholds.NONE : thresholds; }

    public Optional<Duration> sparkline() {
        return sparklineRange == null ? Optional.empty() : Optional.of(Durations.parse(sparklineRange));
    }

    /** The unit, COUNT when none is given; null for an unknown name (rejected when the file is loaded). */
    public Unit unitKind() { return Unit.parse(unit); }

    /** What the tile shows after the value. */
    public String unitSymbol() {
        Unit u = unitKind();
        return u == null ? (unit == null ? "" : unit) : u.symbol;
    }

    /** What the tile shows after the value, in a language. */
    public String unitSymbol(Locale locale) {
        Unit u = unitKind();
        return u == null ? (unit == null ? "" : unit) : u.symbol(locale);
    }

    /** The figure as the tile writes it, unit included: grouped per locale ({@link Figures}), the cap's words at the cap. */
    public String formatValue(double v, Locale locale) {
        if (isCapped(v)) return capText(locale);
        Shown s = shown(v, locale);
        return Figures.withUnit(s.value(), s.decimals(), s.unit(), locale);
    }

    /** The number alone as the tile writes it (its unit is {@code shown(v, locale).unit()}); the cap's words at the cap. */
    public String formatNumber(double v, Locale locale) {
        if (isCapped(v)) return capText(locale);
        Shown s = shown(v, locale);
        return Figures.format(s.value(), s.decimals(), locale);
    }

    public boolean isCapped(double v) { return cap != null && cap.value() != null && v >= cap.value(); }

    /** A figure in the unit it reads best in: the value, its unit symbol and decimals. */
    public record Shown(double value, String unit, int decimals) {}

    /**
     * The unit a figure is written in: a latency from 10 000 ms on in seconds ("12.5 s", not "1.25 万 ms"); sizes in
     * KiB, MiB or GiB as they come (a table of 300 KiB is not "0 MiB"). Other units as declared.
     */
    public Shown shown(double v, Locale locale) {
        Unit u = unitKind();
        double a = Math.abs(v);
        if ((u == Unit.SECONDS_MS || u == Unit.MS) && a >= 10_000) return new Shown(v / 1000, "s", 1);
        if (u == Unit.BYTES) {
            if (a >= 1024 * 1024) return new Shown(v / (1024 * 1024), "TiB", 1);
            if (a >= 1024) return new Shown(v / 1024, "GiB", 1);
            if (a > 0 && a < 1) return new Shown(v * 1024, "KiB", 0);
            return new Shown(v, "MiB", a < 10 ? 1 : 0);
        }
        return new Shown(v, unitSymbol(locale), decimals);
    }

    /** The cap's words in a language; empty without a cap. */
    public String capText(Locale locale) {
        if (cap == null || cap.text() == null) return "";
        return locale != null && locale.getLanguage().equals("zh") && cap.text().zhCN() != null ? cap.text().zhCN() : cap.text().en();
    }

    /** Multiplier applied to the raw value: the unit's factor times the optional {@code scale}. */
    public double scaleOrOne() {
        Unit u = unitKind();
        return (u == null ? 1.0 : u.factor) * (scale == null ? 1.0 : scale);
    }
}
