package io.andon.net;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One HTTP source (a Prometheus, an Alertmanager ...): okhttp with the endpoint's timeouts, credentials,
 * site CA and a response size cap, and every failure turned into a {@link SourceException} a person can read.
 */
public final class HttpSource {
    public record Reply(int status, String contentType, String body) {}

    /**
     * Retries of idempotent calls on network errors and 502/503/504: bounded, exponential, jittered so that
     * twenty consoles that lost their Prometheus together do not hammer it in lock step when it returns.
     */
    public record Retry(int maxRetries, Duration base) {
        public static final Retry DEFAULT = new Retry(2, Duration.ofMillis(200));
        public static final Retry NONE = new Retry(0, Duration.ZERO);

        Duration delay(int retry) {
            long ms = base.toMillis() << (retry - 1);
            return Duration.ofMillis((long) (ms * (0.5 + ThreadLocalRandom.current().nextDouble())));
        }
    }

    private final Endpoint endpoint;
    private final OkHttpClient client;
    private final String name;
    private final Retry retry;

    public HttpSource(String name, Endpoint endpoint) {
        this(name, endpoint, Retry.DEFAULT);
    }

    public HttpSource(String name, Endpoint endpoint, Retry retry) {
        this.name = name;
        this.endpoint = endpoint;
        this.retry = retry;
        this.client = HttpClients.build(endpoint);
    }

    public Endpoint endpoint() { return endpoint; }

    public String name() { return name; }

    /** The endpoint URL with this path appended (the base URL may itself have a path prefix). */
    public HttpUrl.Builder url(String path) {
        HttpUrl base = HttpUrl.get(endpoint.url().toString());
        HttpUrl.Builder u = base.newBuilder();
        // a base ending in "/" leaves an empty last segment: drop it so that "prefix/" + "api" is not "prefix//api"
        if (!base.pathSegments().isEmpty() && base.pathSegments().getLast().isEmpty()) u.removePathSegment(base.pathSegments().size() - 1);
        for (String seg : path.split("/")) if (!seg.isEmpty()) u.addPathSegment(seg);
        return u;
    }

    /**
     * Executes; idempotent calls are retried on connection failures and 502/503/504 ({@link Retry}). Timeouts
     * are not retried: one already cost the full timeout, and the next refresh comes soon. 4xx never is.
     */
    public Reply execute(Request request, boolean idempotent) throws SourceException {
        int attempts = idempotent ? 1 + retry.maxRetries() : 1;
        SourceException last = null;
        for (int i = 0; i < attempts; i++) {
            if (i > 0 && !sleep(retry.delay(i))) break;
            try {
                Reply r = once(request);
                boolean unavailable = r.status == 502 || r.status == 503 || r.status == 504;
                if (unavailable && i + 1 < attempts) {
                    last = new SourceException(name, new SourceError.BadResponse(r.status, r.contentType, snippet(r.body), "service unavailable"));
                    continue;
                }
                return r;
            } catch (SourceException e) {
                last = e;
                if (e.kind() != SourceException.Kind.UNREACHABLE) break;
            }
        }
        throw last;
    }

    private Reply once(Request request) throws SourceException {
        Response resp;
        okhttp3.Call call = client.newCall(request);
        try {
            resp = call.execute();
        } catch (IOException e) {
            throw failure(e);
        }
        try (resp) {
            ResponseBody body = resp.body();
            MediaType mt = body.contentType();
            String type = mt == null ? "" : mt.toString();
            if (resp.code() == 401 || resp.code() == 403) throw new SourceException(name, new SourceError.AuthFailed(resp.code(), !(endpoint.auth() instanceof Endpoint.Auth.None)));
            if (resp.isRedirect()) {
                // never followed (credentials must not travel to wherever it points), so say where it pointed
                String to = resp.header("Location");
                throw new SourceException(name, new SourceError.BadResponse(resp.code(), type, "",
                        "a redirect to " + (to == null || to.isBlank() ? "nowhere (no Location)" : snippet(to)) + ", not followed: configure the final URL"));
            }
            String text;
            try {
                text = readCapped(body);
            } catch (SourceException tooLarge) {
                // closing would drain the rest of the body to reuse the connection (okhttp does, for up to 100 ms):
                // cancelling drops the connection, so the other 48 MB never cross the network
                call.cancel();
                throw tooLarge;
            } catch (InterruptedIOException e) {
                throw failure(e);
            } catch (IOException e) {
                // the headers came, the body did not arrive whole: an answer that broke, not an absent server
                throw new SourceException(name, new SourceError.BadResponse(resp.code(), type, "", "a broken body (" + why(e) + ")"), e);
            }
            return new Reply(resp.code(), type, text);
        }
    }

    /** A failure before any answer arrived (or a timeout at any point), in words. */
    private SourceException failure(IOException ex) {
        try {
            throw ex;
        } catch (SSLException e) {
            return new SourceException(name, new SourceError.TlsFailed(endpoint.hostPort(), tlsDetail(e, endpoint.url().getHost())), e);
        } catch (InterruptedIOException e) {
            // a SocketTimeoutException is the connect or read timeout; a bare InterruptedIOException is okhttp's call timeout
            Duration limit = !(e instanceof java.net.SocketTimeoutException) ? endpoint.callTimeout()
                    : String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect") ? endpoint.connectTimeout()
                    : endpoint.readTimeout();
            return new SourceException(name, new SourceError.Timeout(endpoint.hostPort(), limit), e);
        } catch (ConnectException | NoRouteToHostException e) {
            return new SourceException(name, new SourceError.Unreachable(endpoint.hostPort(), "connection refused"), e);
        } catch (UnknownHostException e) {
            return new SourceException(name, new SourceError.Unreachable(endpoint.hostPort(), "unknown host"), e);
        } catch (Endpoint.Auth.SecretFileException e) {
            return new SourceException(SourceException.Kind.AUTH_FAILED, name + ": " + e.getMessage(), -1, e);
        } catch (IOException e) {
            return new SourceException(name, new SourceError.Unreachable(endpoint.hostPort(), "connection failed: " + why(e)), e);
        }
    }

    /**
     * okhttp's and okio's I/O messages ("\n not found: limit=0", "ID1ID2: actual 0x00007b22") in words a person can act
     * on; anything unknown keeps its own message.
     */
    static String why(IOException e) {
        String m = rootMessage(e);
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        if (causedBy(e, java.util.zip.ZipException.class) || m.startsWith("ID1ID2") || lower.contains("gzip")) return "not valid gzip although declared so";
        if (lower.contains("connection reset")) return "connection reset";
        if (lower.startsWith("unexpected status line")) return "not an HTTP answer: " + snippet(m.substring(m.indexOf(':') + 1));
        if (lower.contains("expected leading [0-9a-fa-f]") || lower.contains("chunk")) return "broken chunked encoding";
        if (causedBy(e, java.io.EOFException.class) || lower.contains("end of stream") || lower.contains("not found: limit=")
                || lower.contains("exhausted") || lower.contains("broken pipe")) {
            return "connection closed early";
        }
        return snippet(m);
    }

    /**
     * Reads at most the endpoint's limit: chunk by chunk, counting, so a 50 MB answer stops at the limit
     * instead of being loaded. A declared Content-Length over the limit fails before reading anything.
     */
    private String readCapped(ResponseBody body) throws IOException, SourceException {
        long max = endpoint.maxResponseBytes();
        if (body.contentLength() > max) throw new SourceException(name, new SourceError.TooLarge(max));
        BufferedSource src = body.source();
        Buffer buf = new Buffer();
        long total = 0;
        while (true) {
            long n = src.read(buf, 64 * 1024);
            if (n == -1) break;
            total += n;
            if (total > max) throw new SourceException(name, new SourceError.TooLarge(max));
        }
        String text = buf.readString(StandardCharsets.UTF_8);
        // a UTF-8 byte order mark (some proxies and Windows tools add one) is not part of the answer
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * Why a TLS handshake failed, in words for the console, without the JDK's multi-line certificate dumps:
     * the two a site meets (its CA not configured, a name the certificate does not list), else the root message.
     */
    public static String tlsDetail(Throwable e, String host) {
        if (causedBy(e, SSLPeerUnverifiedException.class) && !causedBy(e, CertPathValidatorException.class)
                && !causedBy(e, java.security.cert.CertPathBuilderException.class)) {
            return "certificate does not match the host name '" + host + "': connect with a name the certificate lists";
        }
        if (causedBy(e, CertPathValidatorException.class) || causedBy(e, java.security.cert.CertPathBuilderException.class)
                || rootMessage(e).contains("certification path")) {
            return "certificate signed by an unknown CA: configure the site's CA certificate";
        }
        return rootMessage(e);
    }

    /** True when the failure is a TLS one (handshake, trust, host name). */
    public static boolean isTls(Throwable e) {
        return causedBy(e, SSLException.class);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The body for a message: an HTML error page (a proxy's 502) reduced to its text, anything else as a snippet. */
    public static String readable(HttpSource.Reply r) {
        String b = r.body() == null ? "" : r.body();
        if (r.contentType().contains("html") || b.stripLeading().startsWith("<")) {
            b = b.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", " ");
        }
        String s = snippet(b);
        return s.isEmpty() ? "(empty body)" : s;
    }

    /** First 200 characters of a body for error messages, on one line. */
    public static String snippet(String body) {
        String s = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
