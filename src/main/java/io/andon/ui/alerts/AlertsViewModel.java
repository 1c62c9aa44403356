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
