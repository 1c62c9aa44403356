package io.andon.bench;

import io.andon.stack.Postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** The P1 database (1 M inventory rows / 100 k equipment), generated once per stack and shared by the P1 benches. */
final class BenchData {
    private BenchData() {}

    /** Seconds spent generating, or 0 when the stack's database already holds the data. */
    static synchronized double ensureLarge(Postgres pg) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM mes_core.inventory), (SELECT count(*) FROM mes_core.equipment)")) {
                rs.next();
                if (rs.getLong(1) >= 1_000_000 && rs.getLong(2) >= 100_000) return 0;
            }
            long t0 = System.nanoTime();
            s.execute("SELECT mes_core.generate_data(10, 50, 100000, 1000000, 5000)");
            s.execute("VACUUM ANALYZE");
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
