package io.andon.alertmanager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where an acknowledgement or a shelve is read from / written to an Alertmanager silence, so every
 * console, karma and the Alertmanager UI see the same thing and it survives restarts.
 * <ul>
 *   <li>Acknowledge: a silence on the alert's exact labels (every label, {@code =}, no regex), {@code createdBy} the
 *   owner, comment {@code "ACK! <note>"}. karma's one-click ack writes {@code "ACK! This alert was acknowledged
 *   using karma on <time>"} (its {@code alertAcknowledgement.comment} default; kthxbye renews silences by the same
 *   {@code ACK!} prefix), so karma's acks read as acks here and ours as acks there. Short fixed end, renewed by
 *   {@link AckKeeper} while the alert fires.</li>
 *   <li>Shelve: same matchers, comment {@code "SHELVE! <reason>"}, end = the chosen time, never renewed.</li>
 * </ul>
 * Stable API: the shift report reads acknowledgements through {@link #parse(Silence)}.
 */
public record Acknowledgement(Kind kind, String silenceId, String owner, String note, Instant since, Instant until,
                              String state, List<Silence.Matcher> matchers) {
    public enum Kind { ACK, SHELVE }

    /** karma's and kthxbye's prefix for acknowledgement silences. */
    public static final String ACK_PREFIX = "ACK!";
    public static final String SHELVE_PREFIX = "SHELVE!";

    public Acknowledgement {
        matchers = matchers == null ? List.of() : List.copyOf(matchers);
        note = note == null ? "" : note;
        owner = owner == null ? "" : owner;
    }

    /** The acknowledgement or shelve a silence carries; empty for an ordinary silence. */
    public static Optional<Acknowledgement> parse(Silence s) {
        if (s == null || s.comment() == null) return Optional.empty();
        String c = s.comment().stripLeading();
        Kind kind;
        String rest;
        if (c.startsWith(ACK_PREFIX)) {
            kind = Kind.ACK;
            rest = c.substring(ACK_PREFIX.length());
        } else if (c.startsWith(SHELVE_PREFIX)) {
            kind = Kind.SHELVE;
            rest = c.substring(SHELVE_PREFIX.length());
        } else {
            return Optional.empty();
        }
        return Optional.of(new Acknowledgement(kind, s.id(), s.createdBy(), rest.strip(), s.startsAt(), s.endsAt(), s.state(), s.matchers()));
    }

    /** The silence comment for this kind and note; the note is required (an ack says what is being done). */
    public static String comment(Kind kind, String note) {
        if (note == null || note.isBlank()) throw new IllegalArgumentException(kind == Kind.ACK ? "a note is required to acknowledge" : "a reason is required to shelve");
        return (kind == Kind.ACK ? ACK_PREFIX : SHELVE_PREFIX) + " " + note.strip();
    }

    /** Matchers on exactly these labels, sorted by name so that the same alert always gives the same list. */
    public static List<Silence.Matcher> matchers(Map<String, String> labels) {
        List<Silence.Matcher> ms = new ArrayList<>();
        labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> ms.add(Silence.Matcher.equal(e.getKey(), e.getValue())));
        return ms;
    }

    /** Not expired (active, or pending for a moment after it was made). */
    public boolean live() { return !"expired".equals(state); }

    /** Whether its matchers match these labels (as Alertmanager matches a silence). */
    public boolean matches(Map<String, String> labels) {
        return new Silence(silenceId, matchers, since, until, owner, "", state).matches(labels);
    }

    /** Whether this acknowledgement covers an alert: Alertmanager says the silence mutes it, or its matchers match. */
    public boolean covers(Alert a) {
        return a.silencedBy().contains(silenceId) || matches(a.labels());
    }

    /** Same matchers regardless of order: two acknowledgements of one alert. */
    public String matcherKey() {
        return matchers.stream().map(Silence.Matcher::toString).sorted().toList().toString();
    }

    /**
     * The live acknowledgement or shelve covering each alert, by fingerprint. When several cover one alert, an ack
     * wins over a shelve, and the oldest ack (the one {@link AckKeeper} keeps) over newer ones.
     */
    public static Map<String, Acknowledgement> byFingerprint(List<Alert> alerts, List<Silence> silences) {
        List<Acknowledgement> live = silences.stream().map(Acknowledgement::parse).flatMap(Optional::stream).filter(Acknowledgement::live)
                .sorted(ORDER).toList();
        Map<String, Acknowledgement> out = new LinkedHashMap<>();
        if (live.isEmpty()) return out;
        for (Alert a : alerts) {
            for (Acknowledgement k : live) {
                if (k.covers(a)) {
                    out.put(a.fingerprint(), k);
                    break;
                }
            }
        }
        return out;
    }

    /** Ack before shelve, then oldest first, then by id: every console picks the same one. */
    static final Comparator<Acknowledgement> ORDER = Comparator.comparing(Acknowledgement::kind)
            .thenComparing(Acknowledgement::since, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Acknowledgement::silenceId);
}
