package io.andon.ui;

import io.andon.console.Snapshot;
import javafx.scene.Node;
import org.testfx.api.FxRobot;

import java.nio.file.Path;

/** Screenshots from TestFX tests into target/screenshots (the docs' pictures come from there). */
public final class FxShots {
    private FxShots() {}

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
