package io.andon.server.bundle;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DatabaseLogTest counts PostgreSQL's own lines by the time in the line, the window its Elasticsearch query uses. It
 * counted every line of the file: a slow statement still running when the scenario stopped logged after the window's end,
 * was counted in the file, and the test waited for a third document the window rightly excluded (CI, 2 of 3).
 */
class DatabaseLogWindowTest {
    private static final Instant FROM = Instant.parse("2026-12-06T22:34:36.397404081Z");
    private static final Instant TO = Instant.parse("2026-12-06T22:34:41.620546874Z");

    private static String line(String time) {
        return "{\"timestamp\":\"" + time + "\",\"user\":\"postgres\",\"message\":\"duration: 700.512 ms\","
                + "\"statement\":\"SELECT pg_sleep(0.7) AS andon_sim_slow\"}";
    }

    @Test
    void aLineLoggedAfterTheWindowIsNotCounted() {
        assertThat(DatabaseLogTest.loggedWithin(line("2026-12-06 22:34:42.301 UTC"), FROM, TO)).isFalse();
        assertThat(DatabaseLogTest.loggedWithin(line("2026-12-06 22:34:36.396 UTC"), FROM, TO)).isFalse();
    }

    @Test
    void theWindowsEndsCountAsElasticsearchsRangeDoes() {
        assertThat(DatabaseLogTest.loggedWithin(line("2026-12-06 22:34:36.397 UTC"), FROM, TO)).as("gte, at ms").isTrue();
        assertThat(DatabaseLogTest.loggedWithin(line("2026-12-06 22:34:41.620 UTC"), FROM, TO)).as("lte").isTrue();
        assertThat(DatabaseLogTest.loggedWithin(line("2026-12-06 22:34:39.000 UTC"), FROM, TO)).isTrue();
    }

    @Test
    void aLineWithoutItsTimeIsAnError() {
        assertThatThrownBy(() -> DatabaseLogTest.loggedWithin("{\"message\":\"x\"}", FROM, TO)).hasMessageContaining("UTC timestamp");
    }
}
