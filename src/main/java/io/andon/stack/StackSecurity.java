package io.andon.stack;

import io.andon.net.SiteCa;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The secrets and PKI of a secured stack: a test CA and server certificate ({@link TestPki}), random passwords
 * made per run (never written anywhere but the services' own files under the work dir, and there only as bcrypt
 * hashes except the scrape password file Prometheus needs), and the harness's own HTTPS client for readiness
 * checks. Accessors that hand out a secret say so in their name ({@code ...Password()}); nothing here logs one.
 */
public final class StackSecurity {
    /** Basic-auth user of Prometheus and Alertmanager (web.config). */
    public static final String WEB_USER = "andon";
    /** Elasticsearch superuser the harness uses to set things up (file realm). */
    public static final String ES_ADMIN = "andon_admin";
    /** Elasticsearch user the console uses: cluster monitor, read on mes-logs-* only. */
    public static final String ES_READER = "andon_reader";
    /** Role of {@link #ES_READER} and of the API keys the harness makes. */
    public static final String ES_READER_ROLE = "andon_logs_reader";
    /** Second role of {@link #ES_READER}: create and read entries of the operator journal (andon-journal-*) only. */
    public static final String ES_JOURNAL_ROLE = "andon_journal";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final TestPki pki;
    private volatile String webPassword = randomPassword();
    private final List<String> retired = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String esAdminPassword = randomPassword();
    private final String esReaderPassword = randomPassword();
    private final HttpClient client;

    private StackSecurity(TestPki pki) {
        this.pki = pki;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .sslContext(SiteCa.load(pki.caCert()).context()).build();
    }

    static StackSecurity create(Path dir) {
        StackSecurity s = new StackSecurity(TestPki.create(dir));
        // Elasticsearch runs as the service user and reads its key from a copy; the rest runs as us
        ServiceUser.own(dir);
        return s;
    }

    public TestPki pki() { return pki; }

    public String webPassword() { return webPassword; }

    public String esAdminPassword() { return esAdminPassword; }

    public String esReaderPassword() { return esReaderPassword; }

    /** Every secret of this stack, for tests that prove none of them leaks. */
    public List<String> secrets() {
        List<String> all = new java.util.ArrayList<>(List.of(webPassword, esAdminPassword, esReaderPassword));
        all.addAll(retired);
        return all;
    }

    /**
     * A new web password (Prometheus/Alertmanager basic auth), as a site rotating it would set: takes effect on a
     * running server with {@link Prometheus#rewriteWebConfig()} (web.config is read per request) or at its next start.
     */
    public String rotateWebPassword() {
        retired.add(webPassword);
        webPassword = randomPassword();
        return webPassword;
    }

    /** A new CA and a new server certificate from it, written over the old files (a site re-issuing its PKI). */
    public void rotateCa() { pki.rotateCa(); }

    /** 24 characters of URL-safe base64 (no quoting trouble in YAML, headers or shells). */
    static String randomPassword() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** rw for the owner only (keys, password file): other local users have no business reading them. */
    static void ownerOnly(Path f) throws IOException {
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** HTTPS trusting the test CA. */
    HttpClient client() { return client; }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    String webAuthorization() { return basic(WEB_USER, webPassword); }

    String esAdminAuthorization() { return basic(ES_ADMIN, esAdminPassword); }

    /** Status of a GET as the given authorization, for readiness checks. */
    int status(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).header("Authorization", authorization).GET().build();
        return client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * The web.config of Prometheus and Alertmanager (exporter-toolkit): TLS with the server certificate and one
     * basic-auth user whose password is stored as a bcrypt hash.
     */
    void writeWebConfig(Path file) throws IOException {
        TestPki.Issued srv = pki.server();
        Files.writeString(file, """
                tls_server_config:
                  cert_file: %s
                  key_file: %s
                basic_auth_users:
                  %s: '%s'
                """.formatted(srv.cert(), srv.key(), WEB_USER, bcrypt(webPassword)), StandardCharsets.UTF_8);
    }

    /** Prometheus reads its scrape/alerting password from a file, so that the password is not in prometheus.yml. */
    Path writeWebPasswordFile(Path file) throws IOException {
        Files.writeString(file, webPassword, StandardCharsets.UTF_8);
        ownerOnly(file);
        return file;
    }

    /**
     * bcrypt of a password: htpasswd (apache2-utils, installed by setup), else the system's crypt(3) through
     * python3 (its crypt module is gone from Python 3.13). The password goes through stdin, never through the
     * command line. Cost 4, the lowest bcrypt allows: these hashes protect nothing and are checked on every
     * request; sites use 10 or more.
     */
    static String bcrypt(String password) {
        String out = run(List.of("htpasswd", "-niB", "-C", "4", WEB_USER), password);
        if (out != null && out.startsWith(WEB_USER + ":$2")) return out.substring(WEB_USER.length() + 1);
        String py = "import sys, crypt; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))";
        out = run(List.of("python3", "-W", "ignore", "-c", py), password);
        if (out != null && out.startsWith("$2")) return out;
        throw new StackException("cannot make a bcrypt hash: neither htpasswd (apache2-utils) nor python3's crypt module works here");
    }

    private static String run(List<String> cmd, String stdin) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
