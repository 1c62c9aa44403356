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

    /** Every label's, button's and cell's text under {@code n}, in scene order (what a language switch must change). */
    public static java.util.List<String> texts(Node n) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (n instanceof javafx.scene.control.Labeled l && l.getText() != null) out.add(l.getText());
        if (n instanceof javafx.scene.Parent p) for (Node c : p.getChildrenUnmodifiable()) out.addAll(texts(c));
        return out;
    }

    /** Every text field's prompt under {@code n}. */
    public static java.util.List<String> prompts(Node n) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (n instanceof javafx.scene.control.TextField f && f.getPromptText() != null) out.add(f.getPromptText());
        if (n instanceof javafx.scene.Parent p) for (Node c : p.getChildrenUnmodifiable()) out.addAll(prompts(c));
        return out;
    }

    /** A condition on the scene that may throw while its nodes are not there yet. */
    public interface Check {
        boolean ok() throws Exception;
    }

    /**
     * Waits until {@code cond} holds, FX events flushed before each try; a RuntimeException (a node not there yet)
     * counts as "not yet". Fails naming {@code what} after {@code max}.
     */
    public static void await(String what, java.time.Duration max, Check cond) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
            try {
                if (cond.ok()) return;
            } catch (RuntimeException notYet) {
                // not there yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for: " + what);
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
