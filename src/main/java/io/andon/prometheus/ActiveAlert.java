package io.andon.prometheus;

import java.util.Map;

/**
 * One series of Prometheus' own {@code ALERTS} metric: an alert that is pending or firing right now, as any
 * Prometheus-compatible query API can answer it (no /api/v1/alerts needed).
 */
public record ActiveAlert(String alertname, String state, Map<String, String> labels) {
    public ActiveAlert {
        labels = Map.copyOf(labels);
    }

    public boolean firing() { return "firing".equals(state); }
}
