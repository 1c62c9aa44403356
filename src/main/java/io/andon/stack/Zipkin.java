package io.andon.stack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Zipkin (the server's executable jar from the build's repository, copied into the cache by Maven) with its
 * in-memory store capped at {@code maxSpans}: the trace backend of the tests and the demo. Bound to 127.0.0.1:
 * without the Armeria port arguments it listens on every interface. Sites keep traces in Elasticsearch or
 * Cassandra (docs/server-bundle.md); the integ-test Elasticsearch of the harness cannot serve as its store.
 */
public final class Zipkin extends ProcessService {
    private final int maxSpans;

    Zipkin(String name, Path dir, int port, int maxSpans) {
        super(name, dir, port, Duration.ofSeconds(90));
        this.maxSpans = maxSpans;
    }

    /** The Zipkin server jar: {@code -Dandon.zipkin.jar}, else the cache the build copies it into. */
    public static Path jar() {
        String prop = System.getProperty("andon.zipkin.jar");
        if (prop != null) return Path.of(prop);
        Path cache = "root".equals(System.getProperty("user.name")) ? Path.of("/var/cache/andon/zipkin")
                : Path.of(System.getProperty("user.home"), ".cache/andon/zipkin");
        try (var s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().matches("zipkin-server-.*-exec\\.jar")).findFirst()
                    .orElse(cache.resolve("zipkin-server-3.6.1-exec.jar"));
        } catch (Exception e) {
            return cache.resolve("zipkin-server-3.6.1-exec.jar");
        }
    }

    /** Where the MES's exporter posts spans (Zipkin v2 JSON). */
    public URI spansEndpoint() {
        return URI.create(baseUri() + "/api/v2/spans");
    }

    @Override
    protected void prepare() {
        if (!Files.isRegularFile(jar())) {
            throw new StackException("zipkin: server jar not found at " + jar() + " (the Maven build copies it there: run andon.sh setup/build)");
        }
    }

    @Override
    protected List<String> command() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8", "-jar", jar().toString(),
                "--armeria.ports[0].port=" + port, "--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].protocols[0]=http",
                "--logging.level.root=WARN");
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("STORAGE_TYPE", "mem", "MEM_MAX_SPANS", Integer.toString(maxSpans), "SELF_TRACING_ENABLED", "false");
    }

    @Override
    protected boolean ready() throws Exception {
        return httpStatus(URI.create(baseUri() + "/health")) == 200;
    }
}
