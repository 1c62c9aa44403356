package io.andon.alertmanager;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One alert as Alertmanager's API v2 reports it. {@code state}: active, suppressed or unprocessed. */
public record Alert(String fingerprint, Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
                    Instant endsAt, Instant updatedAt, String state, List<String> silencedBy, List<String> inhibitedBy,
                    List<String> receivers, String generatorUrl, List<String> sources) {
    public Alert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        silencedBy = List.copyOf(silencedBy);
        inhibitedBy = List.copyOf(inhibitedBy);
        receivers = List.copyOf(receivers);
        sources = List.copyOf(sources);
    }

    /** Alertmanager's status object: state plus the silences and inhibiting alerts that suppress it. */
    public record Status(String state, List<String> silencedBy, List<String> inhibitedBy) {}

    public Status status() { return new Status(state, silencedBy, inhibitedBy); }

    public String name() { return labels.getOrDefault("alertname", "?"); }

    public boolean critical() { return "critical".equals(severity()); }

    /** Same alert with other sources (which pool members reported it). */
    public Alert withSources(List<String> s) {
        return new Alert(fingerprint, labels, annotations, startsAt, endsAt, updatedAt, state, silencedBy, inhibitedBy, receivers, generatorUrl, s);
    }

    public String severity() { return labels.getOrDefault("severity", "none"); }

    public boolean silenced() { return !silencedBy.isEmpty(); }

    public boolean inhibited() { return !inhibitedBy.isEmpty(); }

    /** The annotation in the UI language: {@code summary_zh} for Chinese when present. */
    public String annotation(String key, boolean chinese) {
        if (chinese) {
            String zh = annotations.get(key + "_zh");
            if (zh != null && !zh.isBlank()) return zh;
        }
        return annotations.getOrDefault(key, "");
    }
}
