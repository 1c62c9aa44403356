package io.andon.ui.alerts;

import io.andon.alertmanager.Alert;
import io.andon.alertmanager.AlertService;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.journal.ElasticsearchJournal;
import io.andon.journal.Journal;
import io.andon.journal.JournalEntry;
import io.andon.journal.JournalException;
import io.andon.net.Endpoint;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert's journal panel follows the journal on the real stack: an entry another console appends (a second
 * {@link ElasticsearchJournal} with its own queue) shows in the panel at a later poll with nobody touching the UI;
 * reads are one at a time and no more than the polls; a page out of the window reads nothing; a disposed panel
 * stops reading while the view model keeps polling. Before, the panel read once per selection and never again.
 */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
@Timeout(180)
class JournalViewFollowTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = io.andon.ui.FxShots.darkRoot(stage, 1600, 800);
    }

    /** The real journal, counting its reads and how many run at once. */
    static final class Counting implements Journal {
        final Journal real;
        final AtomicLong reads = new AtomicLong();
        final AtomicInteger running = new AtomicInteger(), maxRunning = new AtomicInteger();

        Counting(Journal real) { this.real = real; }

        @Override public void append(JournalEntry e) { real.append(e); }

        @Override public List<JournalEntry> forAlert(String fp) throws JournalException {
            reads.incrementAndGet();
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                return real.forAlert(fp);
            } finally {
                running.decrementAndGet();
            }
        }

        @Override public List<JournalEntry> between(Instant from, Instant to) throws JournalException { return real.between(from, to); }
    }

    @Test
    void anotherConsolesEntryShowsWithoutReselecting(Stack stack, FxRobot robot, @TempDir Path a, @TempDir Path b) throws Exception {
        var es = stack.elasticsearch();
        es.admin("PUT", "/_index_template/andon-journal", Files.readString(Path.of(System.getProperty("andon.project.dir", "."),
                "src/server/elasticsearch/andon-journal-template.json")));
        URI am = stack.alertmanager(0).baseUri();
        String name = "JournalFollow" + UUID.randomUUID().toString().substring(0, 8);
        String body = """
                [{"labels":{"alertname":"%s","severity":"warning","plant":"P07"},
                  "annotations":{"summary":"journal follow test"},"startsAt":"%s","endsAt":"%s"}]"""
                .formatted(name, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofMinutes(3)));
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        List<Endpoint> nodes = List.of(Endpoint.of(es.baseUri().toString()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)));
        try (ElasticsearchJournal mine = new ElasticsearchJournal("Elasticsearch", nodes, a, Duration.ofMillis(200), Duration.ofSeconds(2));
             ElasticsearchJournal other = new ElasticsearchJournal("Elasticsearch", nodes, b, Duration.ofMillis(200), Duration.ofSeconds(2))) {
            Counting journal = new Counting(mine);
            AlertmanagerPool pool = new AlertmanagerPool(List.of(new AlertmanagerClient("Alertmanager", Endpoint.of(am.toString())
                    .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2)))));
            AlertsViewModel vm = new AlertsViewModel(sink -> new AlertService(pool, Duration.ofMillis(500),
                    s -> sink.accept(s, null), c -> sink.accept(null, c), Clock.systemUTC()), c -> { });
            AlertsPage page = new AlertsPage(vm);
            AtomicLong polls = new AtomicLong();
            robot.interact(() -> {
                page.setJournal(journal);
                vm.snapshotProperty().addListener((o, x, y) -> polls.incrementAndGet());
                root.getChildren().setAll(page.view());
            });
            vm.start();
            try {
                await("the alert on the page", () -> vm.snapshotProperty().get() != null
                        && vm.snapshotProperty().get().alerts().stream().anyMatch(x -> x.name().equals(name)));
                Alert alert = vm.snapshotProperty().get().alerts().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
                JournalView view = page.journalView().orElseThrow();
                // select it once, as the operator would; from here on nobody touches the UI
                await("selected and read", () -> fx(() -> {
                    if (!select(robot, name)) return false;
                    return robot.lookup("#journal-message").queryLabeled().getText().equals(io.andon.ui.I18n.text("journal.empty"));
                }));

                long reads0 = journal.reads.get(), polls0 = polls.get();
                // another console acknowledges: its own journal, its own queue
                JournalEntry ack = new JournalEntry(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MILLIS), JournalEntry.Action.ACK,
                        "zhang.min", "desk-7", "P07", alert.fingerprint(), alert.labels(), "vendor called, ETA 30 min", null, null);
                other.append(ack);
                long readsBefore = journal.reads.get();
                await("the other console's entry in the panel", () -> fx(() -> view.list().getItems().contains(ack)));
                assertThat(journal.reads.get()).as("it took re-reads").isGreaterThan(readsBefore);
                assertThat(fx(() -> robot.lookup("#journal-list").query().isVisible())).isTrue();
                io.andon.ui.FxShots.shot(robot, root, "journal-follow");

                // this console's own note: queued, then delivered; shown either way, once
                JournalEntry note = new JournalEntry(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MILLIS), JournalEntry.Action.NOTE,
                        "li.wei", "wall-2", "P07", alert.fingerprint(), alert.labels(), "spare part ordered", null, null);
                journal.append(note);
                await("own note delivered and shown", () -> mine.status().queued() == 0 && fx(() -> view.list().getItems().equals(List.of(ack, note))));

                // bounded: one read at a time, at most one per poll
                assertThat(journal.maxRunning.get()).as("reads in flight at once").isEqualTo(1);
                long polled = polls.get() - polls0;
                assertThat(journal.reads.get() - reads0).as("reads vs %d polls", polled).isLessThanOrEqualTo(polled + 1);
                System.out.printf("journal panel: %d reads over %d polls (500 ms poll)%n", journal.reads.get() - reads0, polled);

                // a page out of the window reads nothing, though its view model polls on
                robot.interact(() -> root.getChildren().clear());
                long hiddenReads = journal.reads.get(), hiddenPolls = polls.get();
                await("three polls while hidden", () -> polls.get() >= hiddenPolls + 3);
                Thread.sleep(300);
                assertThat(journal.reads.get()).as("reads while the page is hidden").isEqualTo(hiddenReads);
                robot.interact(() -> root.getChildren().setAll(page.view()));
                await("reads again once shown", () -> journal.reads.get() > hiddenReads);

                // disposed, the panel stops reading, though it is on screen and the view model still polls
                robot.interact(view::dispose);
                Thread.sleep(1200); // a read that was out lands
                WaitForAsyncUtils.waitForFxEvents();
                long disposedReads = journal.reads.get(), disposedPolls = polls.get();
                robot.interact(() -> {
                    io.andon.ui.I18n.setLocale(io.andon.ui.I18n.ZH_CN);
                    io.andon.ui.I18n.setLocale(java.util.Locale.ENGLISH);
                });
                await("three polls after dispose", () -> polls.get() >= disposedPolls + 3);
                Thread.sleep(300);
                assertThat(journal.reads.get()).as("reads after dispose").isEqualTo(disposedReads);
                assertThat(view.reads()).as("the view's own count").isEqualTo(disposedReads);
            } finally {
                robot.interact(page::dispose);
            }
        }
    }

    /** Selects the alert's row (a poll may rebuild the table); false while it is not there. */
    private static boolean select(FxRobot robot, String name) {
        TreeTableView<Object> table = robot.lookup("#alerts-table").query();
        for (TreeItem<Object> g : table.getRoot().getChildren()) {
            for (TreeItem<Object> r : g.getChildren()) {
                if (r.getValue() instanceof Alert x && x.name().equals(name)) {
                    if (table.getSelectionModel().getSelectedItem() != r) table.getSelectionModel().select(r);
                    return true;
                }
            }
            if (g.getChildren().isEmpty() && g.getValue() instanceof Alert x && x.name().equals(name)) {
                table.getSelectionModel().select(g);
                return true;
            }
        }
        return false;
    }

    private static <T> T fx(java.util.concurrent.Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier cond) throws Exception {
        io.andon.ui.FxShots.await(what, Duration.ofSeconds(30), cond::getAsBoolean);
    }
}
