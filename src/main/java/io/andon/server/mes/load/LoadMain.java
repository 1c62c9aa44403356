package io.andon.server.mes.load;

import io.andon.server.Args;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/** {@code load --target http://127.0.0.1:8080 --rate 1100 --duration 20s --max-requests 50000}: prints the report. */
public final class LoadMain {
    private LoadMain() {}

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, Set.of());
        LoadGenerator g = new LoadGenerator(URI.create(a.require("target")), a.getInt("rate", 1100), a.getInt("queries-per-write", 10),
                Long.parseLong(a.get("max-requests", "100000")), a.duration("duration", Duration.ofSeconds(20)));
        System.out.println(g.run());
    }
}
