package io.andon.settings;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Profiles carry no secrets; secrets are encrypted, private to the user, and never in an export. */
class SettingsStoreTest {
    @Test
    void secretsAreEncryptedAndPrivateAndProfilesExportWithoutThem() throws Exception {
        Path dir = Files.createTempDirectory("andon-cfg");
        SecretStore secrets = new EncryptedFileSecretStore(dir);
        String password = "s3cr3t-\"quoted\"-密码";
        secrets.put("plant", "prometheus", password.toCharArray());
        assertThat(new String(secrets.get("plant", "prometheus").orElseThrow())).isEqualTo(password);
        assertThat(secrets.get("plant", "elasticsearch")).isEmpty();
        for (String f : List.of("secrets.enc", "secrets.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        assertThat(new String(Files.readAllBytes(dir.resolve("secrets.enc")), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("s3cr3t").doesNotContain("plant/prometheus");
        // a fresh store over the same files reads it back (key and data persist)
        assertThat(new String(new EncryptedFileSecretStore(dir).get("plant", "prometheus").orElseThrow())).isEqualTo(password);
        secrets.delete("plant", "prometheus");
        assertThat(secrets.get("plant", "prometheus")).isEmpty();

        ProfileStore profiles = new ProfileStore(dir);
        secrets.put("plant", "elasticsearch", "api-key-value".toCharArray());
        profiles.save(new Profile("plant", new Profile.Source("https://prom:9090", "ops", ""),
                List.of(new Profile.Source("http://am1:9093", "", ""), new Profile.Source("http://am2:9093", "", "")),
                new Profile.Source("https://es:9200", "apikey", "/etc/andon/ca.pem")));
        Path export = dir.resolve("export.json");
        profiles.exportTo(export);
        String exported = Files.readString(export);
        assertThat(exported).contains("https://prom:9090").contains("am2").doesNotContain("api-key-value");
        assertThat(Files.readString(dir.resolve("profiles.json"))).doesNotContain("api-key-value");

        Path other = Files.createTempDirectory("andon-cfg2");
        ProfileStore imported = new ProfileStore(other);
        assertThat(imported.importFrom(export)).isEqualTo(1);
        assertThat(imported.get("plant").orElseThrow().alertmanagers()).hasSize(2);
        Files.writeString(export, "[{\"name\":\"x\",\"prometheus\":{\"url\":\"u\"},\"colour\":1}]");
        assertThatThrownBy(() -> imported.importFrom(export)).hasMessageContaining(export.toString()).hasMessageContaining("colour");
    }

    @Test
    void aProfileBecomesEndpointsWithCredentialsThatNeverPrint() throws Exception {
        Path dir = Files.createTempDirectory("andon-cfg");
        SecretStore secrets = new EncryptedFileSecretStore(dir);
        secrets.put("p", "prometheus", "hunter2".toCharArray());
        var ctx = io.andon.console.ConsoleContext.fromProfile(new Profile("p", new Profile.Source("http://prom:9090", "ops", null), List.of(), null), secrets);
        var ep = ctx.endpoint(ctx.prometheus());
        assertThat(ep.auth()).isInstanceOf(io.andon.net.Endpoint.Auth.Basic.class);
        assertThat(ep.toString()).doesNotContain("hunter2");
        assertThat(ctx.toString()).doesNotContain("hunter2");
    }

    @Test
    void anElasticsearchSourceMayListTheNodesOfOneClusterWithOneSetOfCredentials() throws Exception {
        Path dir = Files.createTempDirectory("andon-cfg");
        SecretStore secrets = new EncryptedFileSecretStore(dir);
        secrets.put("p", "elasticsearch", "s3cret-reader".toCharArray());
        var p = new Profile("p", new Profile.Source("http://prom:9090", null, null), List.of(),
                new Profile.Source(" https://es1:9200 ,https://es2:9200", "andon_reader", null));
        var ctx = io.andon.console.ConsoleContext.fromProfile(p, secrets);
        assertThat(ctx.elasticsearchNodes()).extracting(Object::toString).containsExactly("https://es1:9200", "https://es2:9200");
        for (var node : ctx.elasticsearchNodes()) {
            assertThat(ctx.endpoint(node).auth()).as("credentials for %s", node).isInstanceOf(io.andon.net.Endpoint.Auth.Basic.class);
        }
        // the store checks every node and names the bad one
        Files.writeString(dir.resolve("profiles.json"), "[{\"name\":\"p\",\"prometheus\":{\"url\":\"http://prom:9090\"},"
                + "\"elasticsearch\":{\"url\":\"https://es1:9200, es2:9200\"}}]");
        assertThatThrownBy(() -> new ProfileStore(dir).get("p")).hasMessageContaining("elasticsearch URL 'es2:9200' must start with http:// or https://");
    }

    @Test
    void aTraceSourceIsSavedExportedAndImportedWithoutItsSecret() throws Exception {
        Path dir = Files.createTempDirectory("andon-cfg");
        SecretStore secrets = new EncryptedFileSecretStore(dir);
        secrets.put("plant", Profile.TRACES_SECRET, "jaeger-token-value".toCharArray());
        ProfileStore profiles = new ProfileStore(dir);
        Profile p = new Profile("plant", new Profile.Source("https://prom:9090", "ops", ""), List.of(), null)
                .withTraces(new Profile.Traces("Jaeger", "https://jaeger:16686/jaeger", "bearer", "/etc/andon/ca.pem"));
        profiles.save(p);
        Profile back = profiles.get("plant").orElseThrow();
        assertThat(back.traces()).isEqualTo(new Profile.Traces("jaeger", "https://jaeger:16686/jaeger", "bearer", "/etc/andon/ca.pem"));
        assertThat(back.tracesIfSet()).isPresent();
        Path export = dir.resolve("export.json");
        profiles.exportTo(export);
        assertThat(Files.readString(export)).contains("\"traces\"").contains("https://jaeger:16686/jaeger").doesNotContain("jaeger-token-value");
        assertThat(Files.readString(dir.resolve("profiles.json"))).doesNotContain("jaeger-token-value");
        Path other = Files.createTempDirectory("andon-cfg2");
        assertThat(new ProfileStore(other).importFrom(export)).isEqualTo(1);
        assertThat(new ProfileStore(other).get("plant").orElseThrow().traces().kind()).isEqualTo("jaeger");
        // no kind means the stack's own backend, Zipkin; an unknown kind is refused before anything is written
        assertThat(new Profile.Traces(null, "http://z:9411", null, null).kind()).isEqualTo("zipkin");
        assertThatThrownBy(() -> profiles.save(p.withTraces(new Profile.Traces("skywalking", "http://sw:12800", null, null))))
                .hasMessageContaining("trace source kind 'skywalking' is not one of zipkin, jaeger, tempo");
        assertThat(profiles.get("plant").orElseThrow().traces().kind()).isEqualTo("jaeger");
        // the trace source becomes a client of its kind, with the token from the secret store and nothing printed
        char[] token = secrets.get("plant", Profile.TRACES_SECRET).orElseThrow();
        io.andon.net.Endpoint ep = io.andon.net.Endpoint.of(back.traces().url()).withAuth(io.andon.net.Endpoint.Auth.of(back.traces().user(), token));
        try (io.andon.traces.TraceSource ts = io.andon.traces.TraceSources.create(back.traces().kind(), null, ep)) {
            assertThat(ts).isInstanceOf(io.andon.traces.JaegerTraceSource.class);
            assertThat(ts.name()).isEqualTo("Jaeger");
            assertThat(ts.uiLink("abc")).hasValue(java.net.URI.create("https://jaeger:16686/jaeger/trace/abc"));
        }
        assertThat(ep.auth()).isInstanceOf(io.andon.net.Endpoint.Auth.Bearer.class);
        assertThat(ep.toString()).doesNotContain("jaeger-token-value");
        assertThat(io.andon.traces.TraceSources.create("TEMPO", "site tempo", ep).uiLink("abc")).isEmpty();
        assertThat(io.andon.traces.TraceSources.create(null, null, ep)).isInstanceOf(io.andon.traces.ZipkinTraceSource.class);
        assertThatThrownBy(() -> io.andon.traces.TraceSources.create("skywalking", null, ep)).hasMessageContaining("unknown trace source kind");
    }
}
