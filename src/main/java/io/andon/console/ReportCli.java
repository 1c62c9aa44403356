package io.andon.console;

import io.andon.journal.ElasticsearchJournalReader;
import io.andon.report.Java2DChartRenderer;
import io.andon.report.PdfReportWriter;
import io.andon.report.Shift;
import io.andon.report.ShiftReports;
import io.andon.report.ShiftSchedule;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code andon report}: one shift's handover report as PDF, headless (no display, no JavaFX: charts by Java2D).
 * Exit 0: written from every source; 1: written, but a source failed (its sections say which); 2: bad arguments;
 * 3: nothing written.
 */
public final class ReportCli {
    public static final String USAGE = """
            Usage: andon report --shift YYYY-MM-DDTHH:MM --out FILE.pdf [options]
              --shift START        the shift starting at this local time (shifts.yaml in the config folder;
                                   default shifts 00:00, 08:00, 16:00 in this machine's time zone)
              --plant CODE         one plant's report (default: all plants; "all" says so)
              --out FILE.pdf       where to write the report
              --lang TAG           zh-CN | en (default: the OS language)
              --note TEXT          the handover note (in this report; the CLI reads the journal, never writes it)
              --png FILE.png       also write page one as a picture
              --config DIR         the folder holding shifts.yaml (default: the console's config folder)
              --prometheus URL, --alertmanager URL (repeatable), --elasticsearch URL[,URL...], --profile NAME
                                   the sources, as for the console (env ANDON_PROMETHEUS_URL, ... too)
            Exit status: 0 complete, 1 written but a source failed (named in the report and here),
                         2 bad arguments, 3 no report written.
            """;

    private ReportCli() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String shiftText = null, plant = null, note = null;
        Path outFile = null, png = null, configDir = null;
        Locale lang = null;
        List<String> rest = new ArrayList<>();
        try {
            Args in = new Args(args, "see andon report --help");
            while (in.more()) {
                String a = in.next();
                switch (a) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--shift" -> shiftText = in.value();
                    case "--plant" -> plant = in.value();
                    case "--out" -> outFile = Path.of(in.value());
                    case "--png" -> png = Path.of(in.value());
                    case "--note" -> note = in.value();
                    case "--config" -> configDir = Path.of(in.value());
                    case "--lang" -> lang = Locale.forLanguageTag(in.value());
                    default -> rest.addAll(in.passOn()); // the sources: the console's parser judges them
                }
            }
            if (shiftText == null) throw new IllegalArgumentException("--shift is required (e.g. --shift 2026-12-06T08:00)");
            if (outFile == null) throw new IllegalArgumentException("--out is required (e.g. --out shift.pdf)");
            if (plant != null && (plant.isBlank() || plant.equalsIgnoreCase("all"))) plant = null;
            if (plant != null && !plant.matches("[A-Za-z0-9_.-]{1,64}")) throw new IllegalArgumentException("--plant: '" + plant + "' is not a plant code");
            if (lang == null) lang = Locale.getDefault().getLanguage().equals("zh") ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
            else if (!lang.getLanguage().equals("zh") && !lang.getLanguage().equals("en")) throw new IllegalArgumentException("--lang: zh-CN or en, not '" + lang.toLanguageTag() + "'");
        } catch (IllegalArgumentException e) {
            err.println("andon report: " + e.getMessage());
            return 2;
        }
        ShiftSchedule schedule;
        Shift shift;
        ConsoleContext ctx;
        try {
            schedule = ShiftSchedule.load(configDir != null ? configDir : io.andon.settings.UiState.configDir());
            LocalDateTime start;
            try {
                start = LocalDateTime.parse(shiftText);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--shift: '" + shiftText + "' is not YYYY-MM-DDTHH:MM");
            }
            shift = schedule.startingAt(plant, start);
            Cli cli = Cli.parse(rest.toArray(String[]::new));
            ctx = context(cli);
        } catch (IllegalArgumentException e) {
            err.println("andon report: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("andon report: " + e.getMessage());
            return 3;
        }
        ReportWiring.Built built;
        // the journal read only: acks, shelves and handover notes with their owners, no console's queue slot taken
        Optional<ElasticsearchJournalReader> journal = ReportWiring.readOnlyJournal(ctx);
        try {
            built = ReportWiring.build(ctx, schedule, new Java2DChartRenderer(), journal);
        } catch (Exception e) {
            journal.ifPresent(ElasticsearchJournalReader::close);
            err.println("andon report: no report written: " + e.getMessage());
            return 3;
        }
        try {
            ShiftReports reports = built.reports();
            long t0 = System.nanoTime();
            ShiftReports.Made made = reports.make(shift, lang, note, System.getProperty("user.name"));
            Path abs = outFile.toAbsolutePath();
            if (abs.getParent() != null) Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), ".andon-report", ".tmp");
            Files.write(tmp, made.pdf());
            Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            if (png != null) javax.imageio.ImageIO.write(PdfReportWriter.render(made.pdf(), 0, 110), "png", png.toFile());
            out.printf("andon report: %s (%s, %d alerts, %,d bytes; gathered in %d ms, laid out in %d ms, %d ms in all)%n", abs, shift.fileId(),
                    made.report().alerts().value().size(), made.pdf().length, made.gatherMs(), made.layoutMs(), (System.nanoTime() - t0) / 1_000_000);
            if (note != null && !note.isBlank() && !reports.keepsNotes()) {
                out.println("andon report: the handover note is in this report only (the CLI reads the journal, it does not write to it)");
            }
            if (!made.failures().isEmpty()) {
                err.println("andon report: written, but these sources failed (their sections say so):");
                made.failures().forEach(f -> err.println("  " + f));
                return 1;
            }
            return 0;
        } catch (Exception e) {
            err.println("andon report: no report written: " + e.getMessage());
            return 3;
        } finally {
            built.close();
            journal.ifPresent(ElasticsearchJournalReader::close);
        }
    }

    /** --prometheus wins; else --profile; else the defaults and environment (as the console chooses). */
    private static ConsoleContext context(Cli cli) {
        if (cli.prometheusUrl().isEmpty() && cli.profile().isPresent()) {
            var dir = io.andon.settings.UiState.configDir();
            var p = new io.andon.settings.ProfileStore(dir).get(cli.profile().get())
                    .orElseThrow(() -> new IllegalArgumentException("no profile '" + cli.profile().get() + "'"));
            return ConsoleContext.fromProfile(p, io.andon.settings.SecretStore.forUser(dir));
        }
        return ConsoleContext.fromCli(cli);
    }
}
