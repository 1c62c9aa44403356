package io.andon.alertmanager;

import java.util.List;
import java.util.Map;

/** A group as Alertmanager's routing tree formed it ({@code GET /api/v2/alerts/groups}): group labels, receiver, alerts. */
public record AlertGroup(Map<String, String> labels, String receiver, List<Alert> alerts) {
    public AlertGroup {
        labels = Map.copyOf(labels);
        alerts = List.copyOf(alerts);
    }
}
