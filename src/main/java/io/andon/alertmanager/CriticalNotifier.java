package io.andon.alertmanager;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Announces each newly firing critical alert once: a fingerprint is announced when it first shows up active
 * with severity critical, and again only after it left the list (resolved) and came back. Silenced or inhibited
 * criticals are not announced. Acknowledged is shared: an alert covered by a live {@code ACK!} silence (see
 * {@link Acknowledgement}, made on any console or in karma) is acknowledged on every console; {@link #acknowledge}
 * adds a local-only acknowledgement on top (no Alertmanager write possible).
 * Feed it only with complete lists: a failed poll must not look like "everything resolved".
 */
public final class CriticalNotifier {
    private final Consumer<Alert> sink;
    private final Set<String> announced = new HashSet<>();
    private final Set<String> acknowledged = new HashSet<>();
    private final Map<String, Alert> current = new LinkedHashMap<>();
    private Map<String, Acknowledgement> shared = Map.of();

    public CriticalNotifier(Consumer<Alert> sink) { this.sink = sink; }

    /** Takes the complete current list; returns (and sends to the sink) the criticals that are new. */
    public List<Alert> update(List<Alert> alerts) { return update(alerts, List.of()); }

    /** Same, with the silences of the same poll: the acknowledgements among them are what every console shares. */
    public List<Alert> update(List<Alert> alerts, List<Silence> silences) {
        List<Alert> fresh = new ArrayList<>();
        Map<String, Acknowledgement> acks = Acknowledgement.byFingerprint(alerts, silences);
        synchronized (this) {
            shared = acks;
            Set<String> present = new HashSet<>();
            current.clear();
            for (Alert a : alerts) {
                if (!a.critical()) continue;
                present.add(a.fingerprint());
                if (!"active".equals(a.state())) continue;
                // a just-made ack a member has not applied yet (gossip) already counts
                if (isSharedAck(a.fingerprint())) {
                    announced.add(a.fingerprint()); // owned already: no announcement, no banner
                    current.put(a.fingerprint(), a);
                    continue;
                }
                current.put(a.fingerprint(), a);
                if (announced.add(a.fingerprint())) fresh.add(a);
            }
            // resolved: forget it, so that firing again is news again
            announced.retainAll(present);
            acknowledged.retainAll(present);
        }
        fresh.forEach(sink);
        return fresh;
    }

    public synchronized void acknowledge(String fingerprint) {
        if (announced.contains(fingerprint)) acknowledged.add(fingerprint);
    }

    public synchronized boolean isAcknowledged(String fingerprint) { return acknowledged.contains(fingerprint) || isSharedAck(fingerprint); }

    private boolean isSharedAck(String fingerprint) {
        Acknowledgement k = shared.get(fingerprint);
        return k != null && k.kind() == Acknowledgement.Kind.ACK;
    }

    /** The shared acknowledgement or shelve covering an alert in the last list (any severity). */
    public synchronized java.util.Optional<Acknowledgement> acknowledgement(String fingerprint) {
        return java.util.Optional.ofNullable(shared.get(fingerprint));
    }

    /** Active criticals nobody acknowledged yet, here or on another console (what a banner keeps showing). */
    public synchronized List<Alert> unacknowledged() {
        return current.values().stream().filter(a -> !isAcknowledged(a.fingerprint())).toList();
    }
}
