package io.andon.console;

import io.andon.ui.I18n;
import io.andon.ui.Theme;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.layout.HBox;

import java.util.Locale;
import java.util.function.Supplier;

/** Theme and language, switchable without a restart; both remembered. */
final class AppearanceMenu extends HBox {
    AppearanceMenu(Supplier<Scene> scene, Runnable changed) {
        super(6);
        ComboBox<String> theme = new ComboBox<>(FXCollections.observableArrayList("dark", "light", "high-contrast"));
        theme.setId("theme-choice");
        theme.setValue(io.andon.ui.Appearance.theme().id);
        theme.setOnAction(e -> {
            Theme t = Theme.of(theme.getValue());
            if (t == io.andon.ui.Appearance.theme() || scene.get() == null) return;
            t.applyTo(scene.get());
            changed.run();
        });
        ComboBox<String> lang = new ComboBox<>(FXCollections.observableArrayList("中文", "English"));
        lang.setId("lang-choice");
        lang.setValue(I18n.isChinese() ? "中文" : "English");
        // follow changes made elsewhere (CLI, tests), so the box never contradicts the screen
        I18n.follow(this, () -> lang.setValue(I18n.isChinese() ? "中文" : "English"));
        io.andon.ui.Appearance.follow(this, t -> theme.setValue(t.id));
        lang.setOnAction(e -> {
            Locale want = lang.getValue().equals("中文") ? I18n.ZH_CN : Locale.ENGLISH;
            if (want.equals(I18n.locale())) return;
            I18n.setLocale(want);
            changed.run();
        });
        getChildren().addAll(theme, lang);
    }
}
