package io.andon.server.mes;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimelineTest {
    @Test
    void shippedTimelineLoadsAndStepsPlayInOrder() throws Exception {
        Timeline shipped = Timeline.load(Path.of(System.getProperty("andon.project.dir", "."), "src/server/mes/night-shift.yaml"));
        assertThat(shipped.steps()).hasSizeGreaterThan(3);
        Path f = Files.createTempFile("timeline", ".yaml");
        Files.writeString(f, "repeat: false\nsteps:\n  - {scenario: error-burst, duration: 50ms}\n  - {scenario: night, duration: 50ms}\n  - {scenario: normal, duration: 10ms}\n");
        List<Scenario> seen = new CopyOnWriteArrayList<>();
        Timeline.load(f).play(seen::add).join(5000);
        assertThat(seen).containsExactly(Scenario.ERROR_BURST, Scenario.NIGHT, Scenario.NORMAL);
        Files.writeString(f, "steps:\n  - {scenario: meteor, duration: 1m}\n");
        assertThatThrownBy(() -> Timeline.load(f)).hasMessageContaining("unknown scenario 'meteor'");
        Files.writeString(f, "steps:\n  - {scenario: night, duration: soon}\n");
        assertThatThrownBy(() -> Timeline.load(f)).hasMessageContaining("duration 'soon'");
    }
}
