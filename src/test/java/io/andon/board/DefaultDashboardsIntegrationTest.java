package io.andon.board;

import io.andon.net.Endpoint;
import io.andon.net.SourceError;
import io.andon.net.SourceException;
import io.andon.prometheus.PrometheusClient;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bundled dashboard loads and every query in it is accepted by the real Prometheus (empty is fine). */
@Tag("integration")
@ExtendWith(StackExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DefaultDashboardsIntegrationTest {
    @Test
    void everyQueryParsesOnRealPrometheus(Stack stack) throws Exception {
        PrometheusClient c = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        List<String> rejected = new ArrayList<>();
        int n = 0;
        for (PageSpec page : new DashboardRepository(Optional.empty()).load()) {
            for (TileSpec t : page.tiles()) {
                n++;
                try {
                    c.query(t.query());
                    if (t.sparkline().isPresent()) c.queryRange(t.query(), Instant.now().minus(t.sparkline().get()), Instant.now(), Duration.ofSeconds(60));
                } catch (SourceException e) {
                    if (e.error() instanceof SourceError.ApiError) rejected.add(page.id() + "/" + t.id() + ": " + e.getMessage());
                    else throw e;
                }
            }
        }
        System.out.println(n + " dashboard queries checked on Prometheus");
        assertThat(n).isGreaterThan(50);
        assertThat(rejected).isEmpty();
    }
}
