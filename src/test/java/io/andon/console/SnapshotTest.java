package io.andon.console;

import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.Image;
import javafx.scene.layout.HBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's own PNG writer: what a standard decoder reads back is exactly what JavaFX rendered. */
@ExtendWith(ApplicationExtension.class)
class SnapshotTest {
    private HBox root;

    @Start
    void start(Stage stage) {
        root = new HBox(new Rectangle(7, 5, Color.web("#e5393b")), new Rectangle(6, 5, Color.web("#2ecc71")),
                new Rectangle(4, 5, Color.color(0.1, 0.2, 0.9, 0.4)));
        stage.setScene(new Scene(root, 17, 5));
        stage.show();
    }

    @Test
    void opaqueSnapshotReadsBackPixelForPixel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/shot.png");
        Image rendered = onFx(() -> {
            Snapshot.write(root, file);
            return root.snapshot(new SnapshotParameters(), null);
        });
        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back).as("a PNG a standard decoder reads").isNotNull();
        assertSamePixels(rendered, back);
        assertThat(back.getColorModel().hasAlpha()).as("white snapshot fill: no alpha channel needed").isFalse();
    }

    @Test
    void imageWithAlphaKeepsIt(@TempDir Path dir) throws Exception {
        // built pixel by pixel: a node's snapshot would depend on the CSS (a scene root gets a background)
        Path file = dir.resolve("alpha.png");
        Image written = onFx(() -> {
            javafx.scene.image.WritableImage img = new javafx.scene.image.WritableImage(9, 4);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 9; x++) {
                    int a = x < 3 ? 0xff : (x < 6 ? 0x66 : 0x00);
                    img.getPixelWriter().setArgb(x, y, a << 24 | (x * 28) << 16 | (y * 60) << 8 | 0x80);
                }
            }
            try (var out = java.nio.file.Files.newOutputStream(file)) {
                Snapshot.png(img, out);
            }
            return img;
        });
        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back.getColorModel().hasAlpha()).isTrue();
        assertSamePixels(written, back);
    }

    private static void assertSamePixels(Image rendered, BufferedImage back) {
        int w = (int) rendered.getWidth(), h = (int) rendered.getHeight();
        assertThat(back.getWidth()).isEqualTo(w);
        assertThat(back.getHeight()).isEqualTo(h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int want = rendered.getPixelReader().getArgb(x, y), got = back.getRGB(x, y);
                if ((want >>> 24) == 0) assertThat(got >>> 24).as("alpha at %d,%d", x, y).isZero();
                else assertThat(Integer.toHexString(got)).as("pixel %d,%d", x, y).isEqualTo(Integer.toHexString(want));
            }
        }
    }

    private static <T> T onFx(Callable<T> c) throws Exception {
        var f = WaitForAsyncUtils.asyncFx(c);
        return f.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
