package io.andon.server.mes.load;

import io.andon.server.Args;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * {@code load --target http://127.0.0.1:8080 --rate 1100 --duration 20s --max-requests 50000
 * [--queries-per-write 10] [--follow-scenario [--admin-token-file F]]}: runs once and prints the report.
 */
public final class LoadMain {
    private LoadMain() {}

    public static void main(String[] argv) throws Exception {
        LoadGenerator g;
        try {
            Args a = new Args(argv, Set.of("follow-scenario"));
            g = new LoadGenerator(URI.create(a.require("target")), a.getInt("rate", 1100), a.getInt("queries-per-write", 10),
                    Long.parseLong(a.get("max-requests", "100000")), a.duration("duration", Duration.ofSeconds(20)));
            if (a.flag("follow-scenario")) {
                String tokenFile = a.get("admin-token-file", null);
                g.followScenario(tokenFile == null ? null : Files.readString(Path.of(tokenFile)).strip());
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("load: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(g.run());
    }
}
