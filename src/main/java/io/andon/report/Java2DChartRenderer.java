package io.andon.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Charts drawn with Java2D on an off-screen image: works with {@code java.awt.headless=true} (the CLI sets it), so
 * {@code andon report} needs no display and CI no Xvfb. Same look as the console's charts in print: light background, series colours of the
 * console's palette, SLO line dashed. Drawn at twice the requested size for a sharp print.
 */
public final class Java2DChartRenderer implements ChartRenderer {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd)};
    private static final int SCALE = 2;
    private static final int LEFT = 64, RIGHT = 12, TOP = 10, BOTTOM = 24;

    @Override
    public byte[] line(LineChart c, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width * SCALE, height * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = begin(img);
        int w = width, h = height;
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (Line l : c.lines()) for (Point p : l.points()) if (Double.isFinite(p.v())) { min = Math.min(min, p.v()); max = Math.max(max, p.v()); }
        if (c.threshold() != null) { min = Math.min(min, c.threshold()); max = Math.max(max, c.threshold()); }
        if (min == Double.MAX_VALUE) { min = 0; max = 1; }
        if (c.unit() == Unit.MILLIS) min = 0;
        if (max - min < 1e-9) { max = max + (c.unit() == Unit.PERCENT ? 0.001 : 0.01); min = min - (c.unit() == Unit.PERCENT ? 0.001 : 0); }
        double pad = (max - min) * 0.08;
        if (c.unit() == Unit.PERCENT) max = Math.min(1, max + pad); else max += pad;
        if (c.unit() != Unit.MILLIS) min = Math.max(0, min - pad);
        axes(g, w, h, c.from(), c.to(), c.zone(), min, max, c.unit());
        double fmin = min, fmax = max;
        if (c.threshold() != null) {
            g.setColor(new Color(0xd62728));
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{5f, 4f}, 0f));
            int y = y(c.threshold(), fmin, fmax, h);
            g.drawLine(LEFT, y, w - RIGHT, y);
        }
        g.setStroke(new BasicStroke(1.5f));
        int i = 0;
        int legendX = LEFT + 8;
        for (Line l : c.lines()) {
            Color col = PALETTE[i++ % PALETTE.length];
            g.setColor(col);
            Path2D path = new Path2D.Double();
            boolean pen = false;
            Instant prev = null;
            for (Point p : l.points()) {
                if (!Double.isFinite(p.v())) { pen = false; continue; }
                double x = x(p.t(), c.from(), c.to(), w), y = y(p.v(), fmin, fmax, h);
                // a gap in the samples is a gap in the line, not a straight bridge
                if (prev != null && Duration.between(prev, p.t()).toMillis() > gap(c)) pen = false;
                if (pen) path.lineTo(x, y); else path.moveTo(x, y);
                pen = true;
                prev = p.t();
            }
            g.draw(path);
            if (c.lines().size() > 1 || !l.name().isEmpty()) {
                g.fillRect(legendX, TOP + 4, 10, 3);
                g.setColor(Color.DARK_GRAY);
                g.drawString(l.name(), legendX + 14, TOP + 10);
                legendX += 24 + g.getFontMetrics().stringWidth(l.name());
            }
        }
        return png(img, g);
    }

    private static long gap(LineChart c) {
        return Math.max(5_000, Duration.between(c.from(), c.to()).toMillis() / 300 * 3);
    }

    @Override
    public byte[] timeline(Timeline c, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width * SCALE, height * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = begin(img);
        int w = width, h = height;
        // one row per alert name, in the order given
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (Bar b : c.bars()) rows.putIfAbsent(b.label(), rows.size());
        int n = Math.max(1, rows.size());
        int left = 190;
        int rowH = Math.max(8, Math.min(18, (h - TOP - BOTTOM) / n));
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(left, TOP, w - left - RIGHT, h - TOP - BOTTOM);
        timeAxis(g, left, w, h, c.from(), c.to(), c.zone());
        g.setFont(g.getFont().deriveFont(Math.min(10f, rowH - 1f)));
        for (var e : rows.entrySet()) {
            int y = TOP + e.getValue() * rowH;
            g.setColor(Color.DARK_GRAY);
            String label = e.getKey();
            if (g.getFontMetrics().stringWidth(label) > left - 8) {
                while (g.getFontMetrics().stringWidth(label + "…") > left - 8 && label.length() > 4) label = label.substring(0, label.length() - 1);
                label += "…";
            }
            g.drawString(label, 4, y + rowH - 3);
        }
        for (Bar b : c.bars()) {
            int y = TOP + rows.get(b.label()) * rowH;
            double x0 = xl(b.start(), c.from(), c.to(), left, w), x1 = xl(b.end() == null ? c.to() : b.end(), c.from(), c.to(), left, w);
            g.setColor(b.critical() ? new Color(0xd62728) : new Color(0xff9f1a));
            g.fillRect((int) x0, y + 2, Math.max(2, (int) (x1 - x0)), rowH - 4);
            if (b.end() == null) {
                g.setColor(Color.BLACK);
                g.fillPolygon(new int[]{(int) x1, (int) x1 - 5, (int) x1 - 5}, new int[]{y + rowH / 2, y + 2, y + rowH - 2}, 3);
            }
        }
        return png(img, g);
    }

    private static Graphics2D begin(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.scale(SCALE, SCALE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        return g;
    }

    private static void axes(Graphics2D g, int w, int h, Instant from, Instant to, java.time.ZoneId zone, double min, double max, Unit unit) {
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(LEFT, TOP, w - LEFT - RIGHT, h - TOP - BOTTOM);
        g.setStroke(new BasicStroke(0.5f));
        for (int i = 0; i <= 4; i++) {
            double v = min + (max - min) * i / 4;
            int y = y(v, min, max, h);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, w - RIGHT, y);
            g.setColor(Color.DARK_GRAY);
            String s = unit == Unit.PERCENT ? String.format(java.util.Locale.ROOT, "%.2f %%", v * 100)
                    : String.format(java.util.Locale.ROOT, "%,.0f ms", v * 1000);
            g.drawString(s, LEFT - 4 - g.getFontMetrics().stringWidth(s), y + 3);
        }
        timeAxis(g, LEFT, w, h, from, to, zone);
    }

    private static void timeAxis(Graphics2D g, int left, int w, int h, Instant from, Instant to, java.time.ZoneId zone) {
        long span = Duration.between(from, to).toMillis();
        DateTimeFormatter f = DateTimeFormatter.ofPattern(span < 600_000 ? "HH:mm:ss" : "HH:mm").withZone(zone);
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i <= 4; i++) {
            Instant t = from.plusMillis(span * i / 4);
            int x = (int) xl(t, from, to, left, w);
            String s = f.format(t);
            int sw = g.getFontMetrics().stringWidth(s);
            g.drawString(s, Math.max(left - sw / 2, Math.min(x - sw / 2, w - RIGHT - sw)), h - BOTTOM + 13);
            g.drawLine(x, h - BOTTOM, x, h - BOTTOM + 3);
        }
    }

    private static double x(Instant t, Instant from, Instant to, int w) { return xl(t, from, to, LEFT, w); }

    private static double xl(Instant t, Instant from, Instant to, int left, int w) {
        double span = Math.max(1, Duration.between(from, to).toMillis());
        double f = Math.max(0, Math.min(1, Duration.between(from, t).toMillis() / span));
        return left + f * (w - left - RIGHT);
    }

    private static int y(double v, double min, double max, int h) {
        return (int) Math.round(h - BOTTOM - (v - min) / (max - min) * (h - TOP - BOTTOM));
    }

    private static byte[] png(BufferedImage img, Graphics2D g) throws IOException {
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static List<Point> points(io.andon.prometheus.Series s) {
        return s.points().stream().map(p -> new Point(p.time(), p.value())).toList();
    }
}
