package io.andon.ui;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Both languages have the same keys, and the Chinese texts really are translated. */
class BundlesTest {
    private static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = BundlesTest.class.getResourceAsStream("/io/andon/i18n/" + name)) {
            assertThat(in).as(name).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void sameKeysInBothLanguages() throws Exception {
        Properties en = load("messages.properties");
        Properties zh = load("messages_zh_CN.properties");
        assertThat(new TreeSet<>(zh.stringPropertyNames())).isEqualTo(new TreeSet<>(en.stringPropertyNames()));
    }

    @Test
    void chineseTextsAreChinese() throws Exception {
        Properties zh = load("messages_zh_CN.properties");
        long untranslated = zh.stringPropertyNames().stream()
                .filter(k -> !k.equals("page.slo"))
                .filter(k -> zh.getProperty(k).codePoints().noneMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN))
                .count();
        assertThat(untranslated).as("zh-CN strings without any Chinese character").isZero();
    }

    @Test
    void i18nSwitchesAtRuntime() {
        I18n.setLocale(java.util.Locale.ENGLISH);
        assertThat(I18n.text("page.alerts")).isEqualTo("Alerts");
        I18n.setLocale(I18n.ZH_CN);
        assertThat(I18n.text("page.alerts")).isEqualTo("告警");
        I18n.setLocale(java.util.Locale.ENGLISH);
    }
}
