package io.andon.report;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The report's words in its language, from the console's message bundles (keys {@code report.*}); no JavaFX. */
public final class ReportText {
    private static final String BUNDLE = "io.andon.i18n.messages";
    private final Locale locale;
    private final ResourceBundle bundle;

    public ReportText(Locale locale) {
        this.locale = locale;
        // no fallback to the machine's language: an English report on a Chinese desktop stays English
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_DEFAULT));
    }

    public Locale locale() { return locale; }

    public boolean chinese() { return locale.getLanguage().equals("zh"); }

    public String t(String key, Object... args) {
        String p;
        try {
            p = bundle.getString(key);
        } catch (MissingResourceException e) {
            p = key;
        }
        return args.length == 0 ? p : new MessageFormat(p, locale).format(args);
    }

    /** "99.873 %" */
    public String percent(double ratio, int decimals) {
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMinimumFractionDigits(decimals);
        f.setMaximumFractionDigits(decimals);
        return f.format(ratio * 100) + " %";
    }

    /** Grouped digits: "1,234,567.8" */
    public String number(double v, int decimals) {
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMinimumFractionDigits(decimals);
        f.setMaximumFractionDigits(decimals);
        f.setGroupingUsed(true);
        return f.format(v);
    }

    /** "2 h 05 min", "48 s" (zh: "2 小时 05 分", "48 秒"). */
    public String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        long h = s / 3600, m = s % 3600 / 60, sec = s % 60;
        if (h > 0) return t("report.dur.hm", h, String.format("%02d", m));
        if (m > 0) return t("report.dur.ms", m, String.format("%02d", sec));
        return t("report.dur.s", sec);
    }
}
