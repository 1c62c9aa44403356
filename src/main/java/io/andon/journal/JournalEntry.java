package io.andon.journal;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One line of the operator journal: who did what, from which console, when, to which alert.
 * {@code id} is chosen by the writer (a UUID) and used as the Elasticsearch document id, so a queued
 * entry delivered twice is stored once.
 *
 * @param fingerprint Alertmanager fingerprint of the alert, null for entries not about one alert
 *                    (a handover note, a flood that started)
 * @param labels      the alert's labels (empty when not about one alert)
 * @param note        free text the operator typed, or a system reason ("unacknowledged for 10 min")
 * @param until       end of a shelve or silence, null otherwise
 * @param silenceId   the Alertmanager silence that carries an ack/shelve/silence, null otherwise
 */
public record JournalEntry(String id, Instant at, Action action, String user, String console, String plant,
                           String fingerprint, Map<String, String> labels, String note, Instant until,
                           String silenceId) {

    public enum Action { ACK, UNACK, SHELVE, UNSHELVE, NOTE, SILENCE, EXPIRE_SILENCE, ESCALATE, FLOOD_START, FLOOD_END, HANDOVER_NOTE }

    public JournalEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
