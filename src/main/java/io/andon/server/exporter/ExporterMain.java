package io.andon.server.exporter;

import io.andon.server.Args;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * {@code andon-exporter --port 9187 --jdbc-url jdbc:postgresql://db:5432/mes --db-user andon_monitor}
 * with the password in ANDON_DB_PASSWORD or --db-password-file.
 */
public final class ExporterMain {
    private ExporterMain() {}

    public static void main(String[] argv) throws Exception {
        Exporter.Config cfg;
        try {
            Args a = new Args(argv, Set.of());
            cfg = new Exporter.Config(a.get("bind", "127.0.0.1"), a.getInt("port", 9187), a.require("jdbc-url"),
                    a.get("db-user", "andon_monitor"), a.dbPassword(),
                    a.duration("db-interval", Duration.ofSeconds(15)), a.duration("business-interval", Duration.ofSeconds(60)),
                    a.get("queries", null) == null ? QueryConfig.bundled() : QueryConfig.load(Path.of(a.get("queries", null))));
        } catch (IllegalArgumentException e) {
            System.err.println("andon-exporter: " + e.getMessage());
            System.exit(2);
            return;
        }
        Exporter exporter = new Exporter(cfg);
        Runtime.getRuntime().addShutdownHook(new Thread(exporter::close));
        exporter.start();
        Thread.currentThread().join();
    }
}
