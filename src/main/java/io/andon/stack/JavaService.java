package io.andon.stack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One of the project's own servers (exporter, simulated MES) in a child JVM, so chaos tests can SIGKILL it. */
public final class JavaService extends ProcessService {
    private final String mainClass;
    private final List<String> args;
    private final Map<String, String> env;

    JavaService(String name, Path dir, int port, String mainClass, List<String> args, Map<String, String> env) {
        super(name, dir, port, Duration.ofSeconds(60));
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.env = Map.copyOf(env);
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8",
                "-cp", System.getProperty("java.class.path"), mainClass, "--port", String.valueOf(port)));
        cmd.addAll(args);
        return cmd;
    }

    @Override
    protected Map<String, String> environment() { return env; }

    @Override
    protected boolean ready() throws Exception {
        return httpStatus(URI.create(baseUri() + "/health/live")) == 200;
    }
}
