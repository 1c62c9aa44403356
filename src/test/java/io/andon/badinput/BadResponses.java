package io.andon.badinput;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * The catalogue of bad answers a source can give, shared by the Prometheus, Alertmanager and Elasticsearch suites.
 * {@link #generic(Api)} derives the protocol-level cases from one API's valid answer (so "truncated at half" cuts
 * that API's own JSON); each suite adds its API-specific cases with {@link #ok}, {@link #json} and friends.
 * A case names the class of problem it should produce ({@link Outcome}); each suite maps the class to the words
 * its client must use, so a message that is merely non-null does not pass.
 */
public final class BadResponses {
    private BadResponses() {}

    /** The class of problem a case must be reported as (or OK: parsed to exactly what the body said). */
    public enum Outcome {
        OK, NOT_JSON, TRUNCATED, EMPTY, WRONG_SHAPE, HTTP_ERROR, REDIRECT, AUTH, API_ERROR, TOO_LARGE, TIMEOUT,
        /** nothing HTTP came back: refused, reset, closed before or inside the headers, not HTTP at all */
        CONNECTION,
        /** headers came, the body did not arrive whole: closed or reset mid-body, broken chunked or gzip framing */
        CUT
    }

    /**
     * One bad answer.
     *
     * @param status  the HTTP status the message must name (HTTP_ERROR, REDIRECT, AUTH), else 0
     * @param mention text from the body the message must carry (the server's own reason), or null
     * @param check   for OK cases with their own data: asserts the parsed result; null = the API's valid answer
     */
    public record Case(String id, Outcome outcome, int status, String mention, MockHttp.Behaviour behaviour, Consumer<Object> check) {
        @Override public String toString() { return id; }

        public Case mentioning(String m) { return new Case(id, outcome, status, m, behaviour, check); }
    }

    /**
     * What the generic cases need of an API: its valid answer, headers a real server sends with it, and its own
     * error document for a 500 with the reason inside.
     */
    public record Api(String validBody, List<String> okHeaders, String errorBody, String errorReason) {
        String[] headers(String... more) {
            String[] h = Arrays.copyOf(okHeaders.toArray(String[]::new), okHeaders.size() + more.length);
            System.arraycopy(more, 0, h, okHeaders.size(), more.length);
            return h;
        }
    }

    public static final int FIFTY_MB = 50 * 1024 * 1024;
    public static final String JSON = "application/json";

    // ---- builders for the API-specific cases ----

    /** A well-framed 200 JSON answer that should parse; {@code check} asserts what was parsed. */
    public static Case ok(String id, Api api, String body, Consumer<Object> check) {
        return new Case(id, Outcome.OK, 0, null, (r, x) -> x.respond(200, JSON, body, api.headers()), check);
    }

    /** A well-framed JSON answer with this status that must fail as {@code outcome}. */
    public static Case json(String id, Outcome outcome, Api api, int status, String body) {
        return new Case(id, outcome, needsStatus(outcome) ? status : 0, null, (r, x) -> x.respond(status, JSON, body, api.headers()), null);
    }

    public static Case of(String id, Outcome outcome, int status, MockHttp.Behaviour b) {
        return new Case(id, outcome, status, null, b, null);
    }

    private static boolean needsStatus(Outcome o) {
        return o == Outcome.HTTP_ERROR || o == Outcome.REDIRECT || o == Outcome.AUTH;
    }

    // ---- the generic catalogue ----

    public static List<Case> generic(Api api) {
        String v = api.validBody();
        byte[] vb = v.getBytes(StandardCharsets.UTF_8);
        List<Case> c = new ArrayList<>();

        // not JSON, or broken JSON
        c.add(body("malformed-colon-missing", Outcome.NOT_JSON, api, v.replaceFirst(":", " ")));
        c.add(body("malformed-single-quotes", Outcome.NOT_JSON, api, v.replace('"', '\'')));
        c.add(body("malformed-trailing-garbage", Outcome.NOT_JSON, api, v + " }garbage{"));
        c.add(body("malformed-unquoted-keys", Outcome.NOT_JSON, api, v.replaceAll("\"([a-zA-Z_]+)\":", "$1:")));
        c.add(of("plain-text-ok", Outcome.NOT_JSON, 0, (r, x) -> x.respond(200, "text/plain", "OK\n")).mentioning("OK"));
        c.add(of("html-login-page-200", Outcome.NOT_JSON, 0, (r, x) -> x.respond(200, "text/html",
                "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Single sign-on</form></body></html>")).mentioning("Sign in"));
        c.add(of("xml-error", Outcome.NOT_JSON, 0, (r, x) -> x.respond(200, "application/xml", "<?xml version=\"1.0\"?><error>maintenance</error>")));
        c.add(of("binary-garbage", Outcome.NOT_JSON, 0, (r, x) -> x.respond(200, JSON, new byte[]{0, 1, 2, (byte) 0xff, (byte) 0xfe, 0x7f, 0, 'x'}, api.headers())));
        c.add(body("deep-nesting-100k", Outcome.NOT_JSON, api, "[".repeat(100_000) + "]".repeat(100_000)));
        c.add(body("number-with-5000-digits", Outcome.NOT_JSON, api, "[" + "9".repeat(5000) + "]"));

        // truncated JSON, cleanly framed (Content-Length matches what was sent): at several points
        for (double at : new double[]{0.0, 0.25, 0.5, 0.75, 1.0}) {
            int n = at == 0.0 ? 1 : at == 1.0 ? vb.length - 1 : (int) (vb.length * at);
            byte[] cut = Arrays.copyOf(vb, n);
            c.add(of("truncated-at-" + (at == 0.0 ? "first-byte" : at == 1.0 ? "last-byte" : (int) (at * 100) + "pct"), Outcome.TRUNCATED, 0,
                    (r, x) -> x.respond(200, JSON, cut, api.headers())));
        }

        // empty answers
        c.add(of("empty-200-length-0", Outcome.EMPTY, 0, (r, x) -> x.respond(200, JSON, "", api.headers())));
        c.add(of("empty-200-chunked", Outcome.EMPTY, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON, "Transfer-Encoding: chunked"));
            x.write("0\r\n\r\n");
        }));
        c.add(of("no-content-204", Outcome.EMPTY, 204, (r, x) -> {
            x.head(204, api.headers());
        }));
        c.add(of("whitespace-only-200", Outcome.EMPTY, 0, (r, x) -> x.respond(200, JSON, " \r\n\t \n", api.headers())));
        c.add(of("empty-200-close-delimited", Outcome.EMPTY, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON));
            x.close();
        }));

        // wrong or missing content type around a good body: lenient, the body decides
        c.add(of("html-type-json-body", Outcome.OK, 0, (r, x) -> x.respond(200, "text/html", v, api.headers())));
        c.add(of("octet-stream-json-body", Outcome.OK, 0, (r, x) -> x.respond(200, "application/octet-stream", v, api.headers())));
        c.add(of("no-content-type-json-body", Outcome.OK, 0, (r, x) -> x.respond(200, null, v, api.headers())));
        c.add(of("utf8-bom-before-json", Outcome.OK, 0, (r, x) -> x.respond(200, JSON, concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, vb), api.headers())));
        c.add(of("close-delimited-body-http10", Outcome.OK, 0, (r, x) -> {
            x.write("HTTP/1.0 200 OK\r\nContent-Type: " + JSON + "\r\n" + String.join("", api.okHeaders().stream().map(h -> h + "\r\n").toList()) + "\r\n");
            x.write(vb);
            x.close();
        }));
        c.add(of("real-gzip-body", Outcome.OK, 0, (r, x) -> x.respond(200, JSON, gzip(vb), api.headers("Content-Encoding: gzip"))));

        // JSON, but not of this API's shape
        c.add(body("json-null", Outcome.WRONG_SHAPE, api, "null"));
        c.add(body("json-string", Outcome.WRONG_SHAPE, api, "\"ok\""));
        c.add(body("json-number", Outcome.WRONG_SHAPE, api, "42"));
        c.add(body("json-boolean", Outcome.WRONG_SHAPE, api, "true"));

        // proxy and server error pages
        c.add(of("html-502-bad-gateway", Outcome.HTTP_ERROR, 502, (r, x) -> x.respond(502, "text/html",
                "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"))
                .mentioning("Bad Gateway"));
        c.add(of("html-503-unavailable", Outcome.HTTP_ERROR, 503, (r, x) -> x.respond(503, "text/html",
                "<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>")).mentioning("No server is available"));
        c.add(of("html-504-gateway-timeout", Outcome.HTTP_ERROR, 504, (r, x) -> x.respond(504, "text/html",
                "<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1></body></html>")).mentioning("Gateway Time-out"));
        c.add(of("empty-502", Outcome.HTTP_ERROR, 502, (r, x) -> x.respond(502, null, "")));
        c.add(of("plain-404", Outcome.HTTP_ERROR, 404, (r, x) -> x.respond(404, "text/plain", "404 page not found")).mentioning("404 page not found"));
        c.add(of("method-not-allowed-405", Outcome.HTTP_ERROR, 405, (r, x) -> x.respond(405, "text/plain", "method not allowed", "Allow: OPTIONS")));
        c.add(of("rate-limited-429", Outcome.HTTP_ERROR, 429, (r, x) -> x.respond(429, "text/plain", "rate limit exceeded", "Retry-After: 5"))
                .mentioning("rate limit exceeded"));
        c.add(of("plain-500", Outcome.HTTP_ERROR, 500, (r, x) -> x.respond(500, "text/plain", "internal error: runtime panic")).mentioning("runtime panic"));
        c.add(of("api-error-500", Outcome.API_ERROR, 0, (r, x) -> x.respond(500, JSON, api.errorBody(), api.headers())).mentioning(api.errorReason()));
        c.add(of("unauthorized-401", Outcome.AUTH, 401, (r, x) -> x.respond(401, "text/plain", "Unauthorized", "WWW-Authenticate: Basic realm=\"mes\"")));
        c.add(of("forbidden-403", Outcome.AUTH, 403, (r, x) -> x.respond(403, "text/plain", "Forbidden")));

        // redirects: never followed (credentials must not travel to another host); a loop must not spin
        c.add(of("redirect-loop-302", Outcome.REDIRECT, 302, (r, x) -> x.respond(302, "text/html", "<a href=\"" + r.target() + "\">Found</a>", "Location: " + r.target())));
        c.add(of("redirect-301-elsewhere", Outcome.REDIRECT, 301, (r, x) -> x.respond(301, null, "", "Location: http://127.0.0.1:1/login")));
        c.add(of("redirect-307-to-https", Outcome.REDIRECT, 307, (r, x) -> x.respond(307, null, "", "Location: https://127.0.0.1:" + 1 + r.target())));

        // 50 MB: the client's cap must stop reading, whatever the framing
        c.add(of("fifty-mb-chunked", Outcome.TOO_LARGE, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON, "Transfer-Encoding: chunked"));
            byte[] mb = spaces(1024 * 1024);
            byte[] chunk = concat(("100000\r\n").getBytes(StandardCharsets.US_ASCII), concat(mb, "\r\n".getBytes(StandardCharsets.US_ASCII)));
            x.write("1\r\n[\r\n");
            for (int i = 0; i < 50; i++) x.write(chunk);
            x.write("1\r\n]\r\n0\r\n\r\n");
        }));
        c.add(of("fifty-mb-content-length", Outcome.TOO_LARGE, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON, "Content-Length: " + FIFTY_MB));
            byte[] mb = spaces(1024 * 1024);
            for (int i = 0; i < 50; i++) x.write(mb);
        }));
        c.add(of("fifty-mb-close-delimited", Outcome.TOO_LARGE, 0, (r, x) -> {
            x.write("HTTP/1.0 200 OK\r\nContent-Type: " + JSON + "\r\n" + String.join("", api.okHeaders().stream().map(h -> h + "\r\n").toList()) + "\r\n");
            byte[] mb = spaces(1024 * 1024);
            x.write("[");
            for (int i = 0; i < 50; i++) x.write(mb);
            x.write("]");
        }));

        // slow servers: the call timeout must end them
        c.add(of("trickle-body-1-byte-per-s", Outcome.TIMEOUT, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON, "Content-Length: 30"));
            for (int i = 0; i < 30; i++) {
                x.write(i == 0 ? "[" : " ");
                x.pause(1000);
            }
        }));
        c.add(of("trickle-headers-1-byte-per-s", Outcome.TIMEOUT, 0, (r, x) -> {
            for (char ch : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n".toCharArray()) {
                x.write(String.valueOf(ch));
                x.pause(1000);
            }
        }));
        c.add(of("silent-after-request", Outcome.TIMEOUT, 0, (r, x) -> x.pause(30_000)));
        c.add(of("silent-after-headers", Outcome.TIMEOUT, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON, "Content-Length: 100"));
            x.pause(30_000);
        }));

        // connections that end badly before any HTTP answer
        c.add(of("reset-before-headers", Outcome.CONNECTION, 0, (r, x) -> x.reset()));
        c.add(of("closed-before-headers", Outcome.CONNECTION, 0, (r, x) -> x.close()));
        c.add(of("half-status-line-then-close", Outcome.CONNECTION, 0, (r, x) -> {
            x.write("HTTP/1.1 20");
            x.close();
        }));
        c.add(of("half-headers-then-reset", Outcome.CONNECTION, 0, (r, x) -> {
            x.write("HTTP/1.1 200 OK\r\nContent-Type: appli");
            x.reset();
        }));
        c.add(of("garbage-status-line", Outcome.CONNECTION, 0, (r, x) -> {
            x.write("HELLO WORLD\r\n\r\n");
            x.close();
        }));
        c.add(of("not-http-ssh-banner", Outcome.CONNECTION, 0, (r, x) -> {
            x.write("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
            x.close();
        }));

        // the body breaks after good headers
        int half = vb.length / 2;
        c.add(of("close-mid-body", Outcome.CUT, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON, "Content-Length: " + vb.length));
            x.write(Arrays.copyOf(vb, half));
            x.close();
        }));
        c.add(of("reset-mid-body", Outcome.CUT, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON, "Content-Length: " + vb.length));
            x.write(Arrays.copyOf(vb, half));
            x.pause(100);
            x.reset();
        }));
        c.add(of("chunked-bad-size", Outcome.CUT, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON, "Transfer-Encoding: chunked"));
            x.write("zz\r\n" + v + "\r\n0\r\n\r\n");
        }));
        c.add(of("chunked-no-last-chunk", Outcome.CUT, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON, "Transfer-Encoding: chunked"));
            x.write(Integer.toHexString(vb.length) + "\r\n");
            x.write(vb);
            x.write("\r\n");
            x.close();
        }));
        c.add(of("chunked-short-chunk", Outcome.CUT, 0, (r, x) -> {
            x.head(200, api.headers("Content-Type: " + JSON, "Transfer-Encoding: chunked"));
            x.write(Integer.toHexString(vb.length + 500) + "\r\n");
            x.write(vb);
            x.close();
        }));
        c.add(of("gzip-header-plain-body", Outcome.CUT, 0, (r, x) -> x.respond(200, JSON, vb, api.headers("Content-Encoding: gzip"))));
        c.add(of("gzip-truncated", Outcome.CUT, 0, (r, x) -> {
            byte[] gz = gzip(vb);
            x.respond(200, JSON, Arrays.copyOf(gz, gz.length / 2), api.headers("Content-Encoding: gzip"));
        }));
        return c;
    }

    private static Case body(String id, Outcome outcome, Api api, String body) {
        return new Case(id, outcome, 0, null, (r, x) -> x.respond(200, JSON, body, api.headers()), null);
    }

    static byte[] spaces(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) ' ');
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] gzip(byte[] b) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
                g.write(b);
            }
            return bo.toByteArray();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
