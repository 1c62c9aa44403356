package io.andon.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.net.Endpoint;
import io.andon.stack.Elasticsearch;
import io.andon.stack.Stack;
import io.andon.stack.StackExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator journal on the real Elasticsearch with the bundle's index template: entries come back exactly as
 * written (user text with JSON syntax, CJK, quotes), paging past 10 000, an Elasticsearch stopped mid-run (entries
 * queued on disk, a console restart in between, delivered once when it is back), and an index that refuses writes.
 */
@Tag("integration")
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class ElasticsearchJournalTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration FAST = Duration.ofMillis(200);
    static Stack stack;
    static Elasticsearch es;

    @BeforeAll
    static void template(Stack s) throws Exception {
        stack = s;
        es = s.elasticsearch();
        es.admin("PUT", "/_index_template/andon-journal", Files.readString(Path.of(System.getProperty("andon.project.dir", "."),
                "src/server/elasticsearch/andon-journal-template.json")));
    }

    static ElasticsearchJournal open(Path dir) throws JournalException {
        return new ElasticsearchJournal("Elasticsearch", List.of(Endpoint.of(es.baseUri().toString()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))),
                dir, FAST, Duration.ofSeconds(2));
    }

    static JournalEntry entry(String fp, Instant at, JournalEntry.Action a, String note) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "MESDatabaseDown");
        labels.put("plant", "苏州-1");
        labels.put("severity", "critical");
        labels.put("odd", "\"}, {\"match_all\": {}} \\ ");
        return new JournalEntry(UUID.randomUUID().toString(), at, a, "li.wei", "wall-2", "苏州-1", fp, labels, note,
                a == JournalEntry.Action.SHELVE ? at.plus(Duration.ofHours(1)) : null, a == JournalEntry.Action.ACK ? "silence-" + fp : null);
    }

    static void await(String what, Duration max, BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(100);
        }
    }

    static long count(String fp) throws Exception {
        es.admin("POST", "/andon-journal-*/_refresh", null);
        String q = JSON.createObjectNode().set("query", JSON.createObjectNode().set("term", JSON.createObjectNode().put("fingerprint", fp))).toString();
        return JSON.readTree(es.admin("POST", "/andon-journal-*/_count", q)).path("count").asLong();
    }

    /** The _ids of a fingerprint's documents (as stored, not as read back by the journal). */
    static List<String> ids(String fp) throws Exception {
        es.admin("POST", "/andon-journal-*/_refresh", null);
        var body = JSON.createObjectNode().put("size", 10_000);
        body.set("query", JSON.createObjectNode().set("term", JSON.createObjectNode().put("fingerprint", fp)));
        body.putArray("_source").add("id");
        List<String> out = new ArrayList<>();
        for (JsonNode h : JSON.readTree(es.admin("POST", "/andon-journal-*/_search", body.toString())).path("hits").path("hits")) {
            assertThat(h.path("_source").path("id").asText()).as("document id = entry id").isEqualTo(h.path("_id").asText());
            out.add(h.path("_id").asText());
        }
        return out;
    }

    @Test
    @Order(1)
    void entriesComeBackExactlyAsWritten(@TempDir Path state) throws Exception {
        String fp = "fp-exact-" + UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);
        List<JournalEntry> written = List.of(
                entry(fp, t0, JournalEntry.Action.ACK, "DB 主库 down: \"failover\" running, see {\"ticket\": 42}\nline two"),
                entry(fp, t0.plusMillis(1), JournalEntry.Action.NOTE, "zero\u200Bwidth 🏭 עברית"),
                entry(fp, t0.plusSeconds(5), JournalEntry.Action.SHELVE, "maintenance"),
                entry(fp, t0.plusSeconds(9), JournalEntry.Action.UNACK, null),
                new JournalEntry(UUID.randomUUID().toString(), t0.plusSeconds(10), JournalEntry.Action.FLOOD_START, "system", "wall-2", null,
                        null, Map.of(), "14 new alarms in 10 min", null, null));
        try (ElasticsearchJournal j = open(state)) {
            // appended out of order: read back sorted by time
            for (int i = written.size() - 1; i >= 0; i--) j.append(written.get(i));
            await("delivered", Duration.ofSeconds(20), () -> j.status().queued() == 0);
            assertThat(j.status().problem()).isNull();
            es.admin("POST", "/andon-journal-*/_refresh", null);
            assertThat(j.forAlert(fp)).isEqualTo(written.subList(0, 4));
            List<JournalEntry> window = j.between(t0, t0.plusSeconds(10)).stream().filter(e -> fp.equals(e.fingerprint())).toList();
            assertThat(window).isEqualTo(written.subList(0, 4));
            assertThat(j.between(t0, t0.plusSeconds(11))).contains(written.get(4));
            assertThat(j.between(t0.plusSeconds(5), t0.plusSeconds(6))).isEqualTo(List.of(written.get(2)));
            assertThat(ids(fp)).containsExactlyInAnyOrderElementsOf(written.subList(0, 4).stream().map(JournalEntry::id).toList());
            // the index the template made: strict mapping, labels flattened (no field per label name)
            JsonNode mapping = JSON.readTree(es.admin("GET", "/" + JournalCodec.index(written.getFirst()) + "/_mapping", null));
            JsonNode props = mapping.elements().next().path("mappings");
            assertThat(props.path("dynamic").asText()).isEqualTo("strict");
            assertThat(props.path("properties").path("labels").path("type").asText()).isEqualTo("flattened");
            // the same entry appended again (a redelivery after a crash) is stored once
            j.append(written.getFirst());
            await("redelivered", Duration.ofSeconds(20), () -> j.status().queued() == 0);
            assertThat(count(fp)).isEqualTo(4);
        }
    }

    @Test
    @Order(2)
    void readsPagePastTenThousand(@TempDir Path state) throws Exception {
        String fp = "fp-many-" + UUID.randomUUID();
        int n = 10_050;
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600);
        StringBuilder bulk = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // pairs share a timestamp: the id breaks the tie, so no page boundary drops or repeats one
            JournalEntry e = new JournalEntry(String.format("id-%06d", i), t0.plusMillis(i / 2), JournalEntry.Action.NOTE, "u", "c", "p", fp,
                    Map.of("alertname", "A"), "n" + i, null, null);
            JsonNode action = JSON.createObjectNode().set("create", JSON.createObjectNode().put("_index", JournalCodec.index(e)).put("_id", e.id()));
            bulk.append(action.toString()).append('\n')
                    .append(JournalCodec.document(e)).append('\n');
            expected.add(e.id());
        }
        JsonNode r = JSON.readTree(es.admin("POST", "/_bulk?refresh=true", bulk.toString()));
        assertThat(r.path("errors").asBoolean()).isFalse();
        try (ElasticsearchJournal j = open(state)) {
            long t = System.nanoTime();
            List<JournalEntry> got = j.forAlert(fp);
            System.out.printf("journal: forAlert read %,d entries in %d ms%n", got.size(), (System.nanoTime() - t) / 1_000_000);
            assertThat(got.stream().map(JournalEntry::id).toList()).isEqualTo(expected);
            assertThat(got.get(9_999).note()).isEqualTo("n9999");
        }
    }

    @Test
    @Order(3)
    void anIndexThatRefusesWritesKeepsEntriesQueuedAndSaysWhy(@TempDir Path state) throws Exception {
        String fp = "fp-blocked-" + UUID.randomUUID();
        // an index of its own (an old month) so the block does not disturb the other tests
        Instant old = Instant.parse("2019-03-15T08:00:00Z");
        String index = JournalCodec.index(entry(fp, old, JournalEntry.Action.NOTE, "x"));
        try (ElasticsearchJournal j = open(state)) {
            JournalEntry first = entry(fp, old, JournalEntry.Action.NOTE, "before the block");
            j.append(first);
            await("first delivered", Duration.ofSeconds(20), () -> j.status().queued() == 0);
            es.admin("PUT", "/" + index + "/_settings", "{\"index.blocks.write\": true}");
            List<JournalEntry> blocked = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                JournalEntry e = entry(fp, old.plusSeconds(i + 1), JournalEntry.Action.ACK, "while blocked " + i);
                blocked.add(e);
                j.append(e);
            }
            await("refusal reported", Duration.ofSeconds(20), () -> j.status().problem() != null);
            String problem = j.status().problem();
            System.out.println("journal: refused writes → " + problem);
            assertThat(problem).contains("refuses writes").contains(index).contains("blocked").contains("entries stay queued");
            await("all 5 queued", Duration.ofSeconds(5), () -> j.status().queued() == 5);
            Thread.sleep(1500); // a few retries: still refused, still queued
            assertThat(j.status().queued()).isEqualTo(5);
            assertThat(count(fp)).isEqualTo(1);
            // the console still shows them (from the queue)
            assertThat(j.forAlert(fp)).hasSize(6);
            es.admin("PUT", "/" + index + "/_settings", "{\"index.blocks.write\": false}");
            await("delivered after the block is lifted", Duration.ofSeconds(20), () -> j.status().queued() == 0 && j.status().ok());
            es.admin("POST", "/andon-journal-*/_refresh", null);
            assertThat(j.forAlert(fp).subList(1, 6)).isEqualTo(blocked);
            assertThat(count(fp)).isEqualTo(6);
        } finally {
            es.admin("DELETE", "/" + index, null);
        }
    }

    @Test
    @Order(4)
    void anElasticsearchOutageQueuesOnDiskAcrossARestartAndDeliversOnce(@TempDir Path state) throws Exception {
        String fp = "fp-outage-" + UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<JournalEntry> all = new ArrayList<>();
        ElasticsearchJournal j = open(state);
        try {
            for (int i = 0; i < 20; i++) {
                JournalEntry e = entry(fp, t0.plusMillis(i), JournalEntry.Action.NOTE, "before " + i);
                all.add(e);
                j.append(e);
            }
            await("first 20 delivered", Duration.ofSeconds(20), () -> j.status().queued() == 0);
            stack.stopService("elasticsearch", false);
            for (int i = 0; i < 30; i++) {
                JournalEntry e = entry(fp, t0.plusMillis(100 + i), JournalEntry.Action.ACK, "during the outage " + i);
                all.add(e);
                j.append(e);
                if (i == 14) {
                    ElasticsearchJournal jj = j;
                    await("outage reported", Duration.ofSeconds(20), () -> jj.status().problem() != null);
                }
            }
            System.out.println("journal: outage → " + j.status().problem());
            assertThat(j.status().problem()).contains("unreachable").contains("stay queued");
            assertThat(j.status().queued()).isEqualTo(30);
            // the console shows its own entries during the outage? reads need the store: a clear message
            ElasticsearchJournal jj = j;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> jj.forAlert(fp)).isInstanceOf(JournalException.class).hasMessageContaining("unreachable");
        } finally {
            j.close(); // the console is closed during the outage
        }
        assertThat(Files.size(state.resolve("journal-queue.ndjson"))).isPositive();
        stack.startAgain("elasticsearch");
        long t = System.nanoTime();
        try (ElasticsearchJournal again = open(state)) { // a new console process picks the queue up
            assertThat(again.status().queued()).isEqualTo(30);
            await("queue delivered after the restart", Duration.ofSeconds(60), () -> again.status().queued() == 0);
            System.out.printf("journal: 30 queued entries delivered %d ms after Elasticsearch answered again%n", (System.nanoTime() - t) / 1_000_000);
            List<String> stored = ids(fp);
            assertThat(stored).hasSize(50);
            assertThat(new HashSet<>(stored)).hasSize(50);
            assertThat(again.forAlert(fp)).isEqualTo(all);
            assertThat(Files.size(state.resolve("journal-queue.ndjson"))).isZero();
        }
    }
}
