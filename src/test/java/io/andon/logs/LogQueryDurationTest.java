package io.andon.logs;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The database log's additions to the page's query: every other change keeps the duration range and the order. */
class LogQueryDurationTest {
    private static final Instant T0 = Instant.parse("2026-12-06T01:00:00Z");

    @Test
    void durationAndOrderSurviveEveryOtherChange() {
        LogQuery q = new LogQuery(LogQuery.DEFAULT_INDEX, T0, T0.plusSeconds(60), "", Map.of("service", List.of(LogQuery.DATABASE_SERVICE)),
                Map.of(), false).withDuration(500.0, 2_000.0).withOrder(LogQuery.Order.SLOWEST);
        for (LogQuery changed : List.of(q.withText("lock"), q.withRange(T0, T0.plusSeconds(5)), q.withIndex("other-*"), q.withAudit(true),
                q.including("sqlstate", "40P01"), q.excluding("level", "INFO"), q.withTerms(Map.of(), Map.of()))) {
            assertThat(changed.minDurationMs()).isEqualTo(500.0);
            assertThat(changed.maxDurationMs()).isEqualTo(2_000.0);
            assertThat(changed.order()).isEqualTo(LogQuery.Order.SLOWEST);
        }
        LogQuery old = new LogQuery(LogQuery.DEFAULT_INDEX, T0, T0, "", Map.of(), Map.of(), false);
        assertThat(old.order()).as("the page's query before the database log: newest first, no range").isEqualTo(LogQuery.Order.NEWEST);
        assertThat(old.minDurationMs()).isNull();
        assertThat(old.withOrder(null).order()).isEqualTo(LogQuery.Order.NEWEST);
        assertThat(q.withDuration(null, null).minDurationMs()).isNull();
        assertThatThrownBy(() -> q.withDuration(2_000.0, 500.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration range");
        assertThat(LogQuery.FILTER_FIELDS).contains("sqlstate", "application_name");
    }
}
