package io.andon.ui;

import javafx.scene.Scene;
import javafx.scene.paint.Color;

import java.net.URL;
import java.util.Locale;

/**
 * Themes are plain stylesheets in the top-level themes/ folder (copied onto the classpath by the build);
 * Java only knows their names and the few colours TilesFX needs as values rather than CSS.
 */
public enum Theme {
    DARK("dark", Color.web("#1b1f24"), Color.web("#e8eaed"), Color.web("#9aa0a6")),
    LIGHT("light", Color.web("#ffffff"), Color.web("#202124"), Color.web("#5f6368")),
    HIGH_CONTRAST("high-contrast", Color.BLACK, Color.WHITE, Color.web("#ffff00"));

    public final String id;
    public final Color tileBackground;
    public final Color foreground;
    public final Color muted;

    Theme(String id, Color tileBackground, Color foreground, Color muted) {
        this.id = id;
        this.tileBackground = tileBackground;
        this.foreground = foreground;
        this.muted = muted;
    }

    public static Theme of(String id) {
        String want = id.toLowerCase(Locale.ROOT).replace('_', '-');
        for (Theme t : values()) if (t.id.equals(want)) return t;
        throw new IllegalArgumentException("unknown theme '" + id + "' (dark, light, high-contrast)");
    }

    public URL stylesheet() {
        URL url = Theme.class.getResource("/io/andon/themes/" + id + ".css");
        if (url == null) throw new IllegalStateException("theme stylesheet missing: themes/" + id + ".css");
        return url;
    }

    public void applyTo(Scene scene) {
        Appearance.set(this);
        scene.getStylesheets().setAll(
                Theme.class.getResource("/io/andon/themes/base.css").toExternalForm(),
                stylesheet().toExternalForm());
    }
}
