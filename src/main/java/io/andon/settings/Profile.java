package io.andon.settings;

import java.util.List;

/**
 * A connection profile: where Prometheus, the Alertmanagers and Elasticsearch are, as which user, trusting
 * which CA. Secrets are not part of it (they live in the {@link SecretStore}), so a profile can be exported
 * and shared as it is.
 */
public record Profile(String name, Source prometheus, List<Source> alertmanagers, Source elasticsearch, Traces traces) {
    /** The secret store key of the trace source's password or token. */
    public static final String TRACES_SECRET = "traces";

    /** A profile without a trace source (as every profile was before traces). */
    public Profile(String name, Source prometheus, List<Source> alertmanagers, Source elasticsearch) {
        this(name, prometheus, alertmanagers, elasticsearch, null);
    }

    /**
     * The trace backend: {@code kind} zipkin, jaeger or tempo (empty: zipkin), URL, user and CA as for the other
     * sources; the password or token lives in the secret store under {@link #TRACES_SECRET}.
     */
    public record Traces(String kind, String url, String user, String caFile) {
        public static final List<String> KINDS = List.of("zipkin", "jaeger", "tempo");

        public Traces {
            kind = kind == null || kind.isBlank() ? "zipkin" : kind.strip().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean hasUrl() { return url != null && !url.isBlank(); }

        /** URL, user and CA as a plain source (what the endpoint is built from). */
        public Source source() { return new Source(url, user, caFile); }
    }

    /** The trace source when one with a URL is configured. */
    public java.util.Optional<Traces> tracesIfSet() {
        return traces != null && traces.hasUrl() ? java.util.Optional.of(traces) : java.util.Optional.empty();
    }

    public Profile withTraces(Traces t) { return new Profile(name, prometheus, alertmanagers, elasticsearch, t); }

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
