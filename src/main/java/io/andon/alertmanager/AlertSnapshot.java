package io.andon.alertmanager;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The alert list after one poll. When no Alertmanager answered, {@code stale} is true, {@code alerts} is the
 * last good list and {@code lastGood} its time: never an empty list that reads as "all clear".
 */
public record AlertSnapshot(List<Alert> alerts, List<Silence> silences, Instant fetchedAt, Instant lastGood, boolean stale,
                            List<String> memberErrors) {
    public AlertSnapshot {
        alerts = List.copyOf(alerts);
        silences = List.copyOf(silences);
        memberErrors = List.copyOf(memberErrors);
    }

    /** Active (not silenced or inhibited) alerts per severity. */
    public Map<String, Long> activeBySeverity() {
        return alerts.stream().filter(a -> "active".equals(a.state()))
                .collect(java.util.stream.Collectors.groupingBy(Alert::severity, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }
}
