package io.andon.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI for the secured stack, made with the {@code openssl} binary at run time: a test CA, a server
 * certificate it signs for 127.0.0.1 and localhost, and an unrelated second CA (the "unknown CA" case). Keys and
 * certificates live under the stack's work dir only; nothing of it is ever in git. EC P-256 keys: generated in
 * milliseconds, understood by Go (Prometheus, Alertmanager), Elasticsearch and the JDK alike.
 */
public final class TestPki {
    public static final String OPENSSL = System.getProperty("andon.openssl.bin", "openssl");

    /** A certificate and its private key, PEM. */
    public record Issued(Path cert, Path key) {}

    private final Path dir;
    private final Issued ca;
    private final Issued server;
    private final Issued otherCa;

    private TestPki(Path dir, Issued ca, Issued server, Issued otherCa) {
        this.dir = dir;
        this.ca = ca;
        this.server = server;
        this.otherCa = otherCa;
    }

    /** Generates everything in {@code dir} (created if needed). Fails with openssl's own words when it cannot. */
    public static TestPki create(Path dir) {
        try {
            Files.createDirectories(dir);
            Issued ca = newCa(dir, "ca", "Andon Test CA");
            Issued other = newCa(dir, "other-ca", "Unrelated Test CA");
            TestPki pki = new TestPki(dir, ca, null, other);
            Issued server = pki.issue("server", List.of("IP:127.0.0.1", "DNS:localhost"));
            return new TestPki(dir, ca, server, other);
        } catch (IOException e) {
            throw new StackException("test PKI: " + e.getMessage(), e);
        }
    }

    public Path dir() { return dir; }

    /** The CA a site would configure in the console (PEM). */
    public Path caCert() { return ca.cert(); }

    /** A CA that signed nothing the stack serves. */
    public Path otherCaCert() { return otherCa.cert(); }

    /**
     * A new CA and server certificate in place of the old ones, at the same paths: servers started (or handshaking)
     * afterwards present a certificate the old CA does not know.
     */
    public synchronized void rotateCa() {
        try {
            newCa(dir, "ca", "Andon Test CA (renewed " + System.currentTimeMillis() + ")");
            issue("server", List.of("IP:127.0.0.1", "DNS:localhost"));
        } catch (IOException e) {
            throw new StackException("test PKI: " + e.getMessage(), e);
        }
    }

    /** The certificate every secured service presents (SAN 127.0.0.1, localhost). */
    public Issued server() { return server; }

    /** Another server certificate from the test CA, for these subject alternative names ("IP:..", "DNS:.."). */
    public Issued issue(String name, List<String> sans) {
        try {
            Path cnf = write(dir.resolve(name + ".cnf"), """
                    [req]
                    distinguished_name = dn
                    prompt = no
                    [dn]
                    CN = %s
                    [ext]
                    basicConstraints = critical,CA:FALSE
                    keyUsage = critical,digitalSignature,keyEncipherment
                    extendedKeyUsage = serverAuth,clientAuth
                    subjectAltName = %s
                    """.formatted(sans.getFirst().replaceFirst("^[A-Z]+:", ""), String.join(",", sans)));
            Path key = dir.resolve(name + ".key"), csr = dir.resolve(name + ".csr"), crt = dir.resolve(name + ".crt");
            openssl(List.of("req", "-new", "-config", cnf.toString(), "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key.toString(), "-out", csr.toString()));
            openssl(List.of("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
                    "-set_serial", Long.toString(System.nanoTime() & Long.MAX_VALUE), "-days", "2",
                    "-extfile", cnf.toString(), "-extensions", "ext", "-out", crt.toString()));
            StackSecurity.ownerOnly(key);
            return new Issued(crt, key);
        } catch (IOException e) {
            throw new StackException("test PKI: " + e.getMessage(), e);
        }
    }

    private static Issued newCa(Path dir, String name, String cn) throws IOException {
        Path cnf = write(dir.resolve(name + ".cnf"), """
                [req]
                distinguished_name = dn
                prompt = no
                x509_extensions = v3_ca
                [dn]
                CN = %s
                [v3_ca]
                basicConstraints = critical,CA:TRUE
                keyUsage = critical,keyCertSign,cRLSign
                subjectKeyIdentifier = hash
                """.formatted(cn));
        Path key = dir.resolve(name + ".key"), crt = dir.resolve(name + ".crt");
        openssl(List.of("req", "-x509", "-config", cnf.toString(), "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", crt.toString(), "-days", "2"));
        StackSecurity.ownerOnly(key);
        return new Issued(crt, key);
    }

    private static Path write(Path f, String text) throws IOException {
        return Files.writeString(f, text, StandardCharsets.UTF_8);
    }

    private static void openssl(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(OPENSSL);
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + OPENSSL + " (install openssl or set -Dandon.openssl.bin): " + e.getMessage(), e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl " + args.getFirst() + " did not finish within 30 s");
            }
            if (p.exitValue() != 0) throw new IOException("openssl " + String.join(" ", args) + " failed (" + p.exitValue() + "): " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        }
    }
}
