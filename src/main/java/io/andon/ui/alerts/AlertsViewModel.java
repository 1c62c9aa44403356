package io.andon.ui.alerts;

import io.andon.alertmanager.Alert;
import io.andon.alertmanager.AlertFilter;
import io.andon.alertmanager.AlertService;
import io.andon.alertmanager.AlertSnapshot;
import io.andon.alertmanager.Silence;
import io.andon.net.SourceException;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The alerts page's state: filtered, grouped alerts, silences, counts, stale flag; actions run off the FX thread. */
public final class AlertsViewModel implements AutoCloseable {
    public record Group(String key, List<Alert> alerts) {}

    private final AlertService service;
    private final ObservableList<Group> groups = FXCollections.observableArrayList();
    private final ObservableList<Silence> silences = FXCollections.observableArrayList();
    private final ObjectProperty<AlertSnapshot> snapshot = new SimpleObjectProperty<>();
    private final ObjectProperty<Map<String, Long>> counts = new SimpleObjectProperty<>(Map.of());
    private final BooleanProperty stale = new SimpleBooleanProperty(true);
    private final StringProperty filterText = new SimpleStringProperty("");
    private final StringProperty filterError = new SimpleStringProperty("");
    private final ObjectProperty<List<String>> groupBy = new SimpleObjectProperty<>(List.of("alertname", "plant"));
    private final CompletableFuture<Void> firstData = new CompletableFuture<>();
    private AlertFilter filter = AlertFilter.NONE;
    private java.util.Optional<io.andon.board.AlertHistory> history = java.util.Optional.empty();
    private java.util.Optional<io.andon.alertmanager.Acknowledger> acknowledger = java.util.Optional.empty();
    private final ObjectProperty<Map<String, io.andon.alertmanager.Acknowledgement>> acks = new SimpleObjectProperty<>(Map.of());
    private final ObjectProperty<List<Alert>> unacknowledged = new SimpleObjectProperty<>(List.of());
    private final ObjectProperty<List<Alert>> acknowledgedCriticals = new SimpleObjectProperty<>(List.of());

    /** Enables acknowledge, shelve and note (they write to Alertmanager and the journal). */
    public AlertsViewModel withAcknowledger(io.andon.alertmanager.Acknowledger a) {
        acknowledger = java.util.Optional.of(a);
        return this;
    }

    public boolean canAcknowledge() { return acknowledger.isPresent(); }

    private AlertFilter bannerFilter = AlertFilter.NONE;

    /** Which criticals this console's banner is about (e.g. one plant's console); all by default. */
    public AlertsViewModel withBannerFilter(AlertFilter f) {
        bannerFilter = f;
        return this;
    }

    /** What an operator action did: ok when everything asked for was done; the message says what (or why not). */
    public record ActionResult(boolean ok, String message) {}

    /** Enables the history tab (needs Prometheus, where ALERTS is recorded). */
    public AlertsViewModel withHistory(io.andon.board.AlertHistory h) {
        history = java.util.Optional.of(h);
        return this;
    }

    public boolean hasHistory() { return history.isPresent(); }

    /** Loads the timeline off the FX thread; the callback gets the rows or an error message. */
    public void loadHistory(Duration window, Consumer<Object> done) {
        Thread.ofVirtual().start(() -> {
            Object result;
            try {
                result = history.orElseThrow().load(Instant.now(), window);
            } catch (io.andon.net.SourceException e) {
                result = io.andon.ui.Problems.text(e);
            }
            Object r = result;
            Platform.runLater(() -> done.accept(r));
        });
    }

    /** @param newCritical called on the FX thread for each newly firing critical alert */
    public AlertsViewModel(java.util.function.Function<java.util.function.BiConsumer<AlertSnapshot, Alert>, AlertService> serviceFactory,
                           Consumer<Alert> newCritical) {
        this.service = serviceFactory.apply((snap, crit) -> Platform.runLater(() -> {
            if (snap != null) apply(snap);
            if (crit != null) newCritical.accept(crit);
        }));
        filterText.addListener((o, a, t) -> {
            try {
                filter = AlertFilter.parse(t);
                filterError.set("");
            } catch (IllegalArgumentException e) {
                filterError.set(io.andon.ui.Problems.text(e));
            }
            regroup();
        });
        groupBy.addListener((o, a, b) -> regroup());
    }

    public void start() { service.start(); }

    /** Which criticals are announced and still unacknowledged (escalation reads it). */
    public io.andon.alertmanager.CriticalNotifier notifier() { return service.notifier(); }

    private void apply(AlertSnapshot s) {
        // acks first: listeners of the snapshot (tables, banner) read them
        if (!s.stale()) {
            Map<String, io.andon.alertmanager.Acknowledgement> k = io.andon.alertmanager.Acknowledgement.byFingerprint(s.alerts(), s.silences());
            if (!k.equals(acks.get())) acks.set(k);
        }
        List<Alert> un = service.notifier().unacknowledged().stream().filter(bannerFilter::test).toList();
        if (!un.equals(unacknowledged.get())) unacknowledged.set(un);
        List<Alert> ackedCrit = s.alerts().stream().filter(Alert::critical).filter(bannerFilter::test).filter(a -> service.notifier().isAcknowledged(a.fingerprint())).toList();
        if (!ackedCrit.equals(acknowledgedCriticals.get())) acknowledgedCriticals.set(ackedCrit);
        snapshot.set(s);
        stale.set(s.stale());
        counts.set(s.activeBySeverity());
        List<io.andon.alertmanager.Silence> active = s.silences().stream().filter(x -> !"expired".equals(x.state())).toList();
        // a poll that changed nothing must not rebuild the tables (wall CPU, P4)
        if (!active.equals(silences)) silences.setAll(active);
        regroup();
        firstData.complete(null);
    }

    private void regroup() {
        AlertSnapshot s = snapshot.get();
        if (s == null) return;
        Map<String, List<Alert>> g = new LinkedHashMap<>();
        for (Alert a : s.alerts()) {
            if (!filter.test(a)) continue;
            StringBuilder key = new StringBuilder();
            for (String l : groupBy.get()) {
                if (!key.isEmpty()) key.append(" · ");
                key.append(l).append('=').append(a.labels().getOrDefault(l, "—"));
            }
            g.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(a);
        }
        List<Group> out = new ArrayList<>();
        g.forEach((k, v) -> out.add(new Group(k, v)));
        out.sort((x, y) -> Integer.compare(rank(y), rank(x)));
        if (!out.equals(groups)) groups.setAll(out);
    }

    private static int rank(Group g) {
        return g.alerts().stream().mapToInt(a -> switch (a.severity()) {
            case "critical" -> 3;
            case "warning" -> 2;
            default -> 1;
        }).max().orElse(0);
    }

    /** Creates a silence off the FX thread; the callback gets null on success or the message to show. */
    public void createSilence(List<Silence.Matcher> matchers, Duration duration, String author, String comment, Consumer<String> done) {
        Thread.ofVirtual().start(() -> {
            String result = null;
            try {
                if (comment == null || comment.isBlank()) throw new IllegalArgumentException("a comment is required");
                if (author == null || author.isBlank()) throw new IllegalArgumentException("an author is required");
                Instant now = Instant.now();
                service.pool().createSilence(matchers, now, now.plus(duration), author, comment);
                service.poll();
            } catch (SourceException | IllegalArgumentException e) {
                result = io.andon.ui.Problems.text(e);
            }
            String r = result;
            Platform.runLater(() -> done.accept(r));
        });
    }

    public void expireSilence(String id, Consumer<String> done) {
        Thread.ofVirtual().start(() -> {
            String result = null;
            try {
                service.pool().expireSilence(id);
                service.poll();
            } catch (SourceException e) {
                result = io.andon.ui.Problems.text(e);
            }
            String r = result;
            Platform.runLater(() -> done.accept(r));
        });
    }

    /** Acknowledges the alerts (one silence each, held until they resolve); off the FX thread. */
    public void acknowledge(List<Alert> alerts, String owner, String note, Consumer<ActionResult> done) {
        act(done, a -> a.acknowledge(alerts, owner, note), "alerts.ackDone");
    }

    public void unacknowledge(List<Alert> alerts, String owner, Consumer<ActionResult> done) {
        act(done, a -> a.unacknowledge(alerts, owner), "alerts.unackDone");
    }

    /** Shelves the alerts for {@code d} with a reason: they come back by themselves. */
    public void shelve(List<Alert> alerts, String owner, String reason, Duration d, Consumer<ActionResult> done) {
        act(done, a -> a.shelve(alerts, owner, reason, Instant.now().plus(d)), "alerts.shelveDone");
    }

    public void unshelve(List<Alert> alerts, String owner, Consumer<ActionResult> done) {
        act(done, a -> a.unshelve(alerts, owner), "alerts.unshelveDone");
    }

    /** A note on an alert without acknowledging it (journal only). */
    public void note(Alert alert, String owner, String text, Consumer<ActionResult> done) {
        act(done, a -> {
            a.note(alert, owner, text);
            return new io.andon.alertmanager.Acknowledger.Outcome(List.of(alert), List.of());
        }, "alerts.noteDone");
    }

    private interface Action {
        io.andon.alertmanager.Acknowledger.Outcome run(io.andon.alertmanager.Acknowledger a) throws SourceException;
    }

    private void act(Consumer<ActionResult> done, Action action, String doneKey) {
        Thread.ofVirtual().start(() -> {
            ActionResult r;
            try {
                var o = action.run(acknowledger.orElseThrow(() -> new IllegalStateException("acknowledging is not configured")));
                String msg = io.andon.ui.I18n.text(doneKey, o.done().size());
                if (!o.skipped().isEmpty()) msg += " · " + io.andon.ui.I18n.text("alerts.skipped", String.join("; ", o.skipped()));
                r = new ActionResult(o.skipped().isEmpty() && !o.done().isEmpty(), msg);
                service.poll(); // shown at once here; other consoles see it on their next poll
            } catch (SourceException | RuntimeException e) {
                r = new ActionResult(false, io.andon.ui.Problems.text(e));
            }
            ActionResult res = r;
            Platform.runLater(() -> done.accept(res));
        });
    }

    /** Shared acks and shelves per alert fingerprint (from the silences of the last good poll). */
    public ObjectProperty<Map<String, io.andon.alertmanager.Acknowledgement>> acksProperty() { return acks; }
    /** Firing criticals nobody acknowledged (what the banner shouts). */
    public ObjectProperty<List<Alert>> unacknowledgedProperty() { return unacknowledged; }
    /** Firing criticals somebody acknowledged (the banner says who). */
    public ObjectProperty<List<Alert>> acknowledgedCriticalsProperty() { return acknowledgedCriticals; }

    public ObservableList<Group> groups() { return groups; }
    public ObservableList<Silence> silences() { return silences; }
    public ObjectProperty<AlertSnapshot> snapshotProperty() { return snapshot; }
    public ObjectProperty<Map<String, Long>> countsProperty() { return counts; }
    public BooleanProperty staleProperty() { return stale; }
    public StringProperty filterTextProperty() { return filterText; }
    public StringProperty filterErrorProperty() { return filterError; }
    public ObjectProperty<List<String>> groupByProperty() { return groupBy; }
    public CompletableFuture<Void> firstData() { return firstData; }

    @Override
    public void close() { service.close(); }
}
