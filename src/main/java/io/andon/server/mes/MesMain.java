package io.andon.server.mes;

import io.andon.server.Args;
import io.andon.server.tracing.Tracing;
import io.andon.server.mes.load.LoadGenerator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;

/**
 * {@code mes --port 8080 --jdbc-url ... --db-user mes --log-dir /var/log/mes [--seed] [--load] [--scenario NAME]
 * [--zipkin-url http://zipkin:9411/api/v2/spans] [--trace-sampling 1.0] [--external-url http://erp:8090] [--no-tracing]}
 * with the password in ANDON_DB_PASSWORD. No static logger here: logging is configured first.
 */
public final class MesMain {
    private MesMain() {}

    public static void main(String[] argv) throws Exception {
        Args a;
        try {
            a = new Args(argv, Set.of("seed", "load", "no-metrics", "no-tracing"));
        } catch (IllegalArgumentException e) {
            System.err.println("mes: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path logDir = Path.of(a.get("log-dir", "logs")).toAbsolutePath();
        Files.createDirectories(logDir);
        System.setProperty("MES_LOG_DIR", logDir.toString());
        System.setProperty("PID", Long.toString(ProcessHandle.current().pid()));
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/andon/server/mes/logback-mes.xml");
        }
        byte[] token = a.get("admin-token-file", null) == null ? null
                : Files.readString(Path.of(a.get("admin-token-file", null))).strip().getBytes(StandardCharsets.UTF_8);
        MesService.Config cfg = new MesService.Config(a.get("bind", "127.0.0.1"), a.getInt("port", 8080), a.require("jdbc-url"),
                a.get("db-user", "mes"), a.dbPassword(), !a.flag("no-metrics"), token);
        if (a.flag("seed")) seedIfEmpty(cfg);
        Tracing tracing;
        try {
            // always traced unless --no-tracing (the benchmark's baseline): without --zipkin-url spans are made, not sent
            tracing = a.flag("no-tracing") ? null : Tracing.create(Tracing.config(a, "mes-app"));
        } catch (IllegalArgumentException e) {
            System.err.println("mes: " + e.getMessage());
            System.exit(2);
            return;
        }
        String external = a.get("external-url", null);
        MesService svc = new MesService(cfg, tracing, external == null ? null : java.net.URI.create(external));
        svc.start();
        LoadGenerator load = null;
        if (a.flag("load")) {
            load = new LoadGenerator(java.net.URI.create("http://127.0.0.1:" + svc.port()), a.getInt("load-rate", 200), 10,
                    Long.MAX_VALUE, Duration.ofDays(365));
            load.startInBackground();
            int dayRate = load.rate();
            LoadGenerator lg = load;
            // an idle plant at night: 1 % of the day's requests
            svc.scenarios().onChange(sc -> lg.setRate(sc == Scenario.NIGHT ? Math.max(1, dayRate / 100) : dayRate));
        }
        if (a.get("scenario", null) != null) svc.scenarios().switchTo(Scenario.of(a.get("scenario", null)));
        if (a.get("timeline", null) != null) {
            Timeline.load(Path.of(a.get("timeline", null))).play(sc -> {
                try {
                    svc.scenarios().switchTo(sc);
                } catch (java.sql.SQLException e) {
                    System.err.println("mes: timeline step " + sc.id + " failed: " + e.getMessage());
                }
            });
        }
        LoadGenerator l = load;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (l != null) l.stop();
            svc.close();
            if (tracing != null) tracing.close(); // flushes what is queued
        }));
        Thread.currentThread().join();
    }

    /** Demo data on an empty database: the plant of 3 sites, 600 machines, 20 000 stock rows, 900 people. */
    static void seedIfEmpty(MesService.Config cfg) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(cfg.jdbcUrl(), cfg.user(), cfg.password());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM mes_core.plants")) {
                rs.next();
                if (rs.getLong(1) > 0) return;
            }
            // the generator ships in src/server/postgres/10-generate.sql; a site without it seeds its own data
            try (ResultSet rs = s.executeQuery("""
                    SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = 'mes_core' AND p.proname = 'generate_data'""")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    System.err.println("mes: --seed: mes_core.generate_data() is missing (apply src/server/postgres/10-generate.sql); starting without demo data");
                    return;
                }
            }
            s.execute("SELECT mes_core.generate_data(3, 8, 600, 20000, 900)");
        }
    }
}
