package io.andon.console;

import io.andon.util.Watchdog;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;

/**
 * The watchdog's last notice, in the status bar of whichever console is current. A rebuilt console takes it over:
 * left in the disposed console's status bar, the app's reference to it kept that whole console reachable (the soak's
 * heap dump: AndonApp.watchdogNotice → the old status bar → the old Shell, about 35 MiB until the next stall). FX thread.
 */
final class WatchdogNotice {
    private HBox node;

    /** A new stall replaces the notice shown before. */
    void show(Watchdog.Stall stall, Shell shell) {
        detach();
        node = FxWatchdog.notice(stall);
        moveTo(shell);
    }

    /** Into this console's status bar, out of any other's; nothing if no stall was seen. */
    void moveTo(Shell shell) {
        if (node == null || node.getParent() == shell.statusBar()) return;
        detach();
        shell.statusBar().getChildren().add(node);
    }

    HBox node() { return node; }

    private void detach() {
        if (node != null && node.getParent() instanceof Pane p) p.getChildren().remove(node);
    }
}
