package io.andon.ui;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** The current theme, switchable at run time: views that paint colours themselves (tiles) follow it. */
public final class Appearance {
    private static final ObjectProperty<Theme> THEME = new SimpleObjectProperty<>(Theme.DARK);

    private Appearance() {}

    /** The theme; views follow it with {@link #follow}, never a plain listener. */
    public static javafx.beans.property.ReadOnlyObjectProperty<Theme> themeProperty() { return THEME; }

    /** Calls {@code action} with each new theme while {@code owner} lives (see {@link Follow}). */
    public static Runnable follow(javafx.scene.Node owner, java.util.function.Consumer<Theme> action) {
        return Follow.whileAlive(owner, THEME, action);
    }

    public static Theme theme() { return THEME.get(); }

    public static void set(Theme theme) { THEME.set(theme); }
}
