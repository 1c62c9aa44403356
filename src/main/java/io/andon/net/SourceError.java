package io.andon.net;

/**
 * Why a source gave no usable answer, as data: the view can pick an icon per case and the person at the
 * console reads {@link #describe()}. No case ever carries a credential.
 */
public sealed interface SourceError {
    /** One line for a person: what failed, without stack traces or secrets. */
    String describe();

    /** Connection refused, reset, unknown host: nothing answered at host:port. */
    record Unreachable(String hostPort, String detail) implements SourceError {
        public String describe() { return "unreachable at " + hostPort + " (" + detail + ")"; }
    }

    /** Connected, but no complete answer within the configured time (a trickle counts). */
    record Timeout(String hostPort, java.time.Duration limit) implements SourceError {
        public String describe() { return hostPort + " did not answer within " + Durations.human(limit); }
    }

    /** 401/403: the credentials were refused, or none were sent and the source wants some. */
    record AuthFailed(int status, boolean credentialsSent) implements SourceError {
        public AuthFailed(int status) { this(status, true); }

        public String describe() {
            if (!credentialsSent) return "requires credentials (HTTP " + status + ") and none are configured: set user and password or token";
            if (status == 403) return "denied access (HTTP 403): the credentials were accepted but lack a permission";
            return "refused the credentials (HTTP " + status + "): check user/password or token";
        }
    }

    /** The TLS handshake failed: unknown CA, wrong host name, protocol mismatch. */
    record TlsFailed(String hostPort, String detail) implements SourceError {
        public String describe() { return hostPort + ": TLS handshake failed (" + detail + ")"; }
    }

    /** An answer that is not what the API promises: HTML from a proxy, truncated JSON, an empty body. */
    record BadResponse(int status, String contentType, String snippet, String problem) implements SourceError {
        public String describe() {
            return "answered HTTP " + status + " with " + problem
                    + (contentType == null || contentType.isEmpty() ? " (no content type)" : " (" + contentType + ")")
                    + (snippet == null || snippet.isEmpty() ? "" : ": " + snippet);
        }
    }

    /** The API itself said no, in its own words (Prometheus: errorType + error). */
    record ApiError(String type, String message) implements SourceError {
        public String describe() { return "rejected the request (" + type + "): " + message; }
    }

    /** The body exceeded the endpoint's limit; reading stopped there. */
    record TooLarge(long limitBytes) implements SourceError {
        public String describe() {
            return "response too large: more than " + (limitBytes >= 1024 * 1024 ? limitBytes / (1024 * 1024) + " MB" : limitBytes + " bytes")
                    + " (narrow the query or raise the limit)";
        }
    }

    /** Small formatting helper kept private to the error texts. */
    final class Durations {
        private Durations() {}

        static String human(java.time.Duration d) {
            long ms = d.toMillis();
            return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
        }
    }
}
