package io.andon.board;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardTest {
    @TempDir Path dir;

    @Test
    void bundledPagesLoadInOrder() throws Exception {
        var pages = new DashboardRepository(Optional.empty()).load();
        assertThat(pages).extracting(PageSpec::id).containsExactly("system", "database", "business", "slo", "health");
        var avail = pages.getFirst().tiles().getFirst();
        assertThat(avail.decimals()).as("99.950 %, not 100 %").isEqualTo(3);
        assertThat(avail.scaleOrOne()).as("ratio shown as percent").isEqualTo(100.0);
        assertThat(avail.unitSymbol()).isEqualTo("%");
        assertThat(avail.thresholdsOrNone().classify(99.95)).isEqualTo(TileState.Status.OK);
        assertThat(avail.thresholdsOrNone().classify(99.7)).isEqualTo(TileState.Status.WARN);
        assertThat(avail.thresholdsOrNone().classify(99.4)).isEqualTo(TileState.Status.CRIT);
        assertThat(avail.thresholdsOrNone().classify(Double.NaN)).isEqualTo(TileState.Status.NO_DATA);
        for (PageSpec p : pages) {
            assertThat(p.tiles()).as(p.id()).isNotEmpty();
            for (TileSpec t : p.tiles()) assertThat(t.title().zhCN()).as(p.id() + "/" + t.id() + " has a Chinese title").isNotBlank();
        }
    }

    @Test
    void defaultPagesCarryThePlantsNumbers() throws Exception {
        var byId = new java.util.HashMap<String, TileSpec>();
        for (PageSpec p : new DashboardRepository(List.of()).load()) for (TileSpec t : p.tiles()) byId.put(p.id() + "/" + t.id(), t);
        TileSpec p99q = byId.get("system/p99-query");
        assertThat(p99q.query()).isEqualTo("sli:latency_p99:seconds{class=\"query\"}");
        assertThat(p99q.scaleOrOne()).isEqualTo(1000.0);
        assertThat(p99q.thresholdsOrNone().classify(199)).isEqualTo(TileState.Status.OK);
        assertThat(p99q.thresholdsOrNone().classify(201)).isEqualTo(TileState.Status.WARN);
        assertThat(p99q.thresholdsOrNone().classify(501)).isEqualTo(TileState.Status.CRIT);
        assertThat(byId.get("system/p99-write").thresholdsOrNone().classify(250)).isEqualTo(TileState.Status.OK);
        TileSpec err = byId.get("system/error-rate");
        assertThat(err.thresholdsOrNone().classify(0.05)).isEqualTo(TileState.Status.OK);
        assertThat(err.thresholdsOrNone().classify(0.5)).isEqualTo(TileState.Status.WARN);
        assertThat(err.thresholdsOrNone().classify(1.5)).isEqualTo(TileState.Status.CRIT);
        TileSpec tq = byId.get("system/throughput-query");
        assertThat(tq.target()).isEqualTo(1000.0);
        assertThat(tq.thresholdsOrNone().classify(900)).isEqualTo(TileState.Status.OK);
        assertThat(tq.thresholdsOrNone().classify(700)).isEqualTo(TileState.Status.WARN);
        assertThat(byId.get("system/throughput-write").thresholdsOrNone().classify(79)).isEqualTo(TileState.Status.WARN);
        assertThat(byId.get("database/cache-hit").thresholdsOrNone().classify(92)).isEqualTo(TileState.Status.WARN);
        assertThat(byId.get("business/attendance").thresholdsOrNone().classify(79)).isEqualTo(TileState.Status.CRIT);
        assertThat(byId.get("business/work-centers-by-plant").legendLabel()).isEqualTo("plant");
        // the firing burn alerts are on the alert bar; the page keeps one row of six per SLO (issue 23)
        assertThat(byId).doesNotContainKey("slo/burn-alerts");
        // a page's gate is written once and applied to the tiles that name it
        assertThat(byId.get("business/inventory-value").query()).startsWith("(max(mes_inventory_value_total)) and on() (").contains("max(db_up) == 1");
        assertThat(byId.get("business/inventory-value").gate()).isNull();
        assertThat(byId.get("database/query-p99").query()).doesNotContain("db_up");
        for (String slo : List.of("availability", "latency", "errors")) {
            for (String part : List.of("sli", "budget", "burn-1h", "burn-6h", "burn-3d", "exhaustion")) {
                assertThat(byId).as("slo/" + slo + "-" + part).containsKey("slo/" + slo + "-" + part);
            }
            assertThat(byId.get("slo/" + slo + "-exhaustion").query()).contains("error_budget_remaining").contains("/ clamp_min(slo:burn_rate:1h");
            // the year's cap is words, not a figure
            assertThat(byId.get("slo/" + slo + "-exhaustion").formatValue(8760, java.util.Locale.ENGLISH)).isEqualTo("not burning");
            assertThat(byId.get("slo/" + slo + "-exhaustion").formatValue(36, java.util.Locale.ENGLISH)).isEqualTo("36 h");
        }
        assertThat(byId.get("health/last-scrape-age").query()).contains("time() - timestamp(up)");
    }

    @Test
    void laterDirectoryReplacesABundledPageAndAddsNewOnes() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Path user = Files.createDirectories(dir.resolve("user"));
        Files.writeString(site.resolve("health.yaml"), page("health", "Site health"));
        Files.writeString(user.resolve("health.yaml"), page("health", "My health"));
        Files.writeString(user.resolve("line2.yaml"), """
                id: line2
                title: {en: Line 2, zh_CN: 二号线}
                refresh: 10s
                datasource: vm
                tiles:
                  - {id: oee, title: {en: OEE}, query: 'avg(line_oee{line="2"})', skin: GAUGE, min: 0, max: 100, unit: percent}
                """);
        var pages = new DashboardRepository(List.of(site, user)).load();
        assertThat(pages).extracting(PageSpec::id).containsExactly("system", "database", "business", "slo", "health", "line2");
        assertThat(pages.get(4).title().en()).isEqualTo("My health");
        assertThat(pages.get(5).refreshInterval()).hasSeconds(10);
        assertThat(pages.get(5).datasource()).isEqualTo("vm");
        assertThat(pages.get(0).refreshInterval()).as("default refresh").hasSeconds(5);
    }

    private static String page(String id, String title) {
        return "id: " + id + "\ntitle: {en: " + title + "}\ntiles:\n  - {id: up, title: {en: Up}, query: 'up', skin: NUMBER}\n";
    }

    @Test
    void latencyTilesNameTheirExemplarSeriesAndABadOneIsRejected() throws Exception {
        var byId = new java.util.HashMap<String, TileSpec>();
        for (PageSpec p : new DashboardRepository(List.of()).load()) for (TileSpec t : p.tiles()) byId.put(p.id() + "/" + t.id(), t);
        assertThat(byId.get("system/p99-query").exemplarQuery()).contains("http_request_duration_seconds_bucket{job=\"mes-app\", method=\"GET\"}");
        assertThat(byId.get("system/p99-write").exemplarQuery()).contains("http_request_duration_seconds_bucket{job=\"mes-app\", method!=\"GET\"}");
        assertThat(byId.get("database/query-p99").exemplarQuery()).contains("db_query_duration_seconds_bucket");
        assertThat(byId.get("system/error-rate").exemplarQuery()).isEmpty();
        Path f = dir.resolve("ex.yaml");
        Files.writeString(f, "id: ex\ntitle: {en: Ex}\ntiles:\n  - id: a\n    title: {en: A}\n    query: up\n    skin: NUMBER\n    exemplars: ''\n"
                + "  - id: b\n    title: {en: B}\n    query: up\n    skin: NUMBER\n    exemplars: 'x{job=\"$job\"}'\n");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).satisfies(e -> {
            assertThat(e.getMessage()).contains("tile #1 'a': 'exemplars' is empty");
            assertThat(e.getMessage()).contains("tile #2 'b': exemplars: page variables are not supported here");
        });
    }

    @Test
    void unknownSkinNamesFileLineAndValue() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "id: bad\ntitle: {en: Bad}\ntiles:\n  - id: x\n    title: {en: X}\n    query: up\n    skin: PIE\n");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).hasMessageContaining(f + ":7:").hasMessageContaining("PIE")
                .hasMessageContaining("tiles[0].skin");
    }

    @Test
    void everyProblemOfAFileIsListedWithTheTileLine() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                id: bad
                title: {en: Bad}
                tiles:
                  - id: ok
                    title: {en: OK}
                    query: up
                    skin: NUMBER
                  - id: x
                    title: {en: X}
                    skin: NUMBER
                    unit: furlongs
                    thresholds: {direction: above, steps: [{value: 10, state: warn}, {value: 5, state: crit}]}
                  - id: ok
                    title: {en: Again}
                    query: 'up{job=$job}'
                    skin: DONUT_CHART
                """);
        assertThatThrownBy(() -> DashboardRepository.parse(f)).satisfies(e -> {
            String m = e.getMessage();
            assertThat(m).contains(f + ":8:").contains("tile #2 'x': 'query' missing");
            assertThat(m).contains("unknown unit 'furlongs'").contains("ratio_percent");
            assertThat(m).contains("bad threshold order").contains("crit (5.0) must be above warn (10.0)");
            assertThat(m).contains(f + ":13:").contains("tile #3 'ok': duplicate id");
            assertThat(m).contains("$job must be a whole quoted label value");
            assertThat(m).contains("DONUT_CHART needs 'legendLabel'");
        });
    }

    @Test
    void belowThresholdsMustDescend() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "id: bad\ntitle: {en: Bad}\ntiles:\n  - {id: a, title: {en: A}, query: up, skin: NUMBER,\n"
                + "     thresholds: {direction: below, steps: [{value: 99.5, state: warn}, {value: 99.9, state: crit}]}}\n");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).hasMessageContaining(f + ":4:")
                .hasMessageContaining("with direction below are bad, crit (99.9) must be below warn (99.5)");
        Files.writeString(f, "id: bad\ntitle: {en: Bad}\ntiles:\n  - {id: a, title: {en: A}, query: up, skin: NUMBER,\n"
                + "     thresholds: {steps: [{value: 1, state: warn}, {value: 2, state: warn}]}}\n");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).hasMessageContaining(f + ":").hasMessageContaining("two 'warn' steps");
    }

    @Test
    void typosAndBrokenYamlNameFileLineColumn() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "id: bad\ntitle: {en: Bad}\ntiles:\n  - id: x\n    titel: {en: X}\n");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).message().containsPattern(Pattern.quote(f.toString()) + ":5:\\d+: Unrecognized field \"titel\"");
        Files.writeString(f, "id: bad\ntitle: {en: Bad\ntiles: [\n");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).message().containsPattern(Pattern.quote(f.toString()) + ":\\d+:\\d+: ");
        Files.writeString(f, "");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).hasMessageContaining(f + ": empty file");
        Files.writeString(f, "id: bad\ntitle: {en: Bad}\nrefresh: soon\ntiles:\n  - {id: a, title: {en: A}, query: up, skin: NUMBER, sparkline: forever}\n");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).hasMessageContaining("refresh: not a duration: 'soon'")
                .hasMessageContaining("sparkline: not a duration: 'forever'");
    }

    @Test
    void shortThresholdFormIsReadToo() throws Exception {
        Path f = dir.resolve("short.yaml");
        Files.writeString(f, "id: s\ntitle: {en: S}\ntiles:\n  - {id: a, title: {en: A}, query: up, skin: NUMBER, thresholds: {warn: 95, crit: 90, direction: below}}\n");
        var th = DashboardRepository.parse(f).tiles().getFirst().thresholdsOrNone();
        assertThat(th).isEqualTo(new TileSpec.Thresholds(95.0, 90.0, TileSpec.Thresholds.Direction.BELOW));
    }
}
