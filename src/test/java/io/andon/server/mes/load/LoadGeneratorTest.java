package io.andon.server.mes.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load generator's guards: only this machine as a target, and both bounds end a run. */
class LoadGeneratorTest {
    @ParameterizedTest
    @ValueSource(strings = {"http://192.0.2.10:8080", "http://10.0.0.1", "http://172.16.0.1", "http://192.168.1.1",
            "http://0.0.0.0:8080", "http://[2001:db8::1]:8080", "http://[::]:80",
            // names are never resolved: these could point anywhere
            "http://localhost.example.com", "http://127.0.0.1.example.com", "http://example.com", "http://mes-host:8080",
            "ftp://127.0.0.1/", "file:///etc/passwd", "http:///api"})
    void refusesEverythingButLoopback(String target) {
        assertThatThrownBy(() -> new LoadGenerator(URI.create(target), 10, 10, 10, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://127.3.4.5:1", "http://localhost:8080", "http://LOCALHOST",
            "http://[::1]:8080", "https://127.0.0.1"})
    void acceptsLoopback(String target) {
        assertThatCode(() -> new LoadGenerator(URI.create(target), 10, 10, 10, Duration.ofSeconds(1))).doesNotThrowAnyException();
    }

    @Test
    void refusesNonsenseBounds() {
        URI t = URI.create("http://127.0.0.1:1");
        assertThatThrownBy(() -> new LoadGenerator(t, -1, 10, 10, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadGenerator(t, 10, 0, 10, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadGenerator(t, 10, 10, 0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadGenerator(t, 10, 10, 10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(30)
    void stopsAtTheRequestCount() throws Exception {
        // nothing listens on this port: every request fails fast, and the count still ends the run
        LoadGenerator g = new LoadGenerator(URI.create("http://127.0.0.1:" + io.andon.stack.Ports.free()), 500, 10, 100, Duration.ofMinutes(5));
        LoadGenerator.Report r = g.run();
        assertThat(g.sent()).isEqualTo(100);
        assertThat(r.queries() + r.writes()).isEqualTo(100);
        assertThat(r.statuses()).containsOnlyKeys(0); // 0 = no HTTP answer, reported, not hidden
        assertThat(r.failures()).containsOnlyKeys("ConnectException");
    }

    @Test
    @Timeout(30)
    void stopsAtTheDuration() throws Exception {
        LoadGenerator g = new LoadGenerator(URI.create("http://127.0.0.1:" + io.andon.stack.Ports.free()), 50, 10, 1_000_000, Duration.ofSeconds(1));
        g.run();
        // 50/s for 1 s: far below the count bound, so the duration ended it
        assertThat(g.sent()).isBetween(1L, 200L);
    }

    /**
     * The rate asked is the rate sent: 400/s for 3 s sends 1 200 requests (±10 %, the bound a busy 2-core machine
     * keeps: the ticker catches up on late ticks), at 400/s measured over the run, and the closed loop too ends by
     * its bounds. Nothing listens on the port, so each request fails at once and the rate is the generator's alone.
     */
    @Test
    @Timeout(30)
    void sendsAtTheRateAsked() throws Exception {
        URI nowhere = URI.create("http://127.0.0.1:" + io.andon.stack.Ports.free());
        LoadGenerator g = new LoadGenerator(nowhere, 400, 10, 1_000_000, Duration.ofSeconds(3));
        LoadGenerator.Report r = g.run();
        assertThat(g.sent()).as("requests sent at 400/s in 3 s").isBetween(1_080L, 1_320L);
        assertThat(r.queriesPerSecond() + r.writesPerSecond()).as("achieved rate, requests/s").isBetween(360.0, 440.0);
        // 10 queries : 1 write, within what 1 200 random draws give
        assertThat((double) r.writes() / (r.queries() + r.writes())).isBetween(0.05, 0.14);

        LoadGenerator c = new LoadGenerator(nowhere, 0, 10, 500, Duration.ofSeconds(20));
        LoadGenerator.Report cr = c.runClosedLoop(4);
        assertThat(c.sent()).as("closed loop stops at the count").isEqualTo(500);
        assertThat(cr.queries() + cr.writes()).isEqualTo(500);
    }

    @Test
    void nightIsOnePercentOfTheDay() {
        assertThat(LoadGenerator.nightRate(1100)).isEqualTo(11);
        assertThat(LoadGenerator.nightRate(50)).isEqualTo(1);
        assertThat(LoadGenerator.nightRate(0)).isZero();
    }
}
