package io.andon.net;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a source lives and how to reach it: base URL (may carry a path prefix, e.g. behind a proxy), credentials,
 * site CA, timeouts and the largest answer we accept. Secrets are held in {@link Secret} so that logging an
 * endpoint never prints them.
 *
 * @param connectTimeout   TCP + TLS connect
 * @param readTimeout      longest silence between two reads
 * @param callTimeout      the whole call including the body: a server trickling one byte a second never
 *                         trips the read timeout, so this is what bounds it
 * @param maxResponseBytes bodies beyond this fail with {@link SourceError.TooLarge} instead of filling the heap
 */
public record Endpoint(
        URI url,
        Auth auth,
        Optional<Path> caCertificate,
        Duration connectTimeout,
        Duration readTimeout,
        Duration callTimeout,
        long maxResponseBytes) {

    public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;
    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_READ = Duration.ofSeconds(10);

    public Endpoint {
        if (url == null) throw new IllegalArgumentException("endpoint URL missing");
        String scheme = url.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("endpoint URL must be http or https: " + url);
        }
        if (url.getHost() == null) throw new IllegalArgumentException("endpoint URL has no host: " + url);
        if (url.getUserInfo() != null) {
            // a password in the URL would end up in every log line that prints the URL
            throw new IllegalArgumentException("endpoint URL must not carry credentials; use basic auth instead");
        }
        auth = auth == null ? Auth.NONE : auth;
        caCertificate = caCertificate == null ? Optional.empty() : caCertificate;
        connectTimeout = positive(connectTimeout, DEFAULT_CONNECT, "connect timeout");
        readTimeout = positive(readTimeout, DEFAULT_READ, "read timeout");
        callTimeout = positive(callTimeout, connectTimeout.plus(readTimeout), "call timeout");
        if (maxResponseBytes <= 0) throw new IllegalArgumentException("response size limit must be positive");
    }

    private static Duration positive(Duration d, Duration dflt, String what) {
        if (d == null) return dflt;
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, not " + d);
        return d;
    }

    public static Endpoint of(String url) {
        return new Endpoint(URI.create(url), Auth.NONE, Optional.empty(), DEFAULT_CONNECT, DEFAULT_READ, null, DEFAULT_MAX_BYTES);
    }

    public Endpoint withAuth(Auth a) { return new Endpoint(url, a, caCertificate, connectTimeout, readTimeout, callTimeout, maxResponseBytes); }

    public Endpoint withCa(Path pem) { return new Endpoint(url, auth, Optional.of(pem), connectTimeout, readTimeout, callTimeout, maxResponseBytes); }

    /** Connect and read timeouts; the whole call may take both plus two seconds. */
    public Endpoint withTimeouts(Duration connect, Duration read) {
        return withTimeouts(connect, read, connect.plus(read).plusSeconds(2));
    }

    public Endpoint withTimeouts(Duration connect, Duration read, Duration call) {
        return new Endpoint(url, auth, caCertificate, connect, read, call, maxResponseBytes);
    }

    public Endpoint withMaxResponseBytes(long max) { return new Endpoint(url, auth, caCertificate, connectTimeout, readTimeout, callTimeout, max); }

    /** host:port for messages. */
    public String hostPort() {
        int port = url.getPort() != -1 ? url.getPort() : ("https".equals(url.getScheme()) ? 443 : 80);
        String host = url.getHost();
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    public sealed interface Auth permits Auth.None, Auth.Basic, Auth.Bearer, Auth.ApiKey, Auth.SecretFile {
        None NONE = new None();

        /**
         * The credentials to send now: this auth itself, except for a {@link SecretFile}, which is read again (a
         * rotated token or password is used from the next request on, without a restart).
         */
        default Auth current() throws java.io.IOException { return this; }

        static Auth basic(String user, char[] password) { return new Basic(user, new Secret(password)); }

        static Auth bearer(char[] token) { return new Bearer(new Secret(token)); }

        static Auth apiKey(char[] encoded) { return new ApiKey(new Secret(encoded)); }

        /**
         * The auth of a profile source: user "apikey" means an Elasticsearch API key, "bearer" a bearer token,
         * any other user basic auth; no user or no secret means none.
         */
        static Auth of(String user, char[] secret) {
            String u = user == null ? "" : user.strip();
            if (u.isEmpty() || secret == null || secret.length == 0) return NONE;
            if (u.equalsIgnoreCase("apikey")) return apiKey(secret);
            if (u.equalsIgnoreCase("bearer")) return bearer(secret);
            return basic(u, secret);
        }

        record None() implements Auth {}

        /** A secret file that cannot be used: the request is not sent (configuration, not the server, is wrong). */
        final class SecretFileException extends java.io.IOException {
            public SecretFileException(String message, Throwable cause) { super(message, cause); }
        }

        /**
         * A secret kept in a file that something else rotates (a mounted service-account token, a password file
         * written by the site's secret manager), read on every request so a new one is used at once. {@code user}
         * as in {@link #of}: "bearer" for a bearer token, "apikey" for an Elasticsearch API key, else basic auth
         * with that user and the file as password. Trailing line breaks are not part of the secret.
         */
        record SecretFile(String user, java.nio.file.Path file) implements Auth {
            public SecretFile {
                if (user == null || user.isBlank()) throw new IllegalArgumentException("a secret file needs a user (or bearer/apikey)");
                if (file == null) throw new IllegalArgumentException("a secret file needs a path");
            }

            @Override
            public Auth current() throws java.io.IOException {
                byte[] raw;
                try {
                    raw = java.nio.file.Files.readAllBytes(file);
                } catch (java.io.IOException e) {
                    // the path is configuration, not a secret: naming it is what lets someone fix it
                    throw new SecretFileException("cannot read the secret file " + file + " (" + e.getClass().getSimpleName() + ")", e);
                }
                int n = raw.length;
                while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r')) n--;
                java.nio.CharBuffer cb = java.nio.charset.StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(raw, 0, n));
                char[] secret = new char[cb.remaining()];
                cb.get(secret);
                java.util.Arrays.fill(raw, (byte) 0);
                try {
                    if (secret.length == 0) throw new SecretFileException("the secret file " + file + " is empty", null);
                    return of(user, secret);
                } finally {
                    java.util.Arrays.fill(secret, '\0');
                }
            }
        }

        record Basic(String user, Secret password) implements Auth {
            public Basic {
                if (user == null || user.isEmpty()) throw new IllegalArgumentException("basic auth needs a user");
                if (user.indexOf(':') >= 0) throw new IllegalArgumentException("basic auth user must not contain ':'");
                if (password == null) throw new IllegalArgumentException("basic auth needs a password");
            }
        }

        record Bearer(Secret token) implements Auth {
            public Bearer {
                if (token == null || token.isEmpty()) throw new IllegalArgumentException("bearer auth needs a token");
            }
        }

        /**
         * An Elasticsearch API key, the {@code encoded} value Elasticsearch returns (base64 of id:key), sent as
         * {@code Authorization: ApiKey ...}. Elasticsearch refuses an API key sent as a bearer token.
         */
        record ApiKey(Secret encoded) implements Auth {
            public ApiKey {
                if (encoded == null || encoded.isEmpty()) throw new IllegalArgumentException("API key auth needs a key");
            }
        }
    }

    /** A secret value whose toString never reveals it. Holds a private copy of the characters. */
    public static final class Secret {
        private final char[] value;

        public Secret(String value) { this.value = value.toCharArray(); }

        public Secret(char[] value) { this.value = Arrays.copyOf(value, value.length); }

        public String reveal() { return new String(value); }

        public boolean isEmpty() { return value.length == 0; }

        @Override public String toString() { return "***"; }

        // equality by content so that records holding a Secret compare sensibly; constant time is not
        // needed here (no attacker-controlled comparison), but the hash must not leak the value either
        @Override public boolean equals(Object o) { return o instanceof Secret s && Arrays.equals(value, s.value); }

        @Override public int hashCode() { return value.length; }
    }
}
