package io.andon.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.journal.ElasticsearchJournal;
import io.andon.journal.ElasticsearchJournalReader;
import io.andon.journal.JournalEntry;
import io.andon.net.Endpoint;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headless {@code andon report} reads the operator journal on the real Elasticsearch: an alert acknowledged only
 * in the journal (no Alertmanager silence) is on page one under "still firing, acknowledged" with the owner and the
 * note the console wrote, in English and Chinese, read back from the PDF. The CLI runs while a console holds the
 * journal's queue slot in the same state folder, takes no slot of its own, and the console's journal delivers on.
 * Before, the CLI read no journal and the row had no owner.
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@Timeout(300)
class ReportCliJournalTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void journalAckWithNoteInTheCliReport(Stack stack, @TempDir Path state) throws Exception {
        Path out = Files.createDirectories(Path.of("target/report-journal"));
        var es = stack.elasticsearch();
        es.admin("PUT", "/_index_template/andon-journal", Files.readString(Path.of(System.getProperty("andon.project.dir", "."),
                "src/server/elasticsearch/andon-journal-template.json")));
        URI am = stack.alertmanager(0).baseUri();
        String prom = stack.prometheus().baseUri().toString();
        String name = "JournalAck" + UUID.randomUUID().toString().substring(0, 6);
        String plant = "P" + (100 + (int) (Math.random() * 800));
        Instant started = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        String body = """
                [{"labels":{"alertname":"%s","severity":"critical","plant":"%s"},
                  "annotations":{"summary":"line stopped","summary_zh":"产线停止"},"startsAt":"%s","endsAt":"%s"}]"""
                .formatted(name, plant, started, Instant.now().plus(Duration.ofMinutes(5)));
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String filter = URLEncoder.encode("alertname=\"" + name + "\"", StandardCharsets.UTF_8);
        JsonNode alerts = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts?filter=" + filter)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(alerts).hasSize(1);
        String fingerprint = alerts.get(0).path("fingerprint").asText();
        Map<String, String> labels = Map.of("alertname", name, "severity", "critical", "plant", plant);

        // a console at this state folder: it holds the journal's first queue slot (as AndonApp.openJournal names it)
        List<Endpoint> nodes = List.of(Endpoint.of(es.baseUri().toString()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)));
        try (ElasticsearchJournal console = new ElasticsearchJournal("Elasticsearch", nodes, state.resolve("journal"), Duration.ofMillis(200), Duration.ofSeconds(2))) {
            JournalEntry ack = new JournalEntry(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MILLIS), JournalEntry.Action.ACK,
                    "zhang.min", "desk-7", plant, fingerprint, labels, "pump seal, ETA 30m", null, null);
            console.append(ack);
            await("the ACK delivered", () -> console.status().queued() == 0 && console.status().ok());
            try (var reader = new ElasticsearchJournalReader("Elasticsearch", nodes)) {
                es.admin("POST", "/andon-journal-*/_refresh", null);
                assertThat(reader.forAlert(fingerprint)).as("the read-only reader sees it").containsExactly(ack);
            }

            // a shift that began before the alert and is still running
            Instant t0 = started.minusSeconds(60);
            Path config = Files.createDirectories(out.resolve("config"));
            DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
            Files.writeString(config.resolve(ShiftSchedule.FILE), "zone: UTC\nshifts:\n  - {name: early, start: \"" + hms.format(t0)
                    + "\"}\n  - {name: late, start: \"" + hms.format(t0.plus(Duration.ofHours(8))) + "\"}\n");
            String shift = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t0);

            for (String lang : List.of("en", "zh-CN")) {
                Path pdf = out.resolve("journal-" + lang + ".pdf");
                Path png = out.resolve("journal-" + lang + "-page1.png");
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                        "-Dandon.state.dir=" + state, "io.andon.console.Main", "report", "--shift", shift, "--plant", plant, "--out", pdf.toString(),
                        "--png", png.toString(), "--lang", lang, "--config", config.toString(), "--note", "handover from the CLI",
                        "--prometheus", prom, "--alertmanager", am.toString(), "--elasticsearch", es.baseUri().toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.resolve("out.txt").toFile()).redirectError(out.resolve("err.txt").toFile());
                pb.environment().remove("DISPLAY");
                pb.environment().remove("WAYLAND_DISPLAY");
                pb.environment().put("LC_ALL", "C.UTF-8");
                Process p = pb.start();
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("andon report finished").isTrue();
                String stdout = Files.readString(out.resolve("out.txt")), stderr = Files.readString(out.resolve("err.txt"));
                System.out.printf("andon report --lang %s: exit %d%n%s%s", lang, p.exitValue(), stdout, stderr);
                // the shared test Prometheus may lack the SLO rules (exit 1, named); the journal must not be among the failures
                assertThat(p.exitValue()).as("exit; stderr: %s", stderr).isIn(0, 1);
                assertThat(stderr).as("no journal failure").doesNotContainIgnoringCase("journal");

                String page1;
                try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
                    PDFTextStripper s = new PDFTextStripper();
                    s.setSortByPosition(true);
                    s.setStartPage(1);
                    s.setEndPage(1);
                    page1 = s.getText(doc);
                }
                Files.writeString(out.resolve("journal-" + lang + ".txt"), page1);
                ReportText tx = new ReportText(lang.equals("en") ? java.util.Locale.ENGLISH : java.util.Locale.SIMPLIFIED_CHINESE);
                String ackedHeading = tx.t("report.openAcked", 1);
                int acked = page1.indexOf(ackedHeading);
                assertThat(acked).as("'%s' on page one:%n%s", ackedHeading, page1).isNotNegative();
                String row = page1.substring(acked).lines().filter(l -> l.contains(name)).findFirst()
                        .orElseThrow(() -> new AssertionError(name + " under '" + ackedHeading + "' in:\n" + page1));
                assertThat(row).as("owner and note from the journal").contains("zhang.min").contains("pump seal, ETA 30m");
                assertThat(page1.substring(0, acked)).as("not under still firing, unacknowledged").doesNotContain(name);
                // the CLI only reads the journal: it says the note is not kept there
                assertThat(stdout).contains("the handover note is in this report only");
            }
        }
        // the CLI took no queue slot in the console's state folder
        try (var files = Files.list(state)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("journal");
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(100);
        }
    }
}
