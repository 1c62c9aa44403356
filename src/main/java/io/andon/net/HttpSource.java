package io.andon.net;

import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One HTTP source (a Prometheus, an Alertmanager ...): okhttp with the endpoint's timeouts, credentials,
 * site CA and a response size cap, and every failure turned into a {@link SourceException} a person can read.
 */
public final class HttpSource {
    public record Reply(int status, String contentType, String body) {}

    private final Endpoint endpoint;
    private final OkHttpClient client;
    private final String name;

    public HttpSource(String name, Endpoint endpoint) {
        this.name = name;
        this.endpoint = endpoint;
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(endpoint.connectTimeout())
                .readTimeout(endpoint.readTimeout())
                .callTimeout(endpoint.readTimeout().plus(endpoint.connectTimeout()).plusSeconds(2))
                .retryOnConnectionFailure(false);
        endpoint.caCertificate().ifPresent(pem -> trust(b, pem));
        String authHeader = switch (endpoint.auth()) {
            case Endpoint.Auth.None n -> null;
            case Endpoint.Auth.Basic basic -> Credentials.basic(basic.user(), basic.password().reveal(), StandardCharsets.UTF_8);
            case Endpoint.Auth.Bearer bearer -> "Bearer " + bearer.token().reveal();
        };
        if (authHeader != null) {
            b.addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("Authorization", authHeader).build()));
        }
        this.client = b.build();
    }

    private static void trust(OkHttpClient.Builder b, java.nio.file.Path pem) {
        SiteCa ca = SiteCa.load(pem);
        b.sslSocketFactory(ca.context().getSocketFactory(), ca.trustManager());
    }

    public Endpoint endpoint() { return endpoint; }

    public String name() { return name; }

    /** The endpoint URL with this path appended (the base URL may itself have a path prefix). */
    public HttpUrl.Builder url(String path) {
        HttpUrl base = HttpUrl.get(endpoint.url().toString());
        HttpUrl.Builder u = base.newBuilder();
        for (String seg : path.split("/")) if (!seg.isEmpty()) u.addPathSegment(seg);
        return u;
    }

    /** Executes; idempotent calls are retried on network errors and 502/503/504 with jittered backoff. */
    public Reply execute(Request request, boolean idempotent) throws SourceException {
        int attempts = idempotent ? 3 : 1;
        SourceException last = null;
        for (int i = 0; i < attempts; i++) {
            if (i > 0) sleep(Duration.ofMillis((long) (150 * Math.pow(3, i - 1) * (0.5 + ThreadLocalRandom.current().nextDouble()))));
            try {
                Reply r = once(request);
                if (idempotent && (r.status == 502 || r.status == 503 || r.status == 504) && i + 1 < attempts) {
                    last = new SourceException(SourceException.Kind.BAD_RESPONSE, name + " answered HTTP " + r.status, r.status, null);
                    continue;
                }
                return r;
            } catch (SourceException e) {
                last = e;
                boolean transientFailure = e.kind() == SourceException.Kind.UNREACHABLE || e.kind() == SourceException.Kind.TIMEOUT;
                // a timeout already cost a full read timeout: don't multiply it
                if (!transientFailure || e.kind() == SourceException.Kind.TIMEOUT) break;
            }
        }
        throw last;
    }

    private Reply once(Request request) throws SourceException {
        try (Response resp = client.newCall(request).execute()) {
            ResponseBody body = resp.body();
            MediaType mt = body.contentType();
            String text = readCapped(body);
            if (resp.code() == 401 || resp.code() == 403) {
                throw new SourceException(SourceException.Kind.AUTH_FAILED,
                        name + " refused the credentials (HTTP " + resp.code() + "): check user/password or token", resp.code(), null);
            }
            return new Reply(resp.code(), mt == null ? "" : mt.toString(), text);
        } catch (SourceException e) {
            throw e;
        } catch (SSLHandshakeException e) {
            throw new SourceException(SourceException.Kind.TLS_FAILED, name + " (" + endpoint.hostPort()
                    + "): TLS handshake failed — unknown CA or wrong host name (" + rootMessage(e) + ")", -1, e);
        } catch (SSLException e) {
            throw new SourceException(SourceException.Kind.TLS_FAILED, name + " (" + endpoint.hostPort() + "): TLS error: " + rootMessage(e), -1, e);
        } catch (java.io.InterruptedIOException e) {
            throw new SourceException(SourceException.Kind.TIMEOUT, name + " (" + endpoint.hostPort() + ") did not answer within "
                    + endpoint.readTimeout().toSeconds() + " s", -1, e);
        } catch (ConnectException e) {
            throw new SourceException(SourceException.Kind.UNREACHABLE, name + " unreachable at " + endpoint.hostPort() + " (connection refused)", -1, e);
        } catch (UnknownHostException e) {
            throw new SourceException(SourceException.Kind.UNREACHABLE, name + ": unknown host " + endpoint.url().getHost(), -1, e);
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.UNREACHABLE, name + " (" + endpoint.hostPort() + "): connection failed: " + rootMessage(e), -1, e);
        }
    }

    private String readCapped(ResponseBody body) throws IOException, SourceException {
        long declared = body.contentLength();
        long max = endpoint.maxResponseBytes();
        if (declared > max) throw tooLarge(declared);
        BufferedSource src = body.source();
        Buffer buf = new Buffer();
        long total = 0;
        while (true) {
            long n = src.read(buf, 64 * 1024);
            if (n == -1) break;
            total += n;
            if (total > max) throw tooLarge(total);
        }
        return buf.readString(StandardCharsets.UTF_8);
    }

    private SourceException tooLarge(long bytes) {
        return new SourceException(SourceException.Kind.TOO_LARGE, name + " sent a response larger than "
                + endpoint.maxResponseBytes() / (1024 * 1024) + " MB (" + (bytes >= 0 ? bytes / (1024 * 1024) + "+ MB" : "unknown size")
                + "); narrow the query", -1, null);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** First 200 characters of a body for error messages, on one line. */
    public static String snippet(String body) {
        String s = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
