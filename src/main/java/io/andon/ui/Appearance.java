package io.andon.ui;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** The current theme, switchable at run time: views that paint colours themselves (tiles) follow it. */
public final class Appearance {
    private static final ObjectProperty<Theme> THEME = new SimpleObjectProperty<>(Theme.DARK);

    private Appearance() {}

    public static ObjectProperty<Theme> themeProperty() { return THEME; }

    public static Theme theme() { return THEME.get(); }
}
