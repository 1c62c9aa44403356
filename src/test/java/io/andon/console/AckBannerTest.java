package io.andon.console;

import io.andon.alertmanager.AckKeeper;
import io.andon.alertmanager.Acknowledgement;
import io.andon.alertmanager.Acknowledger;
import io.andon.alertmanager.AlertService;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.alertmanager.Silence;
import io.andon.journal.Journal;
import io.andon.journal.JournalEntry;
import io.andon.net.Endpoint;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import io.andon.ui.I18n;
import io.andon.ui.alerts.AlertsPage;
import io.andon.ui.alerts.AlertsViewModel;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo path on two consoles side by side, each polling a real Alertmanager HA pair every second: the db-outage
 * critical (MESAvailabilityLow, as Prometheus sends it) shouts on both; acknowledged from console A's banner by
 * keyboard, console B's banner turns into "ACK by …" within a poll; un-ack on B brings it back on A; acknowledged
 * again from B's Alerts page; resolved, the ack silence is expired and both banners go. Screenshots in both languages.
 */
@Tag("integration")
@ExtendWith({StackExtension.class, ApplicationExtension.class})
@Timeout(360)
class AckBannerTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private StackPane root;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        root = io.andon.ui.FxShots.darkRoot(stage, 1900, 860);
    }

    /** An in-memory journal: the Elasticsearch one is wired by the journal work. */
    static final class Entries implements Journal {
        final List<JournalEntry> list = new CopyOnWriteArrayList<>();
        @Override public void append(JournalEntry e) { list.add(e); }
        @Override public List<JournalEntry> forAlert(String fp) { return list.stream().filter(e -> fp.equals(e.fingerprint())).toList(); }
        @Override public List<JournalEntry> between(Instant from, Instant to) { return List.copyOf(list); }
    }

    record Console(AlertsViewModel vm, Shell shell, Banner.Live banner, AlertsPage page) {}

    static Console console(Stack stack, boolean memberZeroFirst, Journal journal, String name) {
        // other classes' criticals on the shared pair stay out of this test's banners
        return console(stack, memberZeroFirst, journal, name, io.andon.alertmanager.AlertFilter.parse("run=\"" + RUN + "\""));
    }

    /** @param bannerFilter which criticals the banner announces (null: all, as a console is shipped) */
    static Console console(Stack stack, boolean memberZeroFirst, Journal journal, String name, io.andon.alertmanager.AlertFilter bannerFilter) {
        AlertmanagerClient c0 = new AlertmanagerClient("Alertmanager 1", Endpoint.of(stack.alertmanager(0).baseUri().toString()));
        AlertmanagerClient c1 = new AlertmanagerClient("Alertmanager 2", Endpoint.of(stack.alertmanager(1).baseUri().toString()));
        AlertmanagerPool pool = new AlertmanagerPool(memberZeroFirst ? List.of(c0, c1) : List.of(c1, c0));
        AckKeeper keeper = new AckKeeper(pool);
        AlertsViewModel vm = new AlertsViewModel(sink -> new AlertService(pool, Duration.ofSeconds(1), s -> sink.accept(s, null),
                c -> sink.accept(null, c), Clock.systemUTC()).withKeeper(keeper), c -> {});
        if (bannerFilter != null) vm.withBannerFilter(bannerFilter);
        vm.withAcknowledger(new Acknowledger(pool, journal, name, keeper.hold(), Clock.systemUTC()));
        AlertsPage page = new AlertsPage(vm);
        Shell shell = new Shell(List.of(page));
        shell.show("alerts");
        return new Console(vm, shell, Banner.live(shell, vm), page);
    }

    /** Two consoles side by side in the test's window, as two desks in a control room (FX thread). */
    static void sideBySide(StackPane root, Console a, Console b) {
        HBox both = new HBox(4, a.shell(), b.shell());
        HBox.setHgrow(a.shell(), Priority.ALWAYS);
        HBox.setHgrow(b.shell(), Priority.ALWAYS);
        a.shell().setPrefWidth(948);
        b.shell().setPrefWidth(948);
        root.getChildren().setAll(both);
    }

    static void post(URI am, boolean firing) throws Exception {
        // MESAvailabilityLow as Prometheus sends it during the db-outage scenario (labels and annotations of
        // src/server/prometheus/rules/alerts.yml); the rule itself needs 5 min of outage, too long for this test
        String body = """
                [{"labels":{"alertname":"MESAvailabilityLow","severity":"critical","team":"mes","run":"%s"},
                  "annotations":{"summary":"MES availability below 99.5 %%","summary_zh":"MES 系统可用性低于 99.5%%"},
                  "startsAt":"%s","endsAt":"%s"}]""".formatted(RUN, Instant.now().minusSeconds(300),
                firing ? Instant.now().plusSeconds(3600) : Instant.now().minusSeconds(1));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(am + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void ackOnOneConsoleSilencesTheBannerOnTheOther(Stack stack, FxRobot robot) throws Exception {
        stack.alertmanager(1);
        AlertmanagerClient m0 = new AlertmanagerClient("am-0", Endpoint.of(stack.alertmanager(0).baseUri().toString()));
        if (m0.status().peers().size() < 2) {
            stack.stopService(stack.alertmanager(0).name(), false);
            stack.startAgain(stack.alertmanager(0).name());
        }
        await(() -> m0.status().peers().size() == 2);
        Entries journal = new Entries();
        Console a = console(stack, true, journal, "console-a");
        Console b = console(stack, false, journal, "console-b");
        robot.interact(() -> sideBySide(root, a, b));
        a.vm().start();
        b.vm().start();
        try {
            for (URI am : List.of(stack.alertmanager(0).baseUri(), stack.alertmanager(1).baseUri())) post(am, true);
            await(() -> isCritical(a) && isCritical(b));
            assertThat(text(b)).contains("MES availability below 99.5 %");
            shot(robot, "ack-banner-critical");

            // the wall has no mouse: key A opens B's ack form on the note, Esc closes it without arming "leave the wall"
            WallMode[] wall = new WallMode[1];
            robot.interact(() -> {
                wall[0] = new WallMode(stage, b.shell(), List.of("alerts"), Duration.ofMinutes(10), b.banner());
                wall[0].enter(0);
            });
            robot.type(KeyCode.A);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(b.banner().formOpen()).isTrue();
            assertThat(b.banner().note.isFocused()).isTrue();
            robot.write("a"); // typed into the note, not a second "open"
            assertThat(b.banner().note.getText()).isEqualTo("a");
            robot.type(KeyCode.ESCAPE);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(b.banner().formOpen()).isFalse();
            assertThat(wall[0].active()).isTrue();
            assertThat(b.banner().banner.getParent()).as("no 'Esc again to leave' hint replaced the banner").isNotNull();
            robot.interact(() -> {
                wall[0].leave();
                b.banner().note.clear();
            });

            // console A, keyboard only: open the form (the wall's key A), Esc cancels, again, type, Enter confirms
            robot.interact(a.banner()::openAckForm);
            assertThat(a.banner().note.isFocused()).as("the form opens on the note").isTrue();
            robot.type(KeyCode.ESCAPE);
            assertThat(a.banner().formOpen()).isFalse();
            robot.interact(() -> a.banner().owner.setText("shift-lead"));
            robot.interact(a.banner()::openAckForm);
            robot.type(KeyCode.ENTER); // no note yet: refused, the form stays with what was typed
            await(() -> a.banner().result.getText().startsWith("✖"));
            assertThat(a.banner().result.getText()).contains("note is required");
            assertThat(a.banner().formOpen()).isTrue();
            assertThat(a.banner().owner.getText()).isEqualTo("shift-lead");
            robot.interact(() -> a.banner().note.requestFocus());
            robot.write("failover to standby db, ETA 10 min");
            long t0 = System.nanoTime();
            robot.type(KeyCode.ENTER);
            await(() -> isAcked(b) && text(b).contains("shift-lead") && text(b).contains("failover to standby db, ETA 10 min"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("demo path: Enter on console A -> console B's banner shows the ack after " + ms + " ms (1 s poll)");
            await(() -> isAcked(a));
            assertThat(text(b)).matches("ACK by shift-lead: failover to standby db, ETA 10 min, \\d+ s ago.*");
            assertThat(b.vm().unacknowledgedProperty().get()).isEmpty();
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(ackCell(b)).contains("ACK by shift-lead");
            shot(robot, "ack-banner-acked");
            robot.interact(() -> I18n.setLocale(I18n.ZH_CN));
            await(() -> text(b).contains("已确认"));
            shot(robot, "ack-banner-acked-zh");
            robot.interact(() -> I18n.setLocale(Locale.ENGLISH));

            // un-acknowledge on B is one action: A shouts again
            robot.interact(() -> b.banner().unack.fire());
            await(() -> isCritical(a) && isCritical(b));

            // acknowledged again from B's Alerts page: the group row, owner, note, the button
            robot.interact(() -> {
                TreeTableView<Object> t = robot.lookup("#alerts-table").queryAll().stream()
                        .filter(n -> isInside(n, b.shell())).map(n -> (TreeTableView<Object>) n).findFirst().orElseThrow();
                TreeItem<Object> group = t.getRoot().getChildren().stream()
                        .filter(g -> ((AlertsViewModel.Group) g.getValue()).alerts().stream().anyMatch(x -> RUN.equals(x.labels().get("run"))))
                        .findFirst().orElseThrow();
                t.getSelectionModel().select(group);
                lookupIn(robot, b.shell(), "#ack-owner", javafx.scene.control.TextField.class).setText("dba-on-call");
                lookupIn(robot, b.shell(), "#ack-note", javafx.scene.control.TextField.class).setText("restoring replica");
                lookupIn(robot, b.shell(), "#ack-do", javafx.scene.control.Button.class).fire();
            });
            await(() -> isAcked(a) && text(a).contains("dba-on-call"));
            // console B alone at full width for the Alerts page pictures
            robot.interact(() -> root.getChildren().setAll(b.shell()));
            WaitForAsyncUtils.waitForFxEvents();
            shot(robot, "ack-alerts-page");
            robot.interact(() -> I18n.setLocale(I18n.ZH_CN));
            WaitForAsyncUtils.waitForFxEvents();
            shot(robot, "ack-alerts-page-zh");
            robot.interact(() -> I18n.setLocale(Locale.ENGLISH));

            // the scenario returns to normal: the ack silence is expired (kept, not deleted), both banners go
            String id = liveAck(m0).orElseThrow().id();
            for (URI am : List.of(stack.alertmanager(0).baseUri(), stack.alertmanager(1).baseUri())) post(am, false);
            await(() -> a.banner().banner.getParent() == null && b.banner().banner.getParent() == null);
            await(() -> m0.silences().stream().anyMatch(s -> s.id().equals(id) && s.state().equals("expired")));

            assertThat(journal.list).extracting(JournalEntry::action).containsExactly(JournalEntry.Action.ACK, JournalEntry.Action.UNACK,
                    JournalEntry.Action.ACK);
            assertThat(journal.list).extracting(JournalEntry::console).containsExactly("console-a", "console-b", "console-b");
            assertThat(journal.list.getFirst().note()).isEqualTo("failover to standby db, ETA 10 min");
        } finally {
            for (var s : m0.silences()) {
                if (!"expired".equals(s.state()) && s.matchers().stream().anyMatch(m -> m.value().equals(RUN))) m0.expireSilence(s.id());
            }
            robot.interact(() -> {
                a.shell().dispose();
                b.shell().dispose();
            });
        }
    }

    private java.util.Optional<Silence> liveAck(AlertmanagerClient m) throws Exception {
        return m.silences().stream().filter(s -> !"expired".equals(s.state()))
                .filter(s -> Acknowledgement.parse(s).isPresent() && s.matchers().stream().anyMatch(x -> x.value().equals(RUN))).findFirst();
    }

    private static boolean isInside(javafx.scene.Node n, javafx.scene.Node parent) {
        for (var p = n; p != null; p = p.getParent()) if (p == parent) return true;
        return false;
    }

    private static <T> T lookupIn(FxRobot robot, javafx.scene.Node parent, String id, Class<T> type) {
        return robot.lookup(id).queryAll().stream().filter(n -> isInside(n, parent)).map(type::cast).findFirst().orElseThrow();
    }

    private static String ackCell(Console c) {
        var acks = c.vm().acksProperty().get();
        return c.vm().snapshotProperty().get().alerts().stream().filter(x -> RUN.equals(x.labels().get("run")))
                .map(x -> io.andon.ui.alerts.AckText.of(acks.get(x.fingerprint()))).findFirst().orElse("");
    }

    private static boolean isCritical(Console c) {
        return c.banner().banner.getParent() != null && c.banner().banner.getStyleClass().contains("banner-critical")
                && c.banner().text.getText().contains("99.5");
    }

    private static boolean isAcked(Console c) {
        return c.banner().banner.getParent() != null && c.banner().banner.getStyleClass().contains("banner-ack");
    }

    private static String text(Console c) { return c.banner().text.getText(); }

    private void shot(FxRobot robot, String name) {
        io.andon.ui.FxShots.shot(robot, root, name);
    }

    private static void await(io.andon.ui.FxShots.Check cond) throws Exception {
        io.andon.ui.FxShots.await("the banner", Duration.ofSeconds(20), cond);
    }
}
