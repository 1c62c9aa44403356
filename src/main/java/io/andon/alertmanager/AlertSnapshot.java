package io.andon.alertmanager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The alert list after one poll. When no Alertmanager answered, {@code stale} is true, {@code alerts} is the
 * last good list, {@code lastGood} its time and {@code error} why: never an empty list that reads as "all clear".
 * {@code memberErrors} names members that did not answer (one member down still gives a fresh list).
 */
public record AlertSnapshot(List<Alert> alerts, List<Silence> silences, Instant fetchedAt, Instant lastGood, boolean stale,
                            List<String> memberErrors, List<String> groupKeys, String error,
                            List<AlertmanagerPool.MemberHealth> health) {
    public static final List<String> DEFAULT_GROUP_KEYS = List.of("alertname", "plant");

    public AlertSnapshot {
        alerts = List.copyOf(alerts);
        silences = List.copyOf(silences);
        memberErrors = List.copyOf(memberErrors);
        groupKeys = groupKeys == null || groupKeys.isEmpty() ? DEFAULT_GROUP_KEYS : List.copyOf(groupKeys);
        health = health == null ? List.of() : List.copyOf(health);
    }

    public AlertSnapshot(List<Alert> alerts, List<Silence> silences, Instant fetchedAt, Instant lastGood, boolean stale, List<String> memberErrors) {
        this(alerts, silences, fetchedAt, lastGood, stale, memberErrors, DEFAULT_GROUP_KEYS, stale && !memberErrors.isEmpty() ? memberErrors.getFirst() : null, List.of());
    }

    /** Nothing was ever fetched: stale, no last good list. */
    public static AlertSnapshot notYet() {
        return new AlertSnapshot(List.of(), List.of(), null, null, true, List.of("not fetched yet"), DEFAULT_GROUP_KEYS, "not fetched yet", List.of());
    }

    /** How old the list shown is (null when there never was one). */
    public Duration age(Instant now) {
        return lastGood == null ? null : Duration.between(lastGood, now);
    }

    /** True when an empty list really means "no alerts": fresh and fetched. */
    public boolean allClear() { return !stale && lastGood != null && alerts.isEmpty(); }

    /** Active (not silenced or inhibited) alerts per severity. */
    public Map<String, Long> activeBySeverity() {
        return alerts.stream().filter(a -> "active".equals(a.state()))
                .collect(Collectors.groupingBy(Alert::severity, TreeMap::new, Collectors.counting()));
    }

    /** Every alert in the list (suppressed included) per severity. */
    public Map<String, Long> countsBySeverity() { return bySeverity(alerts); }

    private static Map<String, Long> bySeverity(List<Alert> as) {
        return as.stream().collect(Collectors.groupingBy(Alert::severity, TreeMap::new, Collectors.counting()));
    }

    /** The same snapshot regrouped by other label keys. */
    public AlertSnapshot groupedBy(List<String> keys) {
        return new AlertSnapshot(alerts, silences, fetchedAt, lastGood, stale, memberErrors, keys, error, health);
    }

    /** The same snapshot with only the alerts the filter lets through (counts and groups follow). */
    public AlertSnapshot filtered(AlertFilter f) {
        return new AlertSnapshot(alerts.stream().filter(f::test).toList(), silences, fetchedAt, lastGood, stale, memberErrors, groupKeys, error, health);
    }

    /** Alerts grouped by {@link #groupKeys()}, groups in order of first appearance (the list is newest first). */
    public List<LabelGroup> groups() {
        Map<Map<String, String>, List<Alert>> g = new LinkedHashMap<>();
        for (Alert a : alerts) {
            Map<String, String> key = new LinkedHashMap<>();
            for (String k : groupKeys) key.put(k, a.labels().getOrDefault(k, ""));
            g.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
        }
        return g.entrySet().stream().map(e -> new LabelGroup(e.getKey(), e.getValue(), bySeverity(e.getValue()))).toList();
    }
}
