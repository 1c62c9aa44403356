package io.andon.report;

import io.andon.journal.Journal;
import io.andon.journal.JournalEntry;
import io.andon.journal.JournalReader;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Makes reports: gather, lay out, and (for the shift-end job) write each shift's file exactly once. */
public final class ShiftReports {
    /** A made report: the PDF bytes and what went into it (its failures decide the CLI's exit code). */
    public record Made(byte[] pdf, ShiftReport report, long gatherMs, long layoutMs) {
        public List<String> failures() {
            var r = report;
            return java.util.stream.Stream.of(r.slos(), r.alerts(), r.silences(), r.errors(), r.business(), r.charts(), r.notes())
                    .flatMap(s -> s.failures().stream()).filter(f -> !f.endsWith(": not configured")).distinct().toList();
        }
    }

    private final ShiftSchedule schedule;
    private final ReportGatherer gatherer;
    private final PdfReportWriter writer;
    private final Optional<Journal> journal;

    /**
     * @param journal the journal a handover note is appended to: a console's own; the headless report's reader
     *                only reads, so the note is then in the report alone ({@link #keepsNotes()} false)
     */
    public ShiftReports(ShiftSchedule schedule, ReportGatherer gatherer, PdfReportWriter writer, Optional<? extends JournalReader> journal) {
        this.schedule = schedule;
        this.gatherer = gatherer;
        this.writer = writer;
        this.journal = journal.filter(Journal.class::isInstance).map(Journal.class::cast);
    }

    /** Whether a handover note given to {@link #make} is kept in the journal (else it is in that report only). */
    public boolean keepsNotes() { return journal.isPresent(); }

    public ShiftSchedule schedule() { return schedule; }

    /**
     * The report of one shift. A handover {@code note} is kept in the journal (HANDOVER_NOTE) when there is one, so the
     * next report and the console show it too; it is in this report either way.
     */
    public Made make(Shift shift, Locale locale, String note, String user) throws IOException {
        if (note != null && !note.isBlank() && journal.isPresent()) {
            journal.get().append(new JournalEntry(UUID.randomUUID().toString(), Instant.now(), JournalEntry.Action.HANDOVER_NOTE, user,
                    hostName(), shift.plant(), null, Map.of(), note.strip(), null, null));
        }
        long t0 = System.nanoTime();
        ShiftReport r = gatherer.gather(shift, schedule.next(shift), note);
        long t1 = System.nanoTime();
        byte[] pdf = writer.write(r, locale);
        return new Made(pdf, r, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    }

    /**
     * The shift-end job's write: {@code dir/<plant>-<start>.pdf}, never twice. A marker is created atomically
     * (CREATE_NEW) first, so of two consoles at the same site only one writes; the PDF goes to a temporary file and is
     * moved into place, so a reader never sees half a file. Returns empty when the report exists or another console
     * is writing it. A failed write removes the marker so the next start tries again.
     */
    public Optional<Path> writeOnce(Shift shift, Locale locale, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(shift.fileId() + ".pdf");
        Path marker = dir.resolve(shift.fileId() + ".pdf.writing");
        if (Files.exists(target)) return Optional.empty();
        try {
            Files.createFile(marker);
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        }
        try {
            if (Files.exists(target)) return Optional.empty();
            Made m = make(shift, locale, null, "andon");
            Path tmp = Files.createTempFile(dir, shift.fileId(), ".tmp");
            Files.write(tmp, m.pdf());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(target);
        } finally {
            // the finished file is the record that it was written; the marker only guards the writing
            Files.deleteIfExists(marker);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "?";
        }
    }
}
