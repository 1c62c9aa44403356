package io.andon.util;

import io.andon.board.PageSpec;
import io.andon.board.RefreshEngine;
import io.andon.board.TileSpec;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 21, watchdog: a probe past its limit is reported once, with the stuck thread's stack, and once when it recovers. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class WatchdogTest {
    @Test
    void aProbePastItsLimitIsReportedOnceThenItsRecovery() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        AtomicLong busySince = new AtomicLong(Watchdog.IDLE);
        List<Watchdog.Stall> seen = new CopyOnWriteArrayList<>();
        Watchdog dog = new Watchdog(now::get, seen::add);
        dog.watch(new Watchdog.Probe("job", Duration.ofSeconds(3), busySince::get, Thread::currentThread));
        assertThat(dog.check()).as("idle").isEmpty();
        busySince.set(now.get());
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(dog.check()).as("at the limit, not past it").isEmpty();
        now.addAndGet(1);
        List<Watchdog.Stall> stall = dog.check();
        assertThat(stall).hasSize(1);
        assertThat(stall.getFirst().recovered()).isFalse();
        assertThat(stall.getFirst().busyFor()).isGreaterThan(Duration.ofSeconds(3));
        assertThat(stall.getFirst().threadDump()).contains("stuck thread \"main\"").contains("WatchdogTest.aProbePastItsLimitIsReportedOnceThenItsRecovery");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(dog.check()).as("one stall, one report").isEmpty();
        busySince.set(Watchdog.IDLE);
        List<Watchdog.Stall> back = dog.check();
        assertThat(back).hasSize(1);
        assertThat(back.getFirst().recovered()).isTrue();
        assertThat(back.getFirst().busyFor()).isEqualTo(Duration.ofSeconds(13).plusNanos(1));
        assertThat(seen).hasSize(2);
    }

    @Test
    void aClockStepDoesNotFakeOrHideAStall() {
        // the watchdog runs on nanoTime: a wall-clock step (NTP, DST) is no input at all; this pins that its only
        // time source is the injected monotonic one by stepping nothing but it
        AtomicLong now = new AtomicLong(0);
        AtomicLong busySince = new AtomicLong(0);
        Watchdog dog = new Watchdog(now::get, s -> {});
        dog.watch(new Watchdog.Probe("job", Duration.ofSeconds(3), busySince::get, () -> null));
        now.set(Duration.ofSeconds(2).toNanos());
        assertThat(dog.check()).isEmpty();
        now.set(Duration.ofSeconds(4).toNanos());
        assertThat(dog.check()).hasSize(1);
    }

    @Test
    void aPageRefreshThatNeverReturnsIsCaughtWithItsStack() throws Exception {
        // a refresh stuck in its delivery (here a listener that waits forever): every later tick of the page is skipped
        CountDownLatch release = new CountDownLatch(1), entered = new CountDownLatch(1);
        PageSpec page = new PageSpec("stuck", new TileSpec.Text("Stuck", "卡住"), "5s", null, 1, List.of());
        PrometheusClient nowhere = new PrometheusClient("Prometheus", Endpoint.of("http://127.0.0.1:1").withTimeouts(Duration.ofMillis(200), Duration.ofMillis(200)));
        List<Watchdog.Stall> seen = new CopyOnWriteArrayList<>();
        try (RefreshEngine engine = new RefreshEngine(page, nowhere, Duration.ZERO, s -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Clock.systemUTC())) {
            Watchdog dog = new Watchdog(System::nanoTime, seen::add);
            dog.watch(engine.probe(Duration.ofMillis(500)));
            Thread refresher = Thread.ofVirtual().name("stuck-refresh").start(engine::refreshNow);
            assertThat(entered.await(20, TimeUnit.SECONDS)).as("the refresh reached its delivery").isTrue();
            Thread.sleep(200); // parked in await, not still in countDown
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                dog.check();
                Thread.sleep(100);
            }
            assertThat(seen).hasSize(1);
            Watchdog.Stall s = seen.getFirst();
            assertThat(s.name()).isEqualTo("refresh of page stuck");
            assertThat(s.threadDump()).as(s.threadDump()).contains("stuck thread \"stuck-refresh\" (virtual)").contains("CountDownLatch.await")
                    .contains("WatchdogTest.lambda$aPageRefreshThatNeverReturnsIsCaughtWithItsStack").contains("RefreshEngine.refreshNow");
            assertThat(engine.refreshNow()).as("the stuck refresh blocks every other").isNull();
            release.countDown();
            refresher.join(5000);
            dog.check();
            assertThat(seen).hasSize(2);
            assertThat(seen.getLast().recovered()).isTrue();
        }
    }
}
