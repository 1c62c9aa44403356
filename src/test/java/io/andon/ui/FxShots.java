package io.andon.ui;

import io.andon.console.Snapshot;
import javafx.scene.Node;
import org.testfx.api.FxRobot;

import java.nio.file.Path;

/** Screenshots from TestFX tests into target/screenshots (the docs' pictures come from there). */
public final class FxShots {
    private FxShots() {}

    /** The test's stage: an empty root at w×h in the dark theme, shown (the page under test goes into the root). */
    public static javafx.scene.layout.StackPane darkRoot(javafx.stage.Stage stage, int w, int h) {
        var root = new javafx.scene.layout.StackPane();
        stage.setScene(new javafx.scene.Scene(root, w, h));
        io.andon.ui.Theme.DARK.applyTo(stage.getScene());
        stage.show();
        return root;
    }

    public static Path dir() {
        return Path.of(System.getProperty("andon.project.dir", "."), "target/screenshots");
    }

    public static void shot(FxRobot robot, Node root, String name) {
        robot.interact(() -> {
            try {
                Snapshot.write(root, dir().resolve(name + ".png"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
