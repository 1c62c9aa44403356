package io.andon.settings;

import java.util.List;

/**
 * A connection profile: where Prometheus, the Alertmanagers and Elasticsearch are, as which user, trusting
 * which CA. Secrets are not part of it (they live in the {@link SecretStore}), so a profile can be exported
 * and shared as it is.
 */
public record Profile(String name, Source prometheus, List<Source> alertmanagers, Source elasticsearch) {
    /** One source: URL, optional user (basic auth) or "apikey"/"bearer" to use a token, optional site CA file. */
    public record Source(String url, String user, String caFile) {
        public boolean hasUrl() { return url != null && !url.isBlank(); }

        /** The URLs of this source: Elasticsearch may name several nodes of one cluster, comma-separated. */
        public List<String> nodes() {
            return url == null ? List.of() : java.util.Arrays.stream(url.split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList();
        }
    }

    public Profile {
        alertmanagers = alertmanagers == null ? List.of() : List.copyOf(alertmanagers);
    }
}
