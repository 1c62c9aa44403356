package io.andon.alertmanager;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v2/status}: the cluster as this member sees it. {@code state} is ready, settling or
 * disabled (no HA peering); a pair whose members do not see each other will double-notify.
 */
public record ClusterStatus(String name, String state, List<Peer> peers, String version, Instant uptime) {
    public ClusterStatus {
        peers = List.copyOf(peers);
    }

    public record Peer(String name, String address) {}
}
