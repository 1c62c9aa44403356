package io.andon.alertmanager;

import java.util.List;
import java.util.Map;

/**
 * Alerts sharing the values of the chosen label keys (the console's grouping, independent of Alertmanager's
 * routing): {@code key} holds those values ("" for an alert without the label).
 */
public record LabelGroup(Map<String, String> key, List<Alert> alerts, Map<String, Long> bySeverity) {
    public LabelGroup {
        key = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(key));
        alerts = List.copyOf(alerts);
        bySeverity = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(bySeverity));
    }

    /** "DatabaseDown / P01" for a title. */
    public String title() {
        return String.join(" / ", key.values().stream().map(v -> v.isEmpty() ? "—" : v).toList());
    }
}
