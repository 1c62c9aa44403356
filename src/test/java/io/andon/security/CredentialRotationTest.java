package io.andon.security;

import io.andon.board.PageSnapshot;
import io.andon.board.PageSpec;
import io.andon.board.RefreshEngine;
import io.andon.board.TileSpec;
import io.andon.board.TileState;
import io.andon.console.ConsoleContext;
import io.andon.net.Endpoint;
import io.andon.net.SourceException;
import io.andon.prometheus.PrometheusClient;
import io.andon.settings.EncryptedFileSecretStore;
import io.andon.settings.Profile;
import io.andon.stack.Prometheus;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import io.andon.stack.StackSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, item 4, on the real secured Prometheus (HTTPS with the run's own CA, basic auth in web.config):
 * <ol>
 *   <li>the password changed on the server while the console runs: the tile is not fresh and says the credentials
 *       were refused; the new password saved in settings (the secret store the settings page writes, read again by
 *       the profile the console reconnects with on save) works at once;</li>
 *   <li>the same with the secret in a file: the console's client reads it per request, so writing the new password
 *       into the file is enough — same client, same refresh engine, no rebuild;</li>
 *   <li>the server restarted on a new CA: a clear "unknown CA" message, and the new CA certificate put in the file
 *       the console is configured with is trusted from the next handshake, again with the same client.</li>
 * </ol>
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CredentialRotationTest {
    @TempDir
    static Path tmp;
    static Stack stack;
    static StackSecurity sec;
    static Prometheus prom;
    /** The CA as the console has it: a copy, as a site installs it next to the console. */
    static Path consoleCa;

    static final TileSpec ONE = new TileSpec("one", new TileSpec.Text("One", "一"), "vector(1)", "count", 0, TileSpec.Skin.NUMBER,
            null, null, null, null, null, null, null, null);
    static final PageSpec PAGE = new PageSpec("rot", new TileSpec.Text("Rotation", "轮换"), "5s", null, 1, List.of(ONE));

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack(StackOptions.forTests().withSecurity());
        sec = stack.security();
        prom = stack.prometheus();
        consoleCa = Files.copy(sec.pki().caCert(), tmp.resolve("site-ca.pem"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
    }

    static RefreshEngine engine(Endpoint ep) {
        return new RefreshEngine(PAGE, new PrometheusClient("Prometheus", ep.withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(10))),
                Duration.ZERO, s -> {}, Clock.systemUTC());
    }

    static TileState tile(PageSnapshot s) { return s.tiles().get("one"); }

    static void assertRejected(PageSnapshot s) {
        TileState t = tile(s);
        assertThat(t.status()).as("never stale-as-fresh: " + t.message()).isEqualTo(TileState.Status.STALE);
        assertThat(t.value()).as("the last figure is kept, greyed").isEqualTo(1.0);
        assertThat(t.message()).contains("refused the credentials (HTTP 401)");
        assertThat(s.sourceErrorKind()).isEqualTo(SourceException.Kind.AUTH_FAILED);
    }

    static void assertFresh(PageSnapshot s) {
        assertThat(tile(s).status()).as(tile(s).message()).isEqualTo(TileState.Status.OK);
        assertThat(tile(s).value()).isEqualTo(1.0);
    }

    /** Another secret of this run must not show up in any message. */
    static void assertNoSecret(PageSnapshot s) {
        for (String secret : sec.secrets()) assertThat(tile(s).message() + s.sourceError()).doesNotContain(secret);
    }

    @Test
    @Order(1)
    void passwordRotatedOnTheServerThenSavedInSettings() throws Exception {
        EncryptedFileSecretStore secrets = new EncryptedFileSecretStore(tmp.resolve("config"));
        Profile profile = new Profile("plant", new Profile.Source(prom.baseUri().toString(), StackSecurity.WEB_USER, consoleCa.toString()), List.of(), null);
        secrets.put("plant", "prometheus", sec.webPassword().toCharArray());
        ConsoleContext ctx = ConsoleContext.fromProfile(profile, secrets);
        try (RefreshEngine e = engine(ctx.endpoint(ctx.prometheus()))) {
            assertFresh(e.refreshNow());
            String next = sec.rotateWebPassword();
            prom.rewriteWebConfig();
            PageSnapshot rejected = e.refreshNow();
            assertRejected(rejected);
            assertNoSecret(rejected);
            System.out.println("password rotated on the server: " + tile(rejected).message());
            // what the settings page does on save: the secret store gets the new password, the console reconnects
            secrets.put("plant", "prometheus", next.toCharArray());
        }
        ConsoleContext again = ConsoleContext.fromProfile(profile, secrets);
        try (RefreshEngine e = engine(again.endpoint(again.prometheus()))) {
            assertFresh(e.refreshNow());
        }
    }

    @Test
    @Order(2)
    void passwordFileRewrittenIsUsedByTheSameClient() throws Exception {
        Path file = tmp.resolve("prometheus-password");
        Files.writeString(file, sec.webPassword() + "\n");
        Endpoint ep = Endpoint.of(prom.baseUri().toString()).withCa(consoleCa).withAuth(new Endpoint.Auth.SecretFile(StackSecurity.WEB_USER, file));
        try (RefreshEngine e = engine(ep)) {
            assertFresh(e.refreshNow());
            String next = sec.rotateWebPassword();
            prom.rewriteWebConfig();
            PageSnapshot rejected = e.refreshNow();
            assertRejected(rejected);
            assertNoSecret(rejected);
            Files.writeString(file, next + "\n"); // the site's secret manager writes the new one
            assertFresh(e.refreshNow());
            Files.delete(file);
            PageSnapshot gone = e.refreshNow();
            assertThat(tile(gone).status()).isEqualTo(TileState.Status.STALE);
            assertThat(tile(gone).message()).as("a missing file is named, not a mystery").contains("cannot read the secret file " + file);
            System.out.println("secret file gone: " + tile(gone).message());
            Files.writeString(file, next);
            assertFresh(e.refreshNow());
        }
    }

    @Test
    @Order(3)
    void serverRestartedOnANewCaThenTheNewCaInstalled() throws Exception {
        Endpoint ep = Endpoint.of(prom.baseUri().toString()).withCa(consoleCa)
                .withAuth(Endpoint.Auth.basic(StackSecurity.WEB_USER, sec.webPassword().toCharArray()));
        try (RefreshEngine e = engine(ep)) {
            assertFresh(e.refreshNow());
            sec.rotateCa();
            stack.stopService("prometheus", false);
            stack.startAgain("prometheus");
            PageSnapshot refused = e.refreshNow();
            assertThat(tile(refused).status()).as(tile(refused).message()).isEqualTo(TileState.Status.STALE);
            assertThat(tile(refused).message()).contains("TLS handshake failed (certificate signed by an unknown CA: configure the site's CA certificate)");
            assertThat(refused.sourceErrorKind()).isEqualTo(SourceException.Kind.TLS_FAILED);
            System.out.println("server on a new CA: " + tile(refused).message());
            Files.copy(sec.pki().caCert(), consoleCa, StandardCopyOption.REPLACE_EXISTING); // the site installs the new CA
            assertFresh(e.refreshNow());
        }
    }
}
