package io.andon.console;

import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Renders a node to a PNG file (for --snapshot, reports and the tests' screenshots). FX thread only.
 * The PNG is written here rather than through Swing and ImageIO: those load AWT (~1000 classes) and ImageIO's
 * plugin registry, and compress at their slowest level — about 0.4 s of the console's start to its first
 * snapshot (P6) for an image that is then only looked at.
 */
public final class Snapshot {
    private Snapshot() {}

    public static Path write(Node node, Path file) throws IOException {
        StartupTrace.mark("snapshot begin");
        Image image = node.snapshot(new SnapshotParameters(), null);
        StartupTrace.mark("snapshot rendered");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (OutputStream out = Files.newOutputStream(file)) {
            png(image, out);
        }
        StartupTrace.mark("png written");
        if (Boolean.getBoolean("andon.snapshotText")) texts(node, Path.of(file + ".txt"));
        return file;
    }

    /**
     * {@code -Dandon.snapshotText=true}: beside the PNG, every visible text of the scene with its bounds in the image
     * ("x y w h text", one a line), so a test of the installed launcher can check what the picture says and where.
     */
    static void texts(Node root, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>(java.util.List.of(root));
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!n.isVisible() || n.getOpacity() == 0) continue;
            if (n instanceof javafx.scene.text.Text t && t.getText() != null && !t.getText().isBlank()) {
                javafx.geometry.Bounds b = t.localToScene(t.getBoundsInLocal());
                sb.append(String.format(java.util.Locale.ROOT, "%.0f %.0f %.0f %.0f %s%n", b.getMinX(), b.getMinY(), b.getWidth(), b.getHeight(),
                        t.getText().replace('\n', ' ')));
            }
            if (n instanceof javafx.scene.Parent p) todo.addAll(p.getChildrenUnmodifiable());
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /** 8-bit RGB (RGBA when any pixel is not opaque), each row with the "Sub" filter, which suits flat UI colours. */
    static void png(Image image, OutputStream sink) throws IOException {
        int w = (int) image.getWidth(), h = (int) image.getHeight();
        if (w <= 0 || h <= 0) throw new IOException("empty image (" + w + "×" + h + ")");
        byte[] bgra = new byte[w * h * 4];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getByteBgraInstance(), bgra, 0, w * 4);
        boolean alpha = false;
        for (int i = 3; i < bgra.length && !alpha; i += 4) alpha = bgra[i] != (byte) 0xff;
        int bpp = alpha ? 4 : 3;
        DataOutputStream out = new DataOutputStream(sink);
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[]{8, (byte) (alpha ? 6 : 2), 0, 0, 0}); // depth, colour type, deflate, adaptive filters, no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream idat = new ByteArrayOutputStream(w * h);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
            byte[] row = new byte[1 + w * bpp];
            row[0] = 1; // Sub: each byte minus the same channel of the pixel to its left
            for (int y = 0; y < h; y++) {
                int src = y * w * 4;
                for (int x = 0, o = 1; x < w; x++, src += 4, o += bpp) {
                    row[o] = bgra[src + 2];
                    row[o + 1] = bgra[src + 1];
                    row[o + 2] = bgra[src];
                    if (alpha) row[o + 3] = bgra[src + 3];
                }
                for (int o = row.length - 1; o > bpp; o--) row[o] -= row[o - bpp];
                z.write(row);
            }
        } finally {
            deflater.end();
        }
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        out.flush();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
