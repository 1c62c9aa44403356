package io.andon.report;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Draws the report's charts as PNG. The PDF layout only places pictures; who draws them is the caller's choice:
 * {@link Java2DChartRenderer} everywhere (headless CLI, CI, the console's shift-end job), or the console's own
 * JavaFX charts (io.andon.ui.reports) when a toolkit is running. Titles are not drawn: the PDF sets them as text.
 */
public interface ChartRenderer {
    enum Unit { PERCENT, MILLIS }

    record Point(Instant t, double v) {}

    record Line(String name, List<Point> points) {
        public Line {
            points = List.copyOf(points);
        }
    }

    /** Lines over [from, to]; {@code threshold} drawn dashed (the SLO), null for none. */
    record LineChart(Instant from, Instant to, ZoneId zone, Unit unit, List<Line> lines, Double threshold) {
        public LineChart {
            lines = List.copyOf(lines);
        }
    }

    /** One alert's firing interval as a bar; {@code end} null: still firing at the chart's end. */
    record Bar(String label, Instant start, Instant end, boolean critical) {}

    record Timeline(Instant from, Instant to, ZoneId zone, List<Bar> bars) {
        public Timeline {
            bars = List.copyOf(bars);
        }
    }

    byte[] line(LineChart chart, int width, int height) throws Exception;

    byte[] timeline(Timeline chart, int width, int height) throws Exception;
}
