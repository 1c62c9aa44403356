package io.andon.alertmanager;

import io.andon.net.Endpoint;
import io.andon.net.SourceException;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The history's range query on the real Prometheus: matrix parsing, the fixed ALERTS query, errors. */
@Tag("integration")
@ExtendWith(StackExtension.class)
@Timeout(120)
class PrometheusRangeQueryTest {
    @Test
    void rangeQueryOnRealPrometheus(Stack stack) throws Exception {
        PrometheusRangeQuery q = new PrometheusRangeQuery("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        Instant end = Instant.now(), start = end.minus(Duration.ofMinutes(5));
        List<RangeQuery.Series> s = q.query("label_replace(vector(1), \"alertname\", \"Probe\", \"\", \"\")", start, end, Duration.ofSeconds(15));
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.labels()).containsEntry("alertname", "Probe");
            assertThat(x.points()).hasSizeBetween(20, 22).allMatch(p -> p.v() == 1.0);
        });
        // the fixed history query runs (whatever fired on this stack) and every interval lies inside the window
        for (AlertHistory.Timeline t : new AlertHistory(q).load(start, end)) {
            assertThat(t.intervals()).allMatch(i -> !i.start().isBefore(start.minusSeconds(15)) && !i.end().isAfter(end));
        }
        assertThatThrownBy(() -> q.query("sum(", start, end, Duration.ofSeconds(15))).isInstanceOf(SourceException.class)
                .hasMessageStartingWith("Prometheus could not run the history query: ");
    }
}
