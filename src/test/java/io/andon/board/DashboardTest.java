package io.andon.board;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardTest {
    @Test
    void bundledPagesLoadInOrder() throws Exception {
        var pages = new DashboardRepository(Optional.empty()).load();
        assertThat(pages).extracting(PageSpec::id).containsExactly("system", "database", "business", "slo", "health");
        var avail = pages.getFirst().tiles().getFirst();
        assertThat(avail.decimals()).as("99.950 %, not 100 %").isEqualTo(3);
        assertThat(avail.thresholdsOrNone().classify(99.95)).isEqualTo(TileState.Status.OK);
        assertThat(avail.thresholdsOrNone().classify(99.7)).isEqualTo(TileState.Status.WARN);
        assertThat(avail.thresholdsOrNone().classify(99.4)).isEqualTo(TileState.Status.CRIT);
        assertThat(avail.thresholdsOrNone().classify(Double.NaN)).isEqualTo(TileState.Status.NO_DATA);
    }

    @Test
    void userFileReplacesABundledPageAndAddsNewOnes() throws Exception {
        Path dir = Files.createTempDirectory("dash");
        Files.writeString(dir.resolve("health.yaml"), """
                id: health
                title: {en: My health}
                tiles:
                  - {id: up, title: {en: Up}, query: 'up', skin: NUMBER}
                """);
        Files.writeString(dir.resolve("line2.yaml"), """
                id: line2
                title: {en: Line 2, zh_CN: 二号线}
                refresh: 10s
                tiles:
                  - {id: oee, title: {en: OEE}, query: 'avg(line_oee{line="2"})', skin: GAUGE, min: 0, max: 100, unit: '%'}
                """);
        var pages = new DashboardRepository(Optional.of(dir)).load();
        assertThat(pages).extracting(PageSpec::id).containsExactly("system", "database", "business", "slo", "health", "line2");
        assertThat(pages.get(4).title().en()).isEqualTo("My health");
        assertThat(pages.get(5).refreshInterval()).hasSeconds(10);
    }

    @Test
    void brokenYamlNamesFileLineAndProblem() throws Exception {
        Path dir = Files.createTempDirectory("dash");
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "id: bad\ntitle: {en: Bad}\ntiles:\n  - id: x\n    title: {en: X}\n    query: up\n    skin: PIE\n");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).hasMessageContaining(f.toString() + ":7").hasMessageContaining("PIE");
        Files.writeString(f, "id: bad\ntitle: {en: Bad}\ntiles:\n  - id: x\n    title: {en: X}\n    skin: NUMBER\n    thresholds: {warn: 10, crit: 5}\n");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).hasMessageContaining(f.toString())
                .hasMessageContaining("tile #1 'x': 'query' missing").hasMessageContaining("thresholds out of order");
        Files.writeString(f, "id: bad\ntitle: {en: Bad}\ntiles:\n  - id: x\n    titel: {en: X}\n");
        assertThatThrownBy(() -> DashboardRepository.parse(f)).message().containsPattern(java.util.regex.Pattern.quote(f.toString()) + ":\\d+:\\d+: Unrecognized field \"titel\"");
    }
}
