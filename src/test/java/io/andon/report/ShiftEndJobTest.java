package io.andon.report;

import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shift-end job writes each finished shift's report once: again later, or from a second console at the same time,
 * nothing more is written. The sources are down here (nothing listens on their ports): the report still comes out
 * and says so, which is also what a console whose Prometheus is away at shift end must do.
 */
class ShiftEndJobTest {
    @Test
    void oneFilePerShiftNeverTwice() throws Exception {
        Path dir = Files.createTempDirectory("andon-reports");
        ShiftSchedule schedule = ShiftSchedule.defaults(ZoneId.of("Asia/Shanghai"));
        Instant now = Instant.parse("2026-12-06T08:05:00Z"); // 16:05 in Shanghai: the early shift has just ended
        var reports = sourcesDown(schedule, now);
        List<String> log = new ArrayList<>();
        ShiftEndJob job = new ShiftEndJob(reports, dir, () -> Locale.ENGLISH, Duration.ofMinutes(2), Clock.fixed(now, ZoneOffset.UTC), log::add);

        List<Path> first = job.runOnce();
        assertThat(first).hasSize(1);
        assertThat(first.getFirst().getFileName()).hasToString("all-2026-12-06T0800.pdf");
        assertThat(job.runOnce()).as("the same shift again").isEmpty();

        // two consoles at once on a shift not yet written: one file, no marker left
        Files.delete(first.getFirst());
        try (var pool = Executors.newFixedThreadPool(2)) {
            Callable<Optional<Path>> write = () -> reports.writeOnce(schedule.lastEnded(null, now), Locale.ENGLISH, dir);
            var a = pool.submit(write);
            var b = pool.submit(write);
            assertThat(List.of(a.get(), b.get()).stream().filter(Optional::isPresent).count()).isEqualTo(1);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("all-2026-12-06T0800.pdf");
        }
        try (var doc = Loader.loadPDF(dir.resolve("all-2026-12-06T0800.pdf").toFile())) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("Shift handover report").contains("Sources that failed").contains("Prometheus")
                    .contains("2026-12-06 08:00 – 2026-12-06 16:00");
        }
        assertThat(log).anyMatch(m -> m.startsWith("shift report written"));
    }

    /**
     * The soak's wall ran out of heap in the middle of a report (PDFBox parsing the font, a disposed console still in
     * the heap): the OutOfMemoryError ended the job's thread, and that console never wrote a report again. Now the
     * failure is logged and the report, still missing, is written at the next wake.
     */
    @Test
    void anOutOfMemoryErrorInOneReportDoesNotEndTheJob() throws Exception {
        Path dir = Files.createTempDirectory("andon-reports");
        ShiftSchedule schedule = ShiftSchedule.defaults(ZoneId.of("Asia/Shanghai"));
        Instant now = Instant.parse("2026-12-06T08:05:00Z");
        var reports = sourcesDown(schedule, now);
        // the Error comes from the first report attempt's own thread, as PDFBox's did (the gatherer's sources already
        // report theirs as failures in the report)
        java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<Locale> firstRunsOut = () -> {
            if (tries.getAndIncrement() == 0) throw new OutOfMemoryError("Java heap space");
            return Locale.ENGLISH;
        };
        List<String> log = new ArrayList<>();
        ShiftEndJob job = new ShiftEndJob(reports, dir, firstRunsOut, Duration.ofMinutes(2), Clock.fixed(now, ZoneOffset.UTC), log::add);

        List<List<Path>> first = new ArrayList<>();
        // an Error let through would end the test's JVM, not only the test: caught here and failed as the test
        org.assertj.core.api.Assertions.assertThatCode(() -> first.add(job.runOnce())).as("the job's first wake").doesNotThrowAnyException();
        assertThat(first.getFirst()).isEmpty();
        assertThat(log).singleElement().asString().startsWith("shift report all-2026-12-06T0800 failed: java.lang.OutOfMemoryError: Java heap space");
        assertThat(job.runOnce()).as("the next wake").singleElement().extracting(p -> p.getFileName().toString()).isEqualTo("all-2026-12-06T0800.pdf");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("all-2026-12-06T0800.pdf");
        }
    }

    /**
     * A console started after a shift end writes the missing report, but not beside its own start: the report's PDF
     * work then held the soak consoles' first FX pulse over 1 s. The job's first act is its wait.
     */
    @Test
    void theMissingReportWaitsForTheStartDelay() throws Exception {
        Path dir = Files.createTempDirectory("andon-reports");
        ShiftSchedule schedule = ShiftSchedule.defaults(ZoneId.of("Asia/Shanghai"));
        Instant now = Instant.parse("2026-12-06T08:05:00Z");
        var reports = sourcesDown(schedule, now);
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        var secondWait = new java.util.concurrent.CountDownLatch(1);
        ShiftEndJob job = new ShiftEndJob(reports, dir, () -> Locale.ENGLISH, Duration.ofMinutes(2), Clock.fixed(now, ZoneOffset.UTC),
                m -> events.add(m.replaceAll(":.*", ""))).withStartDelay(Duration.ofMinutes(1));
        job.sleeper = d -> {
            try (var files = Files.list(dir)) {
                events.add("wait " + d + " with " + files.count() + " files");
            } catch (java.io.IOException e) {
                events.add("wait " + d + ", the folder unreadable: " + e);
            }
            if (events.size() > 2) {
                secondWait.countDown();
                throw new InterruptedException("enough"); // the loop's next wait: the test has seen what it needs
            }
        };
        job.start();
        assertThat(secondWait.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the job's wait after its first report").isTrue();
        job.close();
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isEqualTo("wait PT1M with 0 files");
        assertThat(events.get(1)).isEqualTo("shift report written");
        assertThat(events.get(2)).startsWith("wait ").endsWith(" with 1 files");
    }

    /** Reports from a Prometheus nobody listens for (its port free), the other sources absent. */
    private static ShiftReports sourcesDown(ShiftSchedule schedule, Instant now) throws java.io.IOException {
        var prom = new PrometheusClient("Prometheus", Endpoint.of("http://127.0.0.1:" + io.andon.stack.Ports.free())
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2)));
        var gatherer = new ReportGatherer(prom, Optional.empty(), Optional.empty(), Optional.empty(), "mes-logs-*", Clock.fixed(now, ZoneOffset.UTC));
        return new ShiftReports(schedule, gatherer, PdfReportWriter.withSystemFont(new Java2DChartRenderer()), Optional.empty());
    }
}
