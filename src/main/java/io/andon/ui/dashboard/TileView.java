package io.andon.ui.dashboard;

import eu.hansolo.tilesfx.Section;
import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import eu.hansolo.tilesfx.chart.ChartData;
import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.ui.I18n;
import io.andon.ui.Theme;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One dashboard tile: a TilesFX tile for the figure, a state chip (text + colour, so colour is never the only
 * signal), and a cover that hides the figure when there is none to trust (NO DATA, ERROR, not yet loaded).
 * STALE keeps the last figure, greyed, with its age.
 */
public final class TileView extends StackPane {
    static final Color OK = Color.web("#2ecc71"), WARN = Color.web("#f5b301"), CRIT = Color.web("#e5393b"),
            STALE = Color.web("#8a8f98"), ERROR = Color.web("#b05cff");
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final TileSpec spec;
    private final Tile tile;
    private final Label chip = new Label();
    private final Label time = new Label();
    /** Amber, like the logs page's partial banner: the figure comes from part of the answer (warnings, skipped series). */
    private final Label partial = new Label();
    /** A sparkline's range, written by {@link io.andon.board.Figures} (TilesFX's own axis labels are ~9 px and ungrouped). */
    private final Label range = new Label();
    /** The BARS skin: one row per series. */
    private final VBox bars = new VBox(4);
    private final VBox footer = new VBox(2);
    private final Label coverText = new Label();
    private final VBox cover = new VBox(coverText);
    private final Tooltip tooltip = new Tooltip();
    private TileState state;
    private boolean sparkPrimed;
    private Map<String, Double> shownSeries = Map.of();
    private boolean unpainted;
    private final java.util.ArrayList<Double> unpaintedSpark = new java.util.ArrayList<>();
    /** Points a sparkline shows: TilesFX's averaging period, the size of its buffer. */
    static final int SPARK_POINTS = 120;
    private static final double BARS_TOP = 52, BARS_BOTTOM = 44, BAR_ROW = 30;

    public TileView(TileSpec spec, Theme theme) {
        this.spec = spec;
        this.tile = build(spec, theme);
        formatFor(I18n.locale());
        this.theme = io.andon.ui.Appearance.theme();
        paint(this.theme);
        setId("tile-" + spec.id());
        getStyleClass().add("andon-tile");
        chip.getStyleClass().addAll("chip", "tile-chip");
        chip.setId("chip-" + spec.id());
        chip.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        time.getStyleClass().add("tile-time");
        time.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        range.getStyleClass().add("tile-range");
        range.setId("range-" + spec.id());
        range.setMouseTransparent(true);
        range.setMinWidth(0);
        range.setTextOverrun(javafx.scene.control.OverrunStyle.ELLIPSIS);
        // one bottom line: the sparkline's range on the left, state and update time on the right. The state chip sat
        // in the top-right corner, where a long title ran under it on narrow tiles
        javafx.scene.layout.Region gap = new javafx.scene.layout.Region();
        javafx.scene.layout.HBox.setHgrow(gap, javafx.scene.layout.Priority.ALWAYS);
        // the range on a line of its own above state and time: on a narrow tile (SLO page, six columns) it was cut short
        javafx.scene.layout.HBox stateLine = new javafx.scene.layout.HBox(10, partial, gap, chip, time);
        stateLine.setAlignment(Pos.CENTER_RIGHT);
        stateLine.setPickOnBounds(false);
        // as wide as its text: its backing (see paint) covers the line it is written over, not the whole footer
        range.setMaxWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        range.setManaged(spec.skin() == TileSpec.Skin.SPARK_LINE);
        footer.getChildren().setAll(range, stateLine);
        footer.setAlignment(Pos.BOTTOM_LEFT);
        footer.setMaxHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        footer.setPickOnBounds(false);
        StackPane.setAlignment(footer, Pos.BOTTOM_CENTER);
        StackPane.setMargin(footer, new Insets(0, 10, 6, 10));
        range.setVisible(spec.skin() == TileSpec.Skin.SPARK_LINE);
        bars.setId("bars-" + spec.id());
        bars.setMouseTransparent(true);
        bars.setFillWidth(true);
        StackPane.setAlignment(bars, Pos.TOP_LEFT);
        StackPane.setMargin(bars, new Insets(BARS_TOP, 14, BARS_BOTTOM, 14));
        bars.setVisible(spec.skin() == TileSpec.Skin.BARS);
        partial.getStyleClass().add("tile-partial");
        partial.setId("partial-" + spec.id());
        // amber like the logs page's partial banner; in the footer line so it never covers the figure
        partial.setStyle("-fx-text-fill: black; -fx-background-color: #f0a30a; -fx-background-radius: 3; -fx-padding: 1 5 1 5; -fx-font-size: 16px;");
        partial.setMaxWidth(260);
        partial.setMouseTransparent(true);
        partial.setVisible(false);
        partial.managedProperty().bind(partial.visibleProperty());
        coverText.getStyleClass().add("tile-cover-text");
        coverText.setWrapText(true);
        cover.setAlignment(Pos.CENTER);
        cover.setPadding(new Insets(40, 16, 16, 16));
        cover.setMouseTransparent(true);
        cover.getStyleClass().add("tile-cover");
        StackPane.setMargin(cover, new Insets(64, 2, 28, 2));
        getChildren().addAll(tile, bars, cover, footer);
        heightProperty().addListener((o, a, h) -> {
            if (spec.skin() == TileSpec.Skin.BARS && !shownSeries.isEmpty()) paintBars(shownSeries);
        });
        Tooltip.install(this, tooltip);
        io.andon.ui.Appearance.follow(this, t -> {
            paint(t);
            shownSeries = Map.of(); // bar rows are written in the theme's colours
            if (state != null) show(state);
        });
        I18n.follow(this, () -> {
            tile.setTitle(title());
            formatFor(I18n.locale());
            shownSeries = Map.of(); // bars are written in the language
            if (state != null) show(state);
        });
        sceneProperty().addListener((o, a, scene) -> {
            if (scene != null && unpainted) paintState(state);
        });
        tile.skinProperty().addListener((o, a, skin) -> {
            if (skin != null && unpainted && getScene() != null) paintState(state);
        });
        show(TileState.unknown(spec.id()));
    }

    private String title() { return I18n.pick(spec.title().en(), spec.title().zhCN()); }

    private Theme theme = Theme.DARK;

    private void paint(Theme t) {
        theme = t;
        tile.setBackgroundColor(t.tileBackground);
        tile.setTitleColor(t.foreground);
        tile.setUnitColor(t.muted);
        tile.setTextColor(t.muted);
        tile.setDescriptionColor(t.muted);
        tile.setForegroundBaseColor(t.foreground);
        // the range sits in the sparkline's lower band: backed by the tile's colour, the line passes behind it
        range.setBackground(new javafx.scene.layout.Background(new javafx.scene.layout.BackgroundFill(t.tileBackground,
                new javafx.scene.layout.CornerRadii(3), Insets.EMPTY)));
    }

    private Tile build(TileSpec s, Theme theme) {
        Tile.SkinType skin = switch (s.skin()) {
            case NUMBER -> Tile.SkinType.NUMBER;
            case SPARK_LINE -> Tile.SkinType.SPARK_LINE;
            case GAUGE -> Tile.SkinType.GAUGE;
            case PERCENTAGE -> Tile.SkinType.PERCENTAGE;
            case DONUT_CHART -> Tile.SkinType.DONUT_CHART;
            case LED -> Tile.SkinType.LED;
            case STATUS, TEXT, BARS -> Tile.SkinType.TEXT; // BARS: the tile draws title and frame, the rows are ours
        };
        TileBuilder<?> b = TileBuilder.create().skinType(skin).title(title()).unit(s.unitSymbol())
                .decimals(s.decimals()).tickLabelDecimals(s.decimals())
                .backgroundColor(theme.tileBackground).titleColor(theme.foreground).valueColor(theme.foreground)
                .unitColor(theme.muted).textColor(theme.muted).descriptionColor(theme.muted)
                .animated(false) // animations cost CPU on a wall at 5 s refresh and blur the figure while moving
                .textSize(Tile.TextSize.BIGGER).maxSize(Double.MAX_VALUE, Double.MAX_VALUE);
        // TilesFX clamps every value into [min, max] (default 0..100): a figure without a scale must not
        // be clipped, or a 961 ms P99 would read "100"
        boolean scaled = s.skin() == TileSpec.Skin.GAUGE || s.skin() == TileSpec.Skin.PERCENTAGE;
        // a sparkline draws its range as axis labels: until fitRange has data, 0..1 rather than ±1e15 digits
        boolean spark = s.skin() == TileSpec.Skin.SPARK_LINE;
        b.minValue(s.min() != null ? s.min() : (scaled || spark ? 0 : -1e15));
        b.maxValue(s.max() != null ? s.max() : (scaled ? 100 : spark ? 1 : 1e15));
        if (s.skin() == TileSpec.Skin.SPARK_LINE) {
            // no TilesFX axis labels or time-span text: ~9 px, ungrouped digits, and they ran into the update time;
            // the range is written once, readable, in the bottom-left corner (range label)
            b.averagingPeriod(SPARK_POINTS).smoothing(false).averageVisible(false).tickLabelsYVisible(false).textVisible(false);
        }
        if (s.skin() == TileSpec.Skin.BARS) b.textVisible(false).description("");
        Tile t = b.build();
        if (s.target() != null) {
            t.setThreshold(s.target());
            t.setThresholdVisible(true);
            t.setThresholdColor(theme.foreground);
        } else if (s.skin() == TileSpec.Skin.GAUGE) {
            t.setThresholdVisible(false); // else a grey box under the needle reads "100.0": TilesFX's default threshold
        }
        var th = s.thresholds();
        if (s.skin() == TileSpec.Skin.GAUGE && th != null && s.min() != null && s.max() != null) {
            List<Section> sections = new ArrayList<>();
            if (th.direction() == TileSpec.Thresholds.Direction.BELOW) {
                if (th.crit() != null) sections.add(new Section(s.min(), th.crit(), CRIT));
                if (th.warn() != null) sections.add(new Section(th.crit() != null ? th.crit() : s.min(), th.warn(), WARN));
            } else {
                if (th.warn() != null) sections.add(new Section(th.warn(), th.crit() != null ? th.crit() : s.max(), WARN));
                if (th.crit() != null) sections.add(new Section(th.crit(), s.max(), CRIT));
            }
            t.setSections(sections);
            t.setSectionsVisible(true);
        }
        return t;
    }

    /** Value format and unit for a language: every figure goes through {@link io.andon.board.Figures}. */
    private void formatFor(java.util.Locale locale) {
        tile.setCustomDecimalFormat(io.andon.board.Figures.decimalFormat(v -> spec.formatNumber(v, locale)));
        tile.setCustomDecimalFormatEnabled(true);
        String unit = state != null && state.hasValue() ? unitFor(state.value(), locale) : spec.unitSymbol(locale);
        if (!unit.equals(tile.getUnit())) tile.setUnit(unit);
    }

    /** The unit after a figure: none after the cap's words, seconds for a long latency, KiB…GiB for a size. */
    private String unitFor(double v, java.util.Locale locale) {
        return spec.isCapped(v) ? "" : spec.shown(v, locale).unit();
    }

    public TileSpec spec() { return spec; }

    public TileState state() { return state; }

    public Tile tile() { return tile; }

    /**
     * Takes a new state. A tile that is not in a scene (a hidden page kept live on a wall) only records it and
     * paints when it shows again: TilesFX redraws a skin even when nobody can see it, and four of five wall
     * pages are hidden at any time (P4). Sparkline readings received meanwhile are kept, so no point is lost.
     */
    public void show(TileState st) {
        this.state = st;
        if (getScene() == null) {
            if (spec.skin() == TileSpec.Skin.SPARK_LINE && sparkPrimed && st.hasValue() && !Double.isInfinite(st.value())) {
                if (unpaintedSpark.size() >= SPARK_POINTS) unpaintedSpark.removeFirst();
                unpaintedSpark.add(st.value());
            }
            unpainted = true;
            return;
        }
        paintState(st);
    }

    private void paintState(TileState st) {
        // a sparkline's points live in its skin, made at the first CSS pass after the tile enters a scene: points
        // given before are lost (a shown page of hidden-page history drew a lone dot); paint once the skin exists
        if (spec.skin() == TileSpec.Skin.SPARK_LINE && tile.getSkin() == null) {
            unpainted = true;
            return;
        }
        unpainted = false;
        boolean hasFigure = st.hasValue() && !Double.isInfinite(st.value());
        if (hasFigure && spec.skin() == TileSpec.Skin.SPARK_LINE && spec.min() == null && spec.max() == null) fitRange(st);
        if (hasFigure) {
            if (spec.skin() == TileSpec.Skin.BARS) {
                if (!st.series().equals(shownSeries)) {
                    paintBars(st.series());
                    shownSeries = st.series();
                }
            } else if (spec.skin() == TileSpec.Skin.DONUT_CHART) {
                if (!st.series().equals(shownSeries)) {
                    List<ChartData> data = new ArrayList<>();
                    for (Map.Entry<String, Double> e : st.series().entrySet()) data.add(new ChartData(e.getKey(), e.getValue()));
                    tile.setChartData(data);
                    shownSeries = st.series();
                }
            } else if (spec.skin() == TileSpec.Skin.SPARK_LINE && !sparkPrimed && !st.sparkline().isEmpty()) {
                // prime the sparkline from the range query once, then append live values. TilesFX fills its whole
                // buffer with the first value it ever takes, and a range change (fitRange) feeds it the tile's value
                // of the moment, 0 before any reading: that drew a false flat 0 before the history. So the buffer is
                // written end to end, the earliest known reading held for the time before it.
                List<Double> history = st.sparkline().stream().filter(v -> !v.isNaN() && !v.isInfinite()).toList();
                double earliest = history.isEmpty() ? st.value() : history.getFirst();
                for (int i = history.size() + 1; i < SPARK_POINTS; i++) tile.setValue(earliest);
                history.forEach(tile::setValue);
                tile.setValue(st.value());
                sparkPrimed = true;
            } else if (spec.skin() == TileSpec.Skin.SPARK_LINE) {
                // readings taken while hidden, minus the newest (painted just below)
                if (!unpaintedSpark.isEmpty()) unpaintedSpark.removeLast();
                unpaintedSpark.forEach(tile::setValue);
                unpaintedSpark.clear();
                tile.setValue(st.value()); // a sparkline appends every reading, even a repeated one
            } else if (tile.getValue() != st.value()) {
                tile.setValue(st.value());
            }
            // at the cap the figure is words ("not burning"): no unit after them; a long latency in s
            String unit = unitFor(st.value(), I18n.locale());
            if (!unit.equals(tile.getUnit())) tile.setUnit(unit);
            if (spec.skin() == TileSpec.Skin.SPARK_LINE) setText(range, rangeText(st));
        }
        trimSparkline();
        unitGaugeEnds();
        if (spec.skin() == TileSpec.Skin.LED) {
            // the lamp is lit green while the tile is OK and lit red when CRIT; dark (off) only without a trusted state
            boolean lit = hasFigure && (st.status() == TileState.Status.OK || st.status() == TileState.Status.CRIT || st.status() == TileState.Status.WARN);
            Color lamp = st.status() == TileState.Status.OK ? OK : st.status() == TileState.Status.WARN ? WARN : CRIT;
            if (!lamp.equals(tile.getActiveColor())) tile.setActiveColor(lamp);
            if (tile.isActive() != lit) tile.setActive(lit);
        }
        Color c = switch (st.status()) {
            case OK -> OK;
            case WARN -> WARN;
            case CRIT -> CRIT;
            case STALE, NO_DATA, UNKNOWN -> STALE;
            case ERROR -> ERROR;
        };
        setText(chip, chipText(st));
        setStyle(chip, "-fx-font-size: 16px; -fx-background-color: " + web(c) + "; -fx-text-fill: " + (st.status() == TileState.Status.CRIT || st.status() == TileState.Status.ERROR ? "white" : "black") + ";");
        // every TilesFX setter fires a full skin redraw, even for an unchanged value: call only on change,
        // or a refresh of a 12-tile page costs ~80 redraws in one pulse (P3)
        if (!c.equals(tile.getBarColor())) tile.setBarColor(c);
        Color valueColor = !hasFigure ? Color.TRANSPARENT // never show a default 0 as if it were a reading
                : st.status() == TileState.Status.STALE ? STALE : (st.status() == TileState.Status.OK ? theme.foreground : c);
        // (no setForegroundBaseColor here: it also resets the value colour, which hid WARN/CRIT/STALE figures)
        if (!valueColor.equals(tile.getValueColor())) tile.setValueColor(valueColor);
        double opacity = st.status() == TileState.Status.STALE ? 0.55 : 1.0;
        if (tile.getOpacity() != opacity) tile.setOpacity(opacity);
        // the rows of a bar tile are ours, drawn over the tile: greyed with it, or a stale list read as current
        if (bars.getOpacity() != opacity) bars.setOpacity(opacity);
        Color border = st.status() == TileState.Status.CRIT ? CRIT : (st.status() == TileState.Status.WARN ? WARN : Color.TRANSPARENT);
        if (!border.equals(tile.getBorderColor())) tile.setBorderColor(border);
        double borderWidth = st.status() == TileState.Status.CRIT || st.status() == TileState.Status.WARN ? 4 : 0;
        if (tile.getBorderWidth() != borderWidth) tile.setBorderWidth(borderWidth);
        boolean covered = !hasFigure || st.status() == TileState.Status.NO_DATA || st.status() == TileState.Status.ERROR
                || st.status() == TileState.Status.UNKNOWN;
        if (cover.isVisible() != covered) cover.setVisible(covered);
        setText(coverText, switch (st.status()) {
            case NO_DATA -> "— " + I18n.text("state.nodata");
            case ERROR -> "! " + I18n.text("state.error");
            case STALE -> "? " + I18n.text("state.stale");
            default -> "…";
        });
        setText(time, st.sampleTime() == null ? "" : HMS.format(st.sampleTime()));
        boolean warned = !st.warnings().isEmpty();
        if (partial.isVisible() != warned) partial.setVisible(warned);
        setText(partial, warned ? "⚠ " + I18n.text("tile.partial", st.warnings().size()) : "");
        String tip = title() + "\n" + spec.query() + (st.message().isEmpty() ? "" : "\n" + st.message());
        if (!tip.equals(tooltip.getText())) tooltip.setText(tip);
    }

    private static void setText(Label l, String text) {
        if (!text.equals(l.getText())) l.setText(text);
    }

    private static void setStyle(Label l, String style) {
        if (!style.equals(l.getStyle())) l.setStyle(style); // a new style string re-runs CSS for the node
    }

    private String chipText(TileState st) {
        return switch (st.status()) {
            case OK -> "✔ " + I18n.text("state.ok");
            case WARN -> "▲ " + I18n.text("state.warn");
            case CRIT -> "✖ " + I18n.text("state.crit");
            case STALE -> "◌ " + I18n.text("state.stale") + (st.sampleTime() == null ? "" : " " + age(st.sampleTime(), st.fetchedAt()));
            case NO_DATA -> "— " + I18n.text("state.nodata");
            case ERROR -> "! " + I18n.text("state.error");
            case UNKNOWN -> "…";
        };
    }

    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        trimSparkline();
        unitGaugeEnds();
    }

    /**
     * TilesFX writes a gauge's two ends as bare numbers ("0.0", "100.0") and writes them again at each redraw: they
     * are written here as figures with their unit ("0 %", "100 %"), the right one kept right-aligned where it was.
     */
    private static final double MIN_TEXT_PX = 14;

    private void unitGaugeEnds() {
        if (spec.skin() != TileSpec.Skin.GAUGE || tile.getSkin() == null) return;
        List<javafx.scene.text.Text> texts = new ArrayList<>();
        collectTexts(tile, texts);
        // the figure is the largest text: at a value equal to an end it reads like the end ("100.0") and was rewritten
        // to "100 %" beside its own unit
        texts.remove(largest(texts));
        java.util.Locale locale = I18n.locale();
        double[] ends = {tile.getMinValue(), tile.getMaxValue()};
        for (int i = 0; i < ends.length; i++) {
            double end = ends[i];
            String bare = String.format(java.util.Locale.US, "%." + tile.getTickLabelDecimals() + "f", end);
            TileSpec.Shown s = spec.shown(end, locale);
            String want = io.andon.board.Figures.withUnit(s.value(), s.value() == Math.rint(s.value()) ? 0 : s.decimals(), s.unit(), locale);
            for (javafx.scene.text.Text t : texts) {
                if (!t.isVisible() || !(t.getText().equals(bare) || t.getText().equals(want))) continue;
                double before = t.getLayoutBounds().getWidth();
                if (!t.getText().equals(want)) t.setText(want);
                // TilesFX sizes them to the tile (13.7 px on a wall's SLO gauge): a wall's smallest text is 14 px
                if (t.getFont().getSize() < MIN_TEXT_PX) t.setFont(javafx.scene.text.Font.font(t.getFont().getFamily(), MIN_TEXT_PX));
                if (i == 1 && before != t.getLayoutBounds().getWidth()) t.setLayoutX(t.getLayoutX() + before - t.getLayoutBounds().getWidth());
            }
        }
    }

    /**
     * TilesFX's sparkline writes axis labels (~9 px, ungrouped digits), a time-span arrow and a clock of its own
     * that ran into the update time; its tickLabelsYVisible/textVisible switches do not hide them all, and each
     * redraw shows them again. Only the title, the figure and its unit stay: the range is our footer's.
     */
    private void trimSparkline() {
        if (spec.skin() != TileSpec.Skin.SPARK_LINE || tile.getSkin() == null) return;
        List<javafx.scene.text.Text> texts = new ArrayList<>();
        collectTexts(tile, texts);
        javafx.scene.text.Text figure = largest(texts);
        for (javafx.scene.text.Text t : texts) {
            boolean keep = t == figure || t.getText().equals(tile.getTitle()) || (!tile.getUnit().isEmpty() && t.getText().equals(tile.getUnit()));
            // both ways: before the skin's first resize every text has the same size, so a first pass may have taken
            // the title for the figure and hidden the figure (a page painted as its skin was made showed no value)
            if (keep != t.isVisible()) t.setVisible(keep);
        }
    }

    /** The tile's figure: TilesFX draws it as the largest of the tile's texts (null when there is none). */
    private static javafx.scene.text.Text largest(List<javafx.scene.text.Text> texts) {
        javafx.scene.text.Text figure = null;
        for (javafx.scene.text.Text t : texts) if (figure == null || t.getFont().getSize() > figure.getFont().getSize()) figure = t;
        return figure;
    }

    private static void collectTexts(javafx.scene.Node n, List<javafx.scene.text.Text> out) {
        if (n instanceof javafx.scene.text.Text t) out.add(t);
        if (n instanceof javafx.scene.Parent p) for (javafx.scene.Node c : p.getChildrenUnmodifiable()) collectTexts(c, out);
    }

    /** "1 h: 99.0 – 101.0 %": the span and range the sparkline draws, its figures written as the value's. */
    private String rangeText(TileState st) {
        double lo = Double.NaN, hi = Double.NaN;
        for (double v : st.sparkline()) {
            if (Double.isNaN(v) || Double.isInfinite(v)) continue;
            lo = Double.isNaN(lo) ? v : Math.min(lo, v);
            hi = Double.isNaN(hi) ? v : Math.max(hi, v);
        }
        if (Double.isNaN(lo)) return "";
        java.util.Locale l = I18n.locale();
        String span = spec.sparkline().map(TileView::span).map(x -> x + ": ").orElse("");
        String low = spec.formatValue(lo, l), high = spec.formatValue(hi, l);
        String lowUnit = spec.shown(lo, l).unit();
        // one unit when both ends share it: "1 h: 99.0 – 101.0 %"
        if (!lowUnit.isEmpty() && lowUnit.equals(spec.shown(hi, l).unit()) && low.endsWith(" " + lowUnit)) low = low.substring(0, low.length() - lowUnit.length() - 1);
        return span + low + " – " + high;
    }

    /** Rows of name, bar and figure with its unit, largest first; what does not fit is summed in a last row. */
    private void paintBars(Map<String, Double> series) {
        java.util.Locale l = I18n.locale();
        List<Map.Entry<String, Double>> rows = new ArrayList<>(series.entrySet());
        rows.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        // as many rows as the tile has room for (known after layout; 6 before)
        int max = getHeight() > 0 ? Math.max(1, (int) ((getHeight() - BARS_TOP - BARS_BOTTOM + 4) / BAR_ROW)) : 6;
        double top = rows.isEmpty() ? 1 : Math.max(rows.getFirst().getValue(), 1e-12);
        List<javafx.scene.Node> nodes = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (i == max - 1 && rows.size() > max) {
                double rest = rows.subList(i, rows.size()).stream().mapToDouble(Map.Entry::getValue).sum();
                nodes.add(barRow(I18n.text("tile.more", rows.size() - i), rest, top, l, true));
                break;
            }
            nodes.add(barRow(rows.get(i).getKey(), rows.get(i).getValue(), top, l, false));
        }
        bars.getChildren().setAll(nodes);
    }

    private javafx.scene.Node barRow(String name, double value, double top, java.util.Locale l, boolean rest) {
        Label n = new Label(name);
        n.setStyle("-fx-font-size: 17px; -fx-text-fill: " + web(theme.foreground) + ";");
        n.setMinWidth(0);
        n.setPrefWidth(150);
        n.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
        Label v = new Label(spec.formatValue(value, l));
        v.setStyle("-fx-font-size: 17px; -fx-font-weight: bold; -fx-text-fill: " + web(theme.foreground) + ";");
        v.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.scene.layout.Region bar = new javafx.scene.layout.Region();
        bar.setStyle("-fx-background-color: " + (rest ? web(STALE) : "#4a90d9") + "; -fx-background-radius: 3;");
        bar.setMinHeight(14);
        bar.setMaxHeight(14);
        StackPane track = new StackPane(bar);
        StackPane.setAlignment(bar, Pos.CENTER_LEFT);
        track.setMinWidth(20);
        bar.maxWidthProperty().bind(track.widthProperty().multiply(Math.max(0, Math.min(1, value / top))));
        javafx.scene.layout.HBox.setHgrow(track, javafx.scene.layout.Priority.ALWAYS);
        javafx.scene.layout.HBox row = new javafx.scene.layout.HBox(10, n, track, v);
        row.setAlignment(Pos.CENTER_LEFT);
        row.setMinHeight(BAR_ROW - 4);
        row.setPrefHeight(BAR_ROW - 4);
        row.setMaxHeight(BAR_ROW - 4);
        return row;
    }

    /** The sparkline skin scales its graph to the tile's min/max: keep them around the data, not ±∞. */
    private void fitRange(TileState st) {
        double lo = st.value(), hi = st.value();
        for (double v : st.sparkline()) {
            if (Double.isNaN(v) || Double.isInfinite(v)) continue;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double pad = Math.max((hi - lo) * 0.1, Math.abs(hi) * 0.01 + 1e-9);
        double min = lo >= 0 && lo - pad < 0 ? 0 : lo - pad, max = hi + pad;
        if (min == tile.getMinValue() && max == tile.getMaxValue()) return; // each set redraws the skin
        tile.setMaxValue(1e15);
        tile.setMinValue(min);
        tile.setMaxValue(max);
    }

    /** "6 h", "30 min": the span a sparkline covers. */
    static String span(Duration d) {
        long m = d.toMinutes();
        if (m >= 1440 && m % 1440 == 0) return (m / 1440) + " d";
        if (m >= 60 && m % 60 == 0) return (m / 60) + " h";
        return m + " min";
    }

    static String age(Instant from, Instant to) {
        long s = Math.max(0, Duration.between(from, to == null ? Instant.now() : to).toSeconds());
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    private static String web(Color c) {
        return String.format("#%02x%02x%02x", (int) (c.getRed() * 255), (int) (c.getGreen() * 255), (int) (c.getBlue() * 255));
    }
}
