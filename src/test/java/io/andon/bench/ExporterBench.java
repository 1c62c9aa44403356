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
        double genSec = BenchData.ensureLarge(pg);
        QueryConfig q = QueryConfig.bundled();
        int runs = 7;
        double[] raw = new double[runs], exp = new double[runs], scrape = new double[runs];
        try (Exporter e = new Exporter(new Exporter.Config("127.0.0.1", 0, pg.jdbcUrl(), pg.monitorUser(), pg.monitorPassword(),
                Duration.ofHours(1), Duration.ofHours(1), q))) {
            e.start();
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + e.port() + "/metrics");
            for (int i = 0; i < runs; i++) {
                long r0 = System.nanoTime();
                try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.monitorUser(), pg.monitorPassword());
                     Statement s = c.createStatement()) {
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
        double r = BenchReport.median(raw), x = BenchReport.median(exp), sc = BenchReport.median(scrape);
        BenchReport.write("p1-exporter", String.format(java.util.Locale.ROOT, """
                ## P1 exporter on 1 M inventory rows / 100 k equipment
                Data generated in %.1f s (0 = already there for another P1 bench). Median of %d runs, same %d business queries, same role (andon_monitor):

                | what | ms | ratio |
                |---|---|---|
                | raw SQL of the business queries (JDBC, one connection) | %.1f | 1.00 |
                | exporter business collection (pool, statement_timeout, families) | %.1f | %.2f× raw (goal ≤ 1.1×) |
                | scrape of /metrics (served from cache) | %.1f | %.4f× raw |
                """, genSec, runs, q.queries().size(), r, x, x / r, sc, sc / r));
    }
}
