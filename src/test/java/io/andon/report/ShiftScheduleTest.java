package io.andon.report;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShiftScheduleTest {
    private static final ZoneId SH = ZoneId.of("Asia/Shanghai");

    @Test
    void defaultThreeShiftsInTheSiteZone() {
        ShiftSchedule s = ShiftSchedule.defaults(SH);
        Shift early = s.startingAt("P01", LocalDateTime.parse("2026-12-06T08:00"));
        assertThat(early.name()).isEqualTo("early");
        assertThat(early.start()).isEqualTo(ZonedDateTime.of(2026, 12, 6, 8, 0, 0, 0, SH));
        assertThat(early.end()).isEqualTo(ZonedDateTime.of(2026, 12, 6, 16, 0, 0, 0, SH));
        Shift late = s.next(early);
        assertThat(late.name()).isEqualTo("late");
        Shift night = s.next(late);
        assertThat(night.name()).isEqualTo("night");
        assertThat(night.start()).isEqualTo(ZonedDateTime.of(2026, 12, 7, 0, 0, 0, 0, SH));
        assertThat(night.end()).isEqualTo(ZonedDateTime.of(2026, 12, 7, 8, 0, 0, 0, SH));
        assertThat(early.fileId()).isEqualTo("P01-2026-12-06T0800");
    }

    @Test
    void shiftAtAnInstantAndTheLastEnded() {
        ShiftSchedule s = ShiftSchedule.defaults(SH);
        Instant t = ZonedDateTime.of(2026, 12, 6, 3, 0, 0, 0, SH).toInstant();
        assertThat(s.at(null, t).name()).isEqualTo("night");
        assertThat(s.at(null, t).start().toLocalDate()).hasToString("2026-12-06");
        Shift last = s.lastEnded(null, t);
        assertThat(last.name()).isEqualTo("late");
        assertThat(last.end()).isEqualTo(ZonedDateTime.of(2026, 12, 6, 0, 0, 0, 0, SH));
        // exactly at a boundary the new shift runs, the old one has ended
        Instant eight = ZonedDateTime.of(2026, 12, 6, 8, 0, 0, 0, SH).toInstant();
        assertThat(s.at(null, eight).name()).isEqualTo("early");
        assertThat(s.lastEnded(null, eight).name()).isEqualTo("night");
    }

    @Test
    void perPlantOverrideAndDaylightSaving() {
        ShiftSchedule s = ShiftSchedule.parse("""
                zone: Asia/Shanghai
                plants:
                  P02: {zone: Europe/Berlin, shifts: [{name: day, start: "06:00"}, {name: night, start: "18:00"}]}
                """, "test");
        assertThat(s.plan("P01").zone()).isEqualTo(SH);
        Shift night = s.startingAt("P02", LocalDateTime.parse("2026-03-28T18:00"));
        // the night Berlin moves its clocks forward is one hour shorter
        assertThat(night.length()).hasHours(11);
        assertThat(s.plantsWithOverride()).containsExactly("P02");
    }

    @Test
    void badConfigurationIsNamed() {
        assertThatThrownBy(() -> ShiftSchedule.parse("zone: Mars/Olympus", "shifts.yaml")).hasMessageContaining("shifts.yaml").hasMessageContaining("Mars/Olympus");
        assertThatThrownBy(() -> ShiftSchedule.parse("shifts: [{start: '25:00'}]", "shifts.yaml")).hasMessageContaining("25:00");
        assertThatThrownBy(() -> ShiftSchedule.parse("shifts: [{start: '08:00'}, {start: '08:00'}]", "f")).hasMessageContaining("08:00");
        assertThatThrownBy(() -> ShiftSchedule.defaults(SH).startingAt(null, LocalDateTime.parse("2026-12-06T09:00")))
                .hasMessageContaining("09:00").hasMessageContaining("08:00");
    }

    @Test
    void missingFileMeansDefaults() throws Exception {
        Path dir = Files.createTempDirectory("andon-shifts");
        assertThat(ShiftSchedule.load(dir).plan(null).starts()).hasSize(3);
    }
}
