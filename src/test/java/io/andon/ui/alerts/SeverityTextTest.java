package io.andon.ui.alerts;

import io.andon.ui.I18n;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The severity chip speaks the page's language for the severities Andon itself writes (the SLO ticket), not only critical/warning. */
class SeverityTextTest {
    @AfterEach
    void english() { I18n.setLocale(Locale.ENGLISH); }

    @Test
    void theSloTicketAndInfoAreWordedInChinese() {
        I18n.setLocale(I18n.ZH_CN);
        assertThat(AlertsPage.severityText("ticket")).isEqualTo("● 工单");
        assertThat(AlertsPage.severityText("info")).isEqualTo("● 提示");
        assertThat(AlertsPage.severityText("critical")).isEqualTo("✖ 严重");
    }

    @Test
    void aSitesOwnSeverityStaysAsWritten() {
        I18n.setLocale(I18n.ZH_CN);
        assertThat(AlertsPage.severityText("page-oncall")).isEqualTo("● page-oncall");
        I18n.setLocale(Locale.ENGLISH);
        assertThat(AlertsPage.severityText("ticket")).isEqualTo("● ticket");
    }
}
