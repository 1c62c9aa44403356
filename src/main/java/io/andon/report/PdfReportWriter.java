package io.andon.report;

import io.andon.report.ShiftReport.AlertRow;
import io.andon.report.ShiftReport.Section;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lays a {@link ShiftReport} out as an A4 PDF with PDFBox: page one answers "what is still open and who is on it",
 * then SLOs, every alert of the shift, silences ending next shift, top errors, business figures and charts. All
 * text is set in one embedded CJK font (subset), so the file prints the same anywhere.
 */
public final class PdfReportWriter {
    private static final float MARGIN = 40, TOP = PDRectangle.A4.getHeight() - 40, BOTTOM = 50;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final Color RED = new Color(0xc62828), AMBER = new Color(0xb26a00), GREY = new Color(0x555555), BAND = new Color(0xe8eaf0);

    private final ChartRenderer charts;
    private final Path fontFile;

    public PdfReportWriter(ChartRenderer charts, Path fontFile) {
        this.charts = charts;
        this.fontFile = fontFile;
    }

    /** With the font found on this machine ({@link ReportFonts#find()}). */
    public static PdfReportWriter withSystemFont(ChartRenderer charts) throws IOException {
        return new PdfReportWriter(charts, ReportFonts.find());
    }

    public byte[] write(ShiftReport r, Locale locale) throws IOException {
        ReportText tx = new ReportText(locale);
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(tx.t("report.title") + " " + r.shift().fileId());
            info.setCreator("Andon");
            Calendar c = new GregorianCalendar();
            c.setTimeInMillis(r.generatedAt().toEpochMilli());
            info.setCreationDate(c);
            Layout l = new Layout(doc, ReportFonts.load(doc, fontFile), tx, r.shift().start().getZone(), r.shift());
            l.newPage();
            pageOne(l, r, tx);
            alerts(l, r, tx);
            silences(l, r, tx);
            errors(l, r, tx);
            business(l, r, tx);
            charts(l, r, tx);
            l.finish(r);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** Page {@code index} (0-based) as an image: the console's preview and the tests' look at page one. */
    public static BufferedImage render(byte[] pdf, int index, float dpi) throws IOException {
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            return new PDFRenderer(doc).renderImageWithDPI(index, dpi, ImageType.RGB);
        }
    }

    // ---- sections

    private static void pageOne(Layout l, ShiftReport r, ReportText tx) throws IOException {
        Shift s = r.shift();
        l.band(tx.t("report.title"), 18);
        // seconds only for a shift that does not start on a whole minute (a test's or a drill's)
        DateTimeFormatter d = DateTimeFormatter.ofPattern(s.start().getSecond() != 0 || s.end().getSecond() != 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm");
        String shiftName = tx.t("report.shift." + s.name()).startsWith("report.") ? s.name() : tx.t("report.shift." + s.name());
        l.line(tx.t("report.subtitle", s.plant() == null ? tx.t("report.allPlants") : tx.t("report.plant", s.plant()), shiftName,
                s.start().format(d), s.end().format(d), s.start().getZone().getId()), 10, GREY);
        l.line(tx.t("report.generated", l.full(r.generatedAt()), l.full(r.asOf())), 8, GREY);
        List<String> failed = new ArrayList<>();
        for (Section<?> sec : List.of(r.slos(), r.alerts(), r.silences(), r.errors(), r.business(), r.charts(), r.notes())) {
            for (String f : sec.failures()) if (!failed.contains(f)) failed.add(f);
        }
        if (!failed.isEmpty()) {
            l.gap(4);
            l.line(tx.t("report.failedSources"), 10, RED);
            for (String f : failed) l.wrapped("• " + f, 8, RED, 10);
        }
        List<AlertRow> rows = r.alerts().value();
        List<AlertRow> open = rows.stream().filter(a -> a.stillFiring() && !a.acknowledged()).toList();
        List<AlertRow> owned = rows.stream().filter(a -> a.stillFiring() && a.acknowledged()).toList();
        l.heading(tx.t("report.openUnacked", open.size()), RED);
        sectionFailures(l, r.alerts(), tx);
        if (open.isEmpty()) l.line(tx.t("report.none"), 9, GREY);
        else {
            float[] w = {170, 50, 40, 65, 60, WIDTH - 385};
            l.row(w, 8, GREY, tx.t("report.col.alert"), tx.t("report.col.severity"), tx.t("report.col.plant"), tx.t("report.col.since"),
                    tx.t("report.col.duration"), tx.t("report.col.summary"));
            for (AlertRow a : open) {
                l.row(w, 9, RED, label(a), a.severity(), dash(a.plant()), l.time(a.start()), tx.duration(a.duration(r.asOf())),
                        (tx.chinese() ? a.summaryZh() : a.summaryEn()) + (a.silencedBy() != null ? " [" + tx.t("report.silencedBy", a.silencedBy()) + "]" : "")
                                + (a.shelved() ? " [" + tx.t("report.shelved") + "]" : ""));
            }
        }
        l.heading(tx.t("report.openAcked", owned.size()), AMBER);
        if (owned.isEmpty()) l.line(tx.t("report.none"), 9, GREY);
        else {
            float[] w = {170, 50, 40, 65, 80, WIDTH - 405};
            l.row(w, 8, GREY, tx.t("report.col.alert"), tx.t("report.col.severity"), tx.t("report.col.plant"), tx.t("report.col.since"),
                    tx.t("report.col.owner"), tx.t("report.col.note"));
            for (AlertRow a : owned) l.row(w, 9, AMBER, label(a), a.severity(), dash(a.plant()), l.time(a.start()), a.ackedBy(), dash(a.ackNote()));
        }
        l.heading(tx.t("report.notes"), Color.BLACK);
        sectionFailures(l, r.notes(), tx);
        if (r.notes().value().isEmpty()) l.line(tx.t("report.noNote"), 9, GREY);
        for (var n : r.notes().value()) {
            l.line(l.time(n.at()) + "  " + dash(n.user()), 8, GREY);
            l.wrapped(n.text(), 10, Color.BLACK, 0);
        }
        l.heading(tx.t("report.slos"), Color.BLACK);
        sectionFailures(l, r.slos(), tx);
        if (!r.slos().value().isEmpty()) {
            float[] w = {110, 70, 110, 130, WIDTH - 420};
            l.row(w, 8, GREY, tx.t("report.col.slo"), tx.t("report.col.objective"), tx.t("report.col.attainment"), tx.t("report.col.budget"),
                    tx.t("report.col.burnAlerts"));
            for (var s2 : r.slos().value()) {
                long burns = rows.stream().filter(a -> a.burnRate() && s2.slo().equals(a.labels().get("slo"))).count();
                boolean bad = s2.attainment() != null && s2.attainment() < s2.objective();
                l.row(w, 9, bad ? RED : Color.BLACK, tx.t("report.slo." + s2.slo()).startsWith("report.") ? s2.slo() : tx.t("report.slo." + s2.slo()),
                        tx.percent(s2.objective(), 1), s2.attainment() == null ? tx.t("report.noTraffic") : tx.percent(s2.attainment(), 3),
                        s2.budgetConsumed() == null ? "—" : tx.t("report.budgetOf", tx.percent(s2.budgetConsumed(), 2), s2.windowDays()),
                        String.valueOf(burns));
            }
        }
    }

    private static void alerts(Layout l, ShiftReport r, ReportText tx) throws IOException {
        List<AlertRow> rows = r.alerts().value().stream().sorted(java.util.Comparator.comparing(AlertRow::start)).toList();
        l.heading(tx.t("report.alerts", rows.size()), Color.BLACK);
        sectionFailures(l, r.alerts(), tx);
        if (rows.isEmpty()) {
            if (!r.alerts().failed()) l.line(tx.t("report.none"), 9, GREY);
            return;
        }
        float[] w = {160, 46, 36, 50, 58, 52, WIDTH - 402};
        l.row(w, 8, GREY, tx.t("report.col.alert"), tx.t("report.col.severity"), tx.t("report.col.plant"), tx.t("report.col.start"),
                tx.t("report.col.end"), tx.t("report.col.duration"), tx.t("report.col.handling"));
        for (AlertRow a : rows) {
            String handling = a.acknowledged() ? tx.t("report.ackedBy", a.ackedBy()) + (a.ackNote() == null || a.ackNote().isBlank() ? "" : ": " + a.ackNote())
                    : a.silencedBy() != null ? tx.t("report.silencedBy", a.silencedBy()) : a.shelved() ? tx.t("report.shelved") : "";
            l.row(w, 8, a.stillFiring() ? (a.acknowledged() ? AMBER : RED) : Color.BLACK, label(a), a.severity(), dash(a.plant()),
                    l.time(a.start()), a.stillFiring() ? tx.t("report.stillFiring") : l.time(a.end()), tx.duration(a.duration(r.asOf())), handling);
        }
    }

    private static void silences(Layout l, ShiftReport r, ReportText tx) throws IOException {
        l.heading(tx.t("report.silences", r.silences().value().size()), Color.BLACK);
        sectionFailures(l, r.silences(), tx);
        if (r.silences().value().isEmpty()) {
            if (!r.silences().failed()) l.line(tx.t("report.none"), 9, GREY);
            return;
        }
        float[] w = {190, 80, 80, WIDTH - 350};
        l.row(w, 8, GREY, tx.t("report.col.matchers"), tx.t("report.col.ends"), tx.t("report.col.by"), tx.t("report.col.comment"));
        for (var s : r.silences().value()) l.row(w, 8, Color.BLACK, s.matchers(), l.time(s.endsAt()), dash(s.createdBy()), dash(s.comment()));
    }

    private static void errors(Layout l, ShiftReport r, ReportText tx) throws IOException {
        l.heading(tx.t("report.errors"), Color.BLACK);
        sectionFailures(l, r.errors(), tx);
        if (r.errors().value().isEmpty()) {
            if (!r.errors().failed()) l.line(tx.t("report.none"), 9, GREY);
            return;
        }
        float[] w = {20, 55, 70, 70, WIDTH - 215};
        l.row(w, 8, GREY, "#", tx.t("report.col.count"), tx.t("report.col.first"), tx.t("report.col.last"), tx.t("report.col.message"));
        int i = 1;
        for (var e : r.errors().value()) {
            l.row(w, 8, Color.BLACK, String.valueOf(i++), tx.number(e.count(), 0), l.time(e.first()), l.time(e.last()), e.message());
        }
    }

    private static void business(Layout l, ShiftReport r, ReportText tx) throws IOException {
        l.heading(tx.t("report.business"), Color.BLACK);
        sectionFailures(l, r.business(), tx);
        var b = r.business().value();
        if (b == null) return;
        if (!b.plants().isEmpty()) {
            float[] w = {80, 120, 120, WIDTH - 320};
            l.row(w, 8, GREY, tx.t("report.col.plant"), tx.t("report.col.downEnd"), tx.t("report.col.downMax"), tx.t("report.col.downHours"));
            for (var p : b.plants()) {
                l.row(w, 9, Color.BLACK, p.plant(), num(tx, p.equipmentDownAtEnd(), 0), num(tx, p.equipmentDownMax(), 0),
                        p.equipmentDownHours() == null ? "—" : tx.number(p.equipmentDownHours(), 1) + " h");
            }
        } else {
            l.line(tx.t("report.noEquipment"), 9, GREY);
        }
        l.gap(4);
        l.line(tx.t("report.attendance", b.attendanceAtEnd() == null ? "—" : tx.percent(b.attendanceAtEnd(), 1),
                b.attendanceMin() == null ? "—" : tx.percent(b.attendanceMin(), 1)), 9, Color.BLACK);
        l.line(tx.t("report.inventory", num(tx, b.inventoryValueStart(), 2), num(tx, b.inventoryValueEnd(), 2),
                b.inventoryValueChange().map(v -> (v >= 0 ? "+" : "") + tx.number(v, 2)).orElse("—")), 9, Color.BLACK);
        l.line(tx.t("report.production", num(tx, b.productionReports(), 0)), 9, Color.BLACK);
    }

    private void charts(Layout l, ShiftReport r, ReportText tx) throws IOException {
        l.heading(tx.t("report.charts"), Color.BLACK);
        sectionFailures(l, r.charts(), tx);
        ZoneId zone = r.shift().start().getZone();
        Instant from = r.shift().from(), to = r.asOf();
        int cw = (int) WIDTH, ch = 150;
        try {
            var avail = r.charts().value().availability();
            l.line(tx.t("report.chart.availability"), 9, Color.BLACK);
            if (avail.isEmpty()) l.line(tx.t("report.noData"), 8, GREY);
            else l.image(charts.line(new ChartRenderer.LineChart(from, to, zone, ChartRenderer.Unit.PERCENT,
                    avail.stream().map(s -> new ChartRenderer.Line("", Java2DChartRenderer.points(s))).toList(), 0.999), cw, ch), cw, ch);
            var p99 = r.charts().value().p99();
            l.line(tx.t("report.chart.p99"), 9, Color.BLACK);
            if (p99.isEmpty()) l.line(tx.t("report.noData"), 8, GREY);
            else l.image(charts.line(new ChartRenderer.LineChart(from, to, zone, ChartRenderer.Unit.MILLIS,
                    p99.stream().map(s -> new ChartRenderer.Line(s.labels().getOrDefault("class", ""), Java2DChartRenderer.points(s))).toList(), 0.5), cw, ch), cw, ch);
            List<ChartRenderer.Bar> bars = r.alerts().value().stream().sorted(java.util.Comparator.comparing(AlertRow::start))
                    .map(a -> new ChartRenderer.Bar(label(a), a.start(), a.end(), "critical".equals(a.severity()))).toList();
            l.line(tx.t("report.chart.timeline"), 9, Color.BLACK);
            if (bars.isEmpty()) l.line(tx.t("report.none"), 8, GREY);
            else {
                int th = Math.min(400, 40 + 16 * (int) bars.stream().map(ChartRenderer.Bar::label).distinct().count());
                l.image(charts.timeline(new ChartRenderer.Timeline(from, to, zone, bars), cw, th), cw, th);
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            l.wrapped(tx.t("report.chartFailed", e.getMessage()), 8, RED, 0);
        }
    }

    private static void sectionFailures(Layout l, Section<?> s, ReportText tx) throws IOException {
        for (String f : s.failures()) l.wrapped(tx.t("report.sourceFailed", f), 8, RED, 0);
    }

    private static final java.util.Set<String> PLAIN = java.util.Set.of("alertname", "severity", "team", "plant", "site", "alertstate", "job", "instance");

    /** The alert's name plus the labels that tell two of its series apart (slo, class, …), as the alerts page shows them. */
    static String label(AlertRow a) {
        StringBuilder b = new StringBuilder(a.alertname());
        new java.util.TreeMap<>(a.labels()).forEach((k, v) -> { if (!PLAIN.contains(k)) b.append(' ').append(v); });
        return b.toString();
    }

    private static String dash(String s) { return s == null || s.isBlank() ? "—" : s; }

    private static String num(ReportText tx, Double v, int decimals) { return v == null ? "—" : tx.number(v, decimals); }

    // ---- page layout: a cursor going down the page, a new page when the next thing does not fit

    private static final class Layout {
        final PDDocument doc;
        final PDType0Font font;
        final ReportText tx;
        final ZoneId zone;
        final Shift shift;
        final Map<Integer, Boolean> glyphs = new HashMap<>();
        PDPageContentStream cs;
        float y;

        Layout(PDDocument doc, PDType0Font font, ReportText tx, ZoneId zone, Shift shift) {
            this.doc = doc;
            this.font = font;
            this.tx = tx;
            this.zone = zone;
            this.shift = shift;
        }

        void newPage() throws IOException {
            if (cs != null) cs.close();
            PDPage p = new PDPage(PDRectangle.A4);
            doc.addPage(p);
            cs = new PDPageContentStream(doc, p);
            y = TOP;
        }

        void ensure(float h) throws IOException {
            if (y - h < BOTTOM) newPage();
        }

        void finish(ShiftReport r) throws IOException {
            cs.close();
            int n = doc.getNumberOfPages();
            for (int i = 0; i < n; i++) {
                try (PDPageContentStream f = new PDPageContentStream(doc, doc.getPage(i), PDPageContentStream.AppendMode.APPEND, true, true)) {
                    String text = safe("Andon · " + tx.t("report.title") + " · " + r.shift().fileId() + " · " + tx.t("report.page", i + 1, n));
                    f.beginText();
                    f.setFont(font, 7);
                    f.setNonStrokingColor(GREY);
                    f.newLineAtOffset(MARGIN, 25);
                    f.showText(text);
                    f.endText();
                }
            }
        }

        /** Shift-local time; the date too when it is not the shift's first day. */
        String time(Instant t) {
            if (t == null) return "—";
            var z = t.atZone(zone);
            return z.toLocalDate().equals(shift.start().toLocalDate()) ? z.format(DateTimeFormatter.ofPattern("HH:mm:ss"))
                    : z.format(DateTimeFormatter.ofPattern("MM-dd HH:mm:ss"));
        }

        String full(Instant t) { return t.atZone(zone).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")); }

        void band(String title, float size) throws IOException {
            ensure(size + 12);
            cs.setNonStrokingColor(BAND);
            cs.addRect(MARGIN - 6, y - size - 4, WIDTH + 12, size + 10);
            cs.fill();
            y -= size;
            text(MARGIN, y, size, Color.BLACK, title);
            y -= 10;
        }

        void heading(String s, Color c) throws IOException {
            // a heading with its table header and at least two rows, never alone at the foot of a page
            ensure(70);
            y -= 10;
            text(MARGIN, y - 12, 12, c, s);
            y -= 15;
            cs.setStrokingColor(new Color(0xcccccc));
            cs.setLineWidth(0.5f);
            cs.moveTo(MARGIN, y);
            cs.lineTo(MARGIN + WIDTH, y);
            cs.stroke();
            y -= 4;
        }

        void gap(float h) { y -= h; }

        void line(String s, float size, Color c) throws IOException {
            ensure(size + 4);
            y -= size + 3;
            text(MARGIN, y, size, c, fit(s, size, WIDTH));
        }

        void wrapped(String s, float size, Color c, float indent) throws IOException {
            for (String part : wrap(s, size, WIDTH - indent)) {
                ensure(size + 4);
                y -= size + 3;
                text(MARGIN + indent, y, size, c, part);
            }
        }

        /** One table row, each cell cut to its column with an ellipsis. */
        void row(float[] widths, float size, Color c, String... cells) throws IOException {
            ensure(size + 5);
            y -= size + 4;
            float x = MARGIN;
            for (int i = 0; i < cells.length; i++) {
                text(x, y, size, c, fit(cells[i] == null ? "" : cells[i], size, widths[i] - 4));
                x += widths[i];
            }
        }

        void image(byte[] png, float w, float h) throws IOException {
            ensure(h + 4);
            y -= h + 2;
            PDImageXObject img = PDImageXObject.createFromByteArray(doc, png, "chart");
            cs.drawImage(img, MARGIN, y, w, h);
            y -= 4;
        }

        private void text(float x, float y, float size, Color c, String s) throws IOException {
            cs.beginText();
            cs.setFont(font, size);
            cs.setNonStrokingColor(c);
            cs.newLineAtOffset(x, y);
            cs.showText(safe(s));
            cs.endText();
        }

        float width(String s, float size) throws IOException {
            return font.getStringWidth(safe(s)) / 1000f * size;
        }

        String fit(String s, float size, float max) throws IOException {
            s = s.replaceAll("[\\r\\n\\t]+", " ");
            if (width(s, size) <= max) return s;
            String ell = safe("…");
            int lo = 0, hi = s.length();
            while (lo < hi) {
                int mid = (lo + hi + 1) / 2;
                if (width(s.substring(0, mid) + ell, size) <= max) lo = mid; else hi = mid - 1;
            }
            return s.substring(0, lo) + ell;
        }

        /** Greedy wrap: Latin breaks at spaces, Chinese between any two characters. */
        List<String> wrap(String s, float size, float max) throws IOException {
            List<String> out = new ArrayList<>();
            for (String para : s.split("\\r?\\n")) {
                StringBuilder line = new StringBuilder();
                int i = 0;
                while (i < para.length()) {
                    int j = i + 1;
                    if (para.charAt(i) < 0x2e80) while (j < para.length() && para.charAt(j) != ' ' && para.charAt(j) < 0x2e80) j++;
                    String token = para.substring(i, j);
                    if (line.length() > 0 && width(line + token, size) > max) {
                        out.add(line.toString().stripTrailing());
                        line.setLength(0);
                        if (token.equals(" ")) { i = j; continue; }
                    }
                    if (line.length() == 0 && width(token, size) > max) token = fit(token, size, max);
                    line.append(token);
                    i = j;
                }
                out.add(line.toString());
            }
            return out;
        }

        /** Characters the font has no glyph for become "?": one odd character in a log message must not lose the report. */
        String safe(String s) {
            StringBuilder b = new StringBuilder(s.length());
            s.codePoints().forEach(cp -> {
                boolean ok = glyphs.computeIfAbsent(cp, k -> {
                    try {
                        font.encode(new String(Character.toChars(k)));
                        return true;
                    } catch (IllegalArgumentException | IOException e) {
                        return false;
                    }
                });
                if (ok) b.appendCodePoint(cp); else b.append(cp == '…' ? "..." : "?");
            });
            return b.toString();
        }
    }

}
