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
            Theme.of(theme.getValue()).applyTo(scene.get());
            changed.run();
        });
        ComboBox<String> lang = new ComboBox<>(FXCollections.observableArrayList("中文", "English"));
        lang.setId("lang-choice");
        lang.setValue(I18n.isChinese() ? "中文" : "English");
        lang.setOnAction(e -> {
            I18n.setLocale(lang.getValue().equals("中文") ? I18n.ZH_CN : Locale.ENGLISH);
            changed.run();
        });
        getChildren().addAll(theme, lang);
    }
}
