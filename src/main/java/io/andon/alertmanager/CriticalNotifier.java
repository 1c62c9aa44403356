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
 * criticals are not announced. Acknowledging is local to this console (Alertmanager knows nothing of it).
 * Feed it only with complete lists: a failed poll must not look like "everything resolved".
 */
public final class CriticalNotifier {
    private final Consumer<Alert> sink;
    private final Set<String> announced = new HashSet<>();
    private final Set<String> acknowledged = new HashSet<>();
    private final Map<String, Alert> current = new LinkedHashMap<>();

    public CriticalNotifier(Consumer<Alert> sink) { this.sink = sink; }

    /** Takes the complete current list; returns (and sends to the sink) the criticals that are new. */
    public List<Alert> update(List<Alert> alerts) {
        List<Alert> fresh = new ArrayList<>();
        synchronized (this) {
            Set<String> present = new HashSet<>();
            current.clear();
            for (Alert a : alerts) {
                if (!a.critical()) continue;
                present.add(a.fingerprint());
                if (!"active".equals(a.state())) continue;
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

    public synchronized boolean isAcknowledged(String fingerprint) { return acknowledged.contains(fingerprint); }

    /** Active criticals nobody acknowledged here yet (what a banner keeps showing). */
    public synchronized List<Alert> unacknowledged() {
        return current.values().stream().filter(a -> !acknowledged.contains(a.fingerprint())).toList();
    }
}
