package io.andon.board;

import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, item 6: what a console's clock does must not break refreshes. Intervals, reuse windows, refresh
 * durations and the watchdog run on monotonic time (an injected nanoTime here), ages on instants (UTC, so a DST
 * change is no step at all); a wall-clock step of ±1 h (an NTP correction) in the middle of a run changes neither
 * which answers are shared nor whether a tile is current once the clock is right again.
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ClockStepTest {
    /** A clock that can be stepped, like the system clock under NTP. */
    static final class SteppedClock extends Clock {
        final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
        final ZoneId zone;

        SteppedClock(ZoneId zone) { this.zone = zone; }

        @Override public ZoneId getZone() { return zone; }

        @Override public Clock withZone(ZoneId z) { throw new UnsupportedOperationException(); }

        @Override public Instant instant() { return Instant.now().plus(offset.get()); }
    }

    static final TileSpec UP = new TileSpec("up", new TileSpec.Text("up", "up"), "up{job=\"prometheus\"}", "count", 0, TileSpec.Skin.NUMBER,
            null, null, null, null, null, null, null, null);
    static final PageSpec PAGE = new PageSpec("clock", new TileSpec.Text("Clock", "时钟"), "2s", null, 1, List.of(UP));

    @Test
    void reuseWindowsFollowMonotonicTimeNotTheWallClock(Stack stack) throws Exception {
        // the hub's only time is the injected nanoTime: stepping it is what moves a window, nothing else does
        AtomicLong nanos = new AtomicLong(0);
        PrometheusClient c = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        QueryHub hub = new QueryHub(c, 2, Duration.ZERO, nanos::get);
        hub.query("vector(1)", Duration.ofSeconds(5));
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        hub.query("vector(1)", Duration.ofSeconds(5));
        assertThat(hub.backendQueries()).as("inside the window").isEqualTo(1);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        hub.query("vector(1)", Duration.ofSeconds(5));
        assertThat(hub.backendQueries()).as("past it").isEqualTo(2);
    }

    @Test
    void anNtpStepOfAnHourEitherWayLeavesTilesCurrentOnceTheClockIsRight(Stack stack) throws Exception {
        PrometheusClient c = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        io.andon.prometheus.PrometheusClientIntegrationTest.awaitSelfScrapes(c);
        SteppedClock clock = new SteppedClock(ZoneOffset.UTC);
        QueryHub hub = new QueryHub(c, 2, Duration.ZERO);
        try (RefreshEngine e = new RefreshEngine(PAGE, hub, Duration.ZERO, s -> {}, clock, new java.util.Random(6))) {
            clock.offset.set(Duration.ofHours(-1)); // the console an hour behind: NTP will step it forward
            assertThat(e.refreshNow().tiles().get("up").status()).isEqualTo(TileState.Status.OK);
            clock.offset.set(Duration.ZERO); // +1 h step
            TileState after = e.refreshNow().tiles().get("up");
            assertThat(after.status()).as(after.message()).isEqualTo(TileState.Status.OK);
            assertThat(after.age(clock.instant())).isBetween(Duration.ofSeconds(-1), Duration.ofSeconds(2));

            clock.offset.set(Duration.ofHours(1)); // an hour ahead: every sample looks an hour old, and the tile says so
            TileState ahead = e.refreshNow().tiles().get("up");
            assertThat(ahead.status()).isEqualTo(TileState.Status.STALE);
            assertThat(ahead.message()).contains("60 min old");
            clock.offset.set(Duration.ZERO); // −1 h step: right again, current again, no restart
            TileState back = e.refreshNow().tiles().get("up");
            assertThat(back.status()).as(back.message()).isEqualTo(TileState.Status.OK);
        }
    }

    @Test
    void aDstChangeIsNoStepForAges() {
        // Europe/Berlin leaves summer time at 01:00 UTC on 25 Oct 2026: local 02:59 CEST is followed by 02:00 CET
        Instant before = Instant.parse("2026-10-25T00:59:00Z"), after = Instant.parse("2026-10-25T01:01:00Z");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(before.atZone(berlin).toLocalTime()).as("local time goes back").isAfter(after.atZone(berlin).toLocalTime());
        TileState s = new TileState("t", TileState.Status.OK, 1, before, before, "", Map.of(), List.of());
        assertThat(s.age(Clock.fixed(after, berlin).instant())).isEqualTo(Duration.ofMinutes(2));
    }
}
