package io.andon.net;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a source lives and how to reach it: URL, credentials, site CA, timeouts. Secrets are held in
 * {@link Secret} so that logging an endpoint never prints them.
 */
public record Endpoint(
        URI url,
        Auth auth,
        Optional<Path> caCertificate,
        Duration connectTimeout,
        Duration readTimeout,
        long maxResponseBytes) {

    public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;

    public Endpoint {
        if (url == null) throw new IllegalArgumentException("endpoint URL missing");
        String scheme = url.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("endpoint URL must be http or https: " + url);
        }
    }

    public static Endpoint of(String url) {
        return new Endpoint(URI.create(url), Auth.NONE, Optional.empty(), Duration.ofSeconds(3), Duration.ofSeconds(10), DEFAULT_MAX_BYTES);
    }

    public Endpoint withAuth(Auth a) { return new Endpoint(url, a, caCertificate, connectTimeout, readTimeout, maxResponseBytes); }
    public Endpoint withCa(Path pem) { return new Endpoint(url, auth, Optional.of(pem), connectTimeout, readTimeout, maxResponseBytes); }
    public Endpoint withTimeouts(Duration connect, Duration read) { return new Endpoint(url, auth, caCertificate, connect, read, maxResponseBytes); }
    public Endpoint withMaxResponseBytes(long max) { return new Endpoint(url, auth, caCertificate, connectTimeout, readTimeout, max); }

    /** host:port for messages. */
    public String hostPort() {
        int port = url.getPort() != -1 ? url.getPort() : ("https".equals(url.getScheme()) ? 443 : 80);
        return url.getHost() + ":" + port;
    }

    public sealed interface Auth permits Auth.None, Auth.Basic, Auth.Bearer {
        None NONE = new None();

        record None() implements Auth {}

        record Basic(String user, Secret password) implements Auth {}

        record Bearer(Secret token) implements Auth {}
    }

    /** A secret value whose toString never reveals it. */
    public static final class Secret {
        private final char[] value;

        public Secret(String value) { this.value = value.toCharArray(); }

        public String reveal() { return new String(value); }

        @Override public String toString() { return "***"; }
    }
}
