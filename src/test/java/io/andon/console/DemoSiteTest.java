package io.andon.console;

import io.andon.board.DashboardRepository;
import io.andon.board.PageSpec;
import io.andon.board.TileSpec;
import io.andon.board.TileState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's site (issue 23, item 9): its System page measures throughput against the demo's load, and says so. */
class DemoSiteTest {
    @Test
    void throughputTargetsFollowTheDemoLoadAndTheTitleSaysSo(@TempDir Path tmp) throws Exception {
        Path dir = Demo.siteDashboards(tmp.resolve("dashboards"), tmp.resolve("no-user-dir"), 150);
        PageSpec system = DashboardRepository.parse(dir.resolve("system.yaml"));
        TileSpec q = system.tiles().stream().filter(t -> t.id().equals("throughput-query")).findFirst().orElseThrow();
        TileSpec w = system.tiles().stream().filter(t -> t.id().equals("throughput-write")).findFirst().orElseThrow();
        assertThat(q.target()).isEqualTo(136.0); // 150 requests/s, 10 queries : 1 write
        assertThat(q.title().en()).contains("demo target 136");
        assertThat(q.title().zhCN()).contains("演示目标 136");
        assertThat(q.thresholdsOrNone().classify(120)).isEqualTo(TileState.Status.OK);
        assertThat(q.thresholdsOrNone().classify(60)).isEqualTo(TileState.Status.WARN);
        assertThat(w.target()).isEqualTo(14.0);
        assertThat(w.title().en()).contains("demo target 14");
        assertThat(w.thresholdsOrNone().classify(13)).isEqualTo(TileState.Status.OK);
    }

    @Test
    void aUsersOwnSystemPageWins(@TempDir Path tmp) throws Exception {
        Path user = Files.createDirectories(tmp.resolve("user"));
        Files.writeString(user.resolve("system.yaml"), "id: system\ntitle: {en: Mine}\ntiles:\n  - id: a\n    title: {en: A}\n    query: 'up'\n    skin: NUMBER\n");
        Path dir = Demo.siteDashboards(tmp.resolve("dashboards"), user, 150);
        assertThat(DashboardRepository.parse(dir.resolve("system.yaml")).title().en()).isEqualTo("Mine");
    }
}
