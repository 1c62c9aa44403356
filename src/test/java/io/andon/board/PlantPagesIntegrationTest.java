package io.andon.board;

import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled business and database pages over the real exporter and database: the per-plant donuts split by
 * the plants of the rows (not by the plant label of the scrape target), the totals match SQL.
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PlantPagesIntegrationTest {
    @Test
    void businessAndDatabasePagesMatchTheDatabase(Stack stack) throws Exception {
        stack.mes("--seed");
        stack.exporter("--db-interval", "1s", "--business-interval", "1s");
        PrometheusClient c = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (c.query("mes_work_centers").samples().isEmpty() || c.query("db_cache_hit_ratio").samples().isEmpty()) {
            assertThat(System.nanoTime()).as("exporter series in Prometheus within 90 s").isLessThan(deadline);
            Thread.sleep(1000);
        }
        System.out.println("raw labels: " + c.query("mes_work_centers").samples().getFirst().labels());
        Map<String, Double> wcPerPlant = new TreeMap<>();
        Map<String, Double> equipmentPerPlant = new TreeMap<>();
        double equipment;
        var pg = stack.postgres();
        try (Connection db = DriverManager.getConnection(pg.jdbcUrl(), pg.superUser(), pg.superPassword())) {
            try (ResultSet rs = db.createStatement().executeQuery(
                    "SELECT p.code, count(w.*) FROM mes_core.plants p JOIN mes_core.work_centers w USING (plant_id) GROUP BY p.code")) {
                while (rs.next()) wcPerPlant.put(rs.getString(1), rs.getDouble(2));
            }
            try (ResultSet rs = db.createStatement().executeQuery(
                    "SELECT p.code, count(e.*) FROM mes_core.plants p JOIN mes_core.work_centers w USING (plant_id) "
                            + "JOIN mes_core.equipment e USING (work_center_id) GROUP BY p.code")) {
                while (rs.next()) equipmentPerPlant.put(rs.getString(1), rs.getDouble(2));
            }
            try (ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM mes_core.equipment")) {
                rs.next();
                equipment = rs.getDouble(1);
            }
        }
        assertThat(wcPerPlant).as("seeded plants").hasSizeGreaterThan(1);

        List<PageSpec> pages = new DashboardRepository(Optional.empty()).load();
        PageSpec business = pages.stream().filter(p -> p.id().equals("business")).findFirst().orElseThrow();
        PageSpec database = pages.stream().filter(p -> p.id().equals("database")).findFirst().orElseThrow();
        try (RefreshEngine b = new RefreshEngine(business, c, Duration.ZERO, s -> {}, Clock.systemUTC());
             RefreshEngine d = new RefreshEngine(database, c, Duration.ZERO, s -> {}, Clock.systemUTC())) {
            PageSnapshot bs = b.refreshNow();
            bs.tiles().forEach((id, st) -> System.out.println("business/" + id + ": " + st.status() + " " + st.value() + " " + st.series() + " " + st.message()));
            assertThat(bs.tiles().get("work-centers-by-plant").series()).isEqualTo(wcPerPlant);
            assertThat(bs.tiles().get("equipment-by-plant").series()).isEqualTo(equipmentPerPlant);
            assertThat(bs.tiles().get("equipment-total").value()).isEqualTo(equipment);
            assertThat(bs.tiles().values()).noneMatch(st -> st.status() == TileState.Status.ERROR || st.status() == TileState.Status.STALE);
            PageSnapshot ds = d.refreshNow();
            ds.tiles().forEach((id, st) -> System.out.println("database/" + id + ": " + st.status() + " " + st.value() + " " + st.series() + " " + st.message()));
            assertThat(ds.tiles().values()).noneMatch(st -> st.status() == TileState.Status.ERROR || st.status() == TileState.Status.STALE);
            assertThat(ds.tiles().get("cache-hit").value()).isBetween(0.0, 100.0);
            assertThat(ds.tiles().get("largest-tables").series()).hasSize(5);
            assertThat(ds.tiles().get("connections-used").value()).isBetween(0.0, 100.0);
        }
    }
}
