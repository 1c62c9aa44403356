package io.andon.ui.alerts;

import io.andon.alertmanager.Alert;
import io.andon.alertmanager.AlertSnapshot;
import io.andon.alertmanager.Escalation;
import io.andon.alertmanager.FloodDetector;
import io.andon.journal.Journal;
import io.andon.journal.JournalEntry;
import io.andon.ui.FxTicker;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The console's side of escalation and alarm flood: feeds {@link Escalation} and {@link FloodDetector} with every
 * complete alert list the alerts page receives (never a failed poll's), exposes their state as FX properties for
 * the banner and the wall, rings the sound while something is escalated, and writes ESCALATE / FLOOD_START /
 * FLOOD_END to the journal. An escalation's journal id is derived from the alert's fingerprint and start, so every
 * console writing it stores one entry (the journal creates by id).
 */
public final class AlarmWatch implements AutoCloseable {
    /** Who the system entries are from (no person acted). */
    public static final String SYSTEM_USER = "andon";

    private final AlertsViewModel vm;
    private final Escalation escalation;
    private final FloodDetector flood;
    private final Journal journal;
    private final String console;
    private final Consumer<String> sound;
    private final ObjectProperty<List<Escalation.Escalated>> escalated = new SimpleObjectProperty<>(List.of());
    private final BooleanProperty flooding = new SimpleBooleanProperty(false);
    private final IntegerProperty floodRate = new SimpleIntegerProperty(0);
    private final ObjectProperty<List<FloodDetector.Row>> floodSummary = new SimpleObjectProperty<>(List.of());
    private final BooleanBinding holdWall;
    private final IntegerProperty rings = new SimpleIntegerProperty(0);
    private final FxTicker.Handle ticker;
    private final javafx.beans.value.ChangeListener<AlertSnapshot> onSnapshot = (o, a, s) -> feed(s);

    /**
     * @param journal where escalations and floods are recorded (null: not recorded)
     * @param sound   plays the alarm sound of a severity (called on the FX thread; must not block)
     */
    public AlarmWatch(AlertsViewModel vm, Clock clock, Map<String, Escalation.Rule> rules, FloodDetector.Config floodConfig,
                      Journal journal, String console, Consumer<String> sound) {
        this.vm = vm;
        this.journal = journal;
        this.console = console;
        this.sound = sound;
        this.escalation = new Escalation(clock, rules, x -> record(JournalEntry.Action.ESCALATE, x.alert(),
                // same id on every console for one firing: stored once
                UUID.nameUUIDFromBytes(("escalate|" + x.alert().fingerprint() + "|" + x.alert().startsAt()).getBytes(StandardCharsets.UTF_8)).toString(),
                x.at(), "unacknowledged for " + minutes(Duration.between(x.alert().startsAt() == null ? x.at() : x.alert().startsAt(), x.at()))
                        + " (" + x.alert().severity() + ")"));
        this.flood = new FloodDetector(clock, floodConfig, c -> record(c.flooding() ? JournalEntry.Action.FLOOD_START : JournalEntry.Action.FLOOD_END,
                null, UUID.randomUUID().toString(), c.at(), c.newInWindow() + " new alarms in " + minutes(floodConfig.window())
                        + (c.flooding() ? "; " + summaryText(c.summary(), 8) : "")));
        this.holdWall = Bindings.createBooleanBinding(() -> !escalated.get().isEmpty() || flooding.get(), escalated, flooding);
        vm.snapshotProperty().addListener(onSnapshot);
        feed(vm.snapshotProperty().get());
        // the sound repeats between polls, and the escalation delay runs out between polls
        this.ticker = FxTicker.every(Duration.ofSeconds(1), this::tick);
    }

    private static String minutes(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? s / 60 + " min" : s >= 60 ? s / 60 + " min " + s % 60 + " s" : s + " s";
    }

    /** "EquipmentFailure · P01 ×3, MESDown · P02 ×1, …" */
    public static String summaryText(List<FloodDetector.Row> rows, int max) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < Math.min(max, rows.size()); i++) {
            var r = rows.get(i);
            parts.add(r.group() + " · " + r.plant() + " ×" + r.firing());
        }
        if (rows.size() > max) parts.add("+" + (rows.size() - max));
        return String.join(", ", parts);
    }

    private void record(JournalEntry.Action action, Alert a, String id, java.time.Instant at, String note) {
        if (journal == null) return;
        JournalEntry e = new JournalEntry(id, at, action, SYSTEM_USER, console, a == null ? null : a.labels().get("plant"),
                a == null ? null : a.fingerprint(), a == null ? Map.of() : a.labels(), note, null, null);
        // append is an fsync: off the FX thread
        Thread.ofVirtual().start(() -> journal.append(e));
    }

    private List<Alert> lastUnacked = List.of();

    private void feed(AlertSnapshot s) {
        if (s == null || s.stale()) return; // a failed poll is not "everything acknowledged"
        flood.update(s.alerts());
        // criticals: what the notifier still shows (it reflects the acknowledgements); other severities with a rule:
        // active (an acknowledgement is a silence, which makes the alert suppressed)
        List<Alert> unacked = new ArrayList<>(vm.notifier().unacknowledged());
        for (Alert a : s.alerts()) {
            if (!a.critical() && escalation.rules().containsKey(a.severity()) && "active".equals(a.state())) unacked.add(a);
        }
        lastUnacked = List.copyOf(unacked);
        escalation.update(lastUnacked);
        publish();
    }

    private void tick() {
        escalation.update(lastUnacked);
        publish();
        if (escalation.ringDue()) escalation.loudest().ifPresent(sev -> {
            rings.set(rings.get() + 1);
            try {
                sound.accept(sev);
            } catch (RuntimeException e) {
                // no sound device: the banner still shows it
            }
        });
    }

    private void publish() {
        List<Escalation.Escalated> now = escalation.escalated();
        // by fingerprint and moment only: the alert's updatedAt changes every poll, and a re-render would undo a snooze
        if (!keys(now).equals(keys(escalated.get()))) escalated.set(now);
        if (flooding.get() != flood.flooding()) flooding.set(flood.flooding());
        floodRate.set(flood.rate());
        if (!flood.summary().equals(floodSummary.get())) floodSummary.set(flood.summary());
    }

    private static List<String> keys(List<Escalation.Escalated> l) {
        return l.stream().map(x -> x.alert().fingerprint() + "@" + x.at()).toList();
    }

    public void snooze(Duration d) { escalation.snooze(d); }

    /** Until when the sound is snoozed (in the past when it is not). */
    public java.time.Instant snoozedUntil() { return escalation.snoozedUntil(); }

    /** How often the alarm sound played so far. */
    public IntegerProperty ringsProperty() { return rings; }

    public ObjectProperty<List<Escalation.Escalated>> escalatedProperty() { return escalated; }
    public BooleanProperty floodingProperty() { return flooding; }
    public IntegerProperty floodRateProperty() { return floodRate; }
    public ObjectProperty<List<FloodDetector.Row>> floodSummaryProperty() { return floodSummary; }
    /** True while the wall should hold the alerts page (something escalated, or a flood). */
    public BooleanBinding holdWall() { return holdWall; }
    public FloodDetector.Config floodConfig() { return flood.config(); }

    private static final AlarmSound DEFAULT_SOUND = AlarmSound.defaults();

    /**
     * The default alarm sound per severity on the system bell: a critical rings three fast, a warning two slow, the
     * rest once ({@link AlarmSound}; a console passes {@code AlarmSound.fromSettings(...)::ring} for its settings).
     */
    public static void bell(String severity) {
        DEFAULT_SOUND.ring(severity);
    }

    @Override
    public void close() {
        ticker.cancel();
        vm.snapshotProperty().removeListener(onSnapshot);
    }
}
