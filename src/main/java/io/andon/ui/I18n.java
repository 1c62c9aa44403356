package io.andon.ui;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * UI strings from resource bundles, switchable at run time: views bind to {@link #bind(String)} so a
 * language change repaints every label without a restart.
 */
public final class I18n {
    public static final Locale ZH_CN = Locale.SIMPLIFIED_CHINESE;
    private static final String BUNDLE = "io.andon.i18n.messages";
    private static final ObjectProperty<Locale> LOCALE = new SimpleObjectProperty<>(defaultLocale());

    private I18n() {}

    /** zh-CN when the OS speaks Chinese, English otherwise. */
    public static Locale defaultLocale() {
        return Locale.getDefault().getLanguage().equals("zh") ? ZH_CN : Locale.ENGLISH;
    }

    /** The language; views follow it with {@link #follow} or a binding ({@link #bind}), never a plain listener. */
    public static ReadOnlyObjectProperty<Locale> localeProperty() { return LOCALE; }

    /** Runs {@code action} on each language change while {@code owner} lives (see {@link Follow}). */
    public static Runnable follow(javafx.scene.Node owner, Runnable action) {
        return Follow.whileAlive(owner, LOCALE, l -> action.run());
    }

    public static Locale locale() { return LOCALE.get(); }

    public static void setLocale(Locale locale) {
        LOCALE.set(locale.getLanguage().equals("zh") ? ZH_CN : Locale.ENGLISH);
    }

    public static boolean isChinese() { return locale().getLanguage().equals("zh"); }

    public static String text(String key, Object... args) {
        String pattern;
        try {
            pattern = ResourceBundle.getBundle(BUNDLE, locale()).getString(key);
        } catch (MissingResourceException e) {
            pattern = key; // visible in the UI and caught by the bundle-completeness test
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale()).format(args);
    }

    public static StringBinding bind(String key, Object... args) {
        return Bindings.createStringBinding(() -> text(key, args), LOCALE);
    }

    /** A text computed from other values too, recomputed when they or the language change. */
    public static StringBinding bind(java.util.concurrent.Callable<String> text, javafx.beans.Observable... dependencies) {
        javafx.beans.Observable[] all = java.util.Arrays.copyOf(dependencies, dependencies.length + 1);
        all[dependencies.length] = LOCALE;
        return Bindings.createStringBinding(text, all);
    }

    /** Picks the zh-CN or English variant of a text pair from config (dashboard titles). */
    public static String pick(String en, String zh) {
        if (isChinese() && zh != null && !zh.isBlank()) return zh;
        return en != null ? en : (zh != null ? zh : "");
    }
}
