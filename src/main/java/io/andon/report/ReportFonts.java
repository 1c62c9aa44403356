package io.andon.report;

import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CJK font embedded (as a subset) in every report, so Chinese prints on any machine. It must have TrueType
 * outlines: PDFBox cannot subset CFF-outline OpenType, which rules out Noto Sans CJK (fonts-noto-cjk, the console's
 * screen font). WenQuanYi Micro Hei (Debian fonts-wqy-microhei, installed by andon.sh setup) has both Chinese and
 * Latin glyphs; {@code ANDON_REPORT_FONT} names another .ttf/.ttc (Windows: msyh.ttc is found by itself).
 */
public final class ReportFonts {
    static final List<String> CANDIDATES = List.of(
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
            "/usr/share/fonts/truetype/arphic/uming.ttc",
            "C:\\Windows\\Fonts\\msyh.ttc",
            "C:\\Windows\\Fonts\\simsun.ttc",
            "/Library/Fonts/Arial Unicode.ttf",
            "/System/Library/Fonts/Supplemental/Arial Unicode.ttf");

    private ReportFonts() {}

    /** The font file to use, or a message naming what was looked for and how to fix it. */
    public static Path find() throws IOException {
        String env = System.getenv("ANDON_REPORT_FONT");
        List<String> tried = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            if (Files.isReadable(Path.of(env))) return Path.of(env);
            tried.add(env + " (ANDON_REPORT_FONT)");
        }
        for (String c : CANDIDATES) {
            if (Files.isReadable(Path.of(c))) return Path.of(c);
            tried.add(c);
        }
        throw new IOException("no CJK TrueType font for the report: install fonts-wqy-microhei (andon.sh setup does) or set ANDON_REPORT_FONT; looked for "
                + String.join(", ", tried));
    }

    /** Loads the font into the document, subset-embedded: only the glyphs the report uses end up in the file. */
    public static PDType0Font load(PDDocument doc, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".ttc")) {
            // the collection stays open while the document is saved (the subset is built then); closed with the document
            TrueTypeCollection ttc = new TrueTypeCollection(file.toFile());
            TrueTypeFont[] first = new TrueTypeFont[1];
            ttc.processAllFonts(f -> {
                if (first[0] == null) first[0] = f;
            });
            if (first[0] == null) throw new IOException(file + " holds no font");
            PDType0Font f = PDType0Font.load(doc, first[0], true);
            doc.registerTrueTypeFontForClosing(first[0]);
            return f;
        }
        return PDType0Font.load(doc, new File(file.toString()));
    }
}
