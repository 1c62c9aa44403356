package io.andon.bench;

import io.andon.server.exporter.Exporter;
import io.andon.server.exporter.QueryConfig;
import io.andon.stack.Postgres;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * P1: the exporter's business collection on 1 M inventory rows / 100 k equipment vs the raw SQL of the same
 * queries, and the scrape itself (served from cache). Prints ratios; asserts nothing about speed.
 */
@Tag("bench")
@ExtendWith(StackExtension.class)
class ExporterBench {
    @Test
    void businessCollectionVsRawSql(Stack stack) throws Exception {
        Postgres pg = stack.postgres();
        // a reduced run uses the seeded demo plant: it proves the bench works, its figures don't count
        double genSec = Verdict.QUICK ? 0 : BenchData.ensureLarge(pg);
        QueryConfig q = QueryConfig.bundled();
        int runs = Verdict.size(7, 3);
        double[] raw = new double[runs], exp = new double[runs], scrape = new double[runs];
        double connectMs;
        try (Exporter e = new Exporter(new Exporter.Config("127.0.0.1", 0, pg.jdbcUrl(), pg.monitorUser(), pg.monitorPassword(),
                Duration.ofHours(1), Duration.ofHours(1), q))) {
            e.start();
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + e.port() + "/metrics");
            // like with like: the exporter reuses a pooled connection, so the raw SQL reuses one open connection too;
            // opening it (TCP + SCRAM auth + session) is timed once and reported apart, in neither column
            long c0 = System.nanoTime();
            try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.monitorUser(), pg.monitorPassword())) {
                connectMs = (System.nanoTime() - c0) / 1e6;
                for (int i = 0; i < runs; i++) {
                    long r0 = System.nanoTime();
                    try (Statement s = c.createStatement()) {
                        for (QueryConfig.Query query : q.queries()) {
                            try (ResultSet rs = s.executeQuery(query.sql())) {
                                while (rs.next()) rs.getDouble("value");
                            }
                        }
                    }
                    raw[i] = (System.nanoTime() - r0) / 1e6;
                exp[i] = e.collectBusinessOnce().toNanos() / 1e6;
                long s0 = System.nanoTime();
                http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
                    scrape[i] = (System.nanoTime() - s0) / 1e6;
                }
            }
        }
        double r = BenchReport.median(raw), x = BenchReport.median(exp), sc = BenchReport.median(scrape);
        boolean complete = Verdict.complete(runs, 7);
        BenchReport.write("p1-exporter", String.format(java.util.Locale.ROOT, """
                ## P1 exporter on %s
                Data generated in %.1f s (0 = already there for another P1 bench). Median of %d runs, same %d business queries, same role (andon_monitor),
                both sides on an already open connection (the exporter's pool; one JDBC connection opened before the runs for the raw SQL).
                Opening a fresh connection, reported apart and in neither figure: %.1f ms.

                | what | ms | ratio | verdict (goal ≤ 1.1× raw) |
                |---|---|---|---|
                | raw SQL of the business queries (JDBC, open connection) | %.1f | 1.00 | |
                | exporter business collection (pooled connection, statement_timeout, families) | %.2f | %.2f× raw | %s |
                | scrape of /metrics (served from cache) | %.1f | %.4f× raw | |
                %s""", Verdict.QUICK ? "the seeded demo plant (reduced run)" : "1 M inventory rows / 100 k equipment", genSec, runs, q.queries().size(),
                connectMs, r, x, x / r, Verdict.atMost(x / r, 1.1, complete), sc, sc / r, Verdict.shortfall("runs", runs, 7)));
    }
}
