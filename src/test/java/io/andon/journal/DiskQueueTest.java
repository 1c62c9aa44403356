package io.andon.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The journal's disk queue alone: order, confirmation, restart, a line torn by a crash, a second console on the same dir. */
class DiskQueueTest {
    @Test
    void linesComeBackInOrderAndOnlyConfirmedOnesAreDroppedAcrossARestart(@TempDir Path dir) throws IOException {
        try (DiskQueue q = new DiskQueue(dir)) {
            for (int i = 0; i < 5; i++) q.append("{\"n\":" + i + "}");
            List<DiskQueue.Line> lines = q.read(100);
            assertThat(lines).extracting(DiskQueue.Line::text).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
            assertThat(q.read(2)).hasSize(2);
            q.confirm(lines.get(1).end()); // the store took the first two
            assertThat(q.size()).isEqualTo(3);
            assertThat(q.read(100)).extracting(DiskQueue.Line::text).containsExactly("{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
        }
        // a new console process: the same three, in order
        try (DiskQueue q = new DiskQueue(dir)) {
            assertThat(q.size()).isEqualTo(3);
            List<DiskQueue.Line> lines = q.read(100);
            assertThat(lines).extracting(DiskQueue.Line::text).containsExactly("{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
            q.confirm(lines.getLast().end());
            assertThat(q.size()).isZero();
            assertThat(Files.size(dir.resolve("journal-queue.ndjson"))).as("emptied once all is delivered").isZero();
            q.append("{\"n\":5}");
            assertThat(q.read(100)).extracting(DiskQueue.Line::text).containsExactly("{\"n\":5}");
        }
    }

    @Test
    void aLineTornByACrashIsSetAsideAndTheRestKept(@TempDir Path dir) throws IOException {
        try (DiskQueue q = new DiskQueue(dir)) {
            q.append("{\"n\":1}");
            q.append("{\"n\":2}");
        }
        Files.writeString(dir.resolve("journal-queue.ndjson"), "{\"n\":3, \"note\": \"cut of", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (DiskQueue q = new DiskQueue(dir)) {
            assertThat(q.read(100)).extracting(DiskQueue.Line::text).containsExactly("{\"n\":1}", "{\"n\":2}");
            assertThat(Files.readString(q.rejectedFile())).contains("cut off by a crash").contains("{\"n\":3, \"note\": \"cut of");
            q.append("{\"n\":4}");
            assertThat(q.read(100)).extracting(DiskQueue.Line::text).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":4}");
        }
    }

    @Test
    void aSecondConsoleOnTheSameStateDirIsToldSo(@TempDir Path dir) throws IOException {
        try (DiskQueue q = new DiskQueue(dir)) {
            assertThatThrownBy(() -> new DiskQueue(dir)).isInstanceOf(IOException.class).hasMessageContaining("in use by another console");
        }
        assertThatThrownBy(() -> new DiskQueue(dir).append("a\nb")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codecKeepsUserTextAsStringsAndRejectsUnreadableDocuments() throws IOException {
        var e = new JournalEntry("id-1", java.time.Instant.parse("2026-12-06T08:00:00.123456789Z"), JournalEntry.Action.NOTE, "u\"}", "c", "P01", "fp",
                java.util.Map.of("a\"b", "{\"x\":1}"), "\"}, {\"delete\": {}}", null, null);
        var doc = JournalCodec.document(e);
        assertThat(JournalCodec.entry(JournalCodec.JSON.readTree(doc.toString()))).isEqualTo(e);
        assertThat(JournalCodec.index(e)).isEqualTo("andon-journal-2026.12");
        assertThatThrownBy(() -> JournalCodec.entry(JournalCodec.JSON.readTree("{\"id\":\"x\",\"@timestamp\":\"2026-12-06T08:00:00Z\",\"action\":\"DANCE\"}")))
                .hasMessageContaining("unknown action 'DANCE'");
        assertThatThrownBy(() -> JournalCodec.entry(JournalCodec.JSON.readTree("{\"id\":\"x\",\"@timestamp\":\"yesterday\",\"action\":\"NOTE\"}")))
                .hasMessageContaining("unreadable time");
        assertThatThrownBy(() -> JournalCodec.entry(JournalCodec.JSON.readTree("[1]"))).hasMessageContaining("not a JSON object");
    }
}
