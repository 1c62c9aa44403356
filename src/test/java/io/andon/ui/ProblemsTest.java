package io.andon.ui;

import io.andon.logs.LogException;
import io.andon.net.SourceError;
import io.andon.net.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Source problems read in the UI language: Chinese kind first, the client's technical detail kept. */
class ProblemsTest {
    @AfterEach
    void english() { I18n.setLocale(Locale.ENGLISH); }

    @Test
    void chineseUiNamesEveryKindInChineseAndKeepsTheDetail() {
        I18n.setLocale(I18n.ZH_CN);
        var auth = new SourceException("Prometheus", new SourceError.AuthFailed(401));
        assertThat(Problems.text(auth)).startsWith("认证失败").contains("HTTP 401").contains("Prometheus");
        var down = new SourceException("Alertmanager", new SourceError.Unreachable("127.0.0.1:9093", "connection refused"));
        assertThat(Problems.text(down)).startsWith("无法连接数据源：").endsWith(down.getMessage());
        assertThat(Problems.text(new LogException(LogException.Kind.NO_INDEX, "no log index matches mes-logs-*", null)))
                .isEqualTo("没有匹配的日志索引：no log index matches mes-logs-*");
        // wrapped (as from a CompletableFuture) still finds the kind
        assertThat(Problems.text(new RuntimeException(auth))).startsWith("认证失败");
        for (SourceException.Kind k : SourceException.Kind.values()) {
            assertThat(Problems.text(k, "x")).as(k.name()).doesNotStartWith("problem.").endsWith("：x");
        }
        for (LogException.Kind k : LogException.Kind.values()) {
            assertThat(Problems.text(k, "x")).as(k.name()).doesNotStartWith("problem.").endsWith("：x");
        }
    }

    @Test
    void englishUiShowsTheClientsWordsUnchanged() {
        I18n.setLocale(Locale.ENGLISH);
        var tls = new SourceException("Elasticsearch", new SourceError.TlsFailed("127.0.0.1:9200", "unknown CA"));
        assertThat(Problems.text(tls)).isEqualTo(tls.getMessage());
        assertThat(Problems.text(SourceException.Kind.TIMEOUT, "slow")).isEqualTo("slow");
    }
}
