package io.andon.journal;

import io.andon.net.Endpoint;
import io.andon.net.SiteCa;
import io.andon.stack.Elasticsearch;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import io.andon.stack.StackSecurity;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle's journal role on a secured Elasticsearch (HTTPS, file-realm users, roles.yml made from
 * src/server/elasticsearch/*-role.json): the console's user creates and reads journal entries, but cannot overwrite
 * or delete one, nor write the logs; with the journal role taken away the journal says so and keeps the entries
 * queued, and delivers them once the role is back.
 */
@Tag("integration")
@Timeout(400)
class JournalRoleTest {
    @Test
    void theConsoleUserWritesTheJournalOnlyThroughItsRole(@TempDir Path state) throws Exception {
        try (Stack stack = new Stack(StackOptions.forTests().withLabel("journal-role").withSecurity())) {
            Elasticsearch es = stack.elasticsearch();
            StackSecurity sec = stack.security();
            es.admin("PUT", "/_index_template/andon-journal", Files.readString(Path.of(System.getProperty("andon.project.dir", "."),
                    "src/server/elasticsearch/andon-journal-template.json")));
            Endpoint ep = Endpoint.of(es.baseUri().toString()).withAuth(Endpoint.Auth.basic(StackSecurity.ES_READER, sec.esReaderPassword().toCharArray()))
                    .withCa(sec.pki().caCert()).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(10));
            String fp = "fp-role-" + UUID.randomUUID();
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            JournalEntry e1 = new JournalEntry(UUID.randomUUID().toString(), t0, JournalEntry.Action.ACK, "li.wei", "desk-1", "P01", fp,
                    Map.of("alertname", "DatabaseDown", "plant", "P01"), "DBA on it", null, "s-1");
            try (ElasticsearchJournal j = new ElasticsearchJournal("Elasticsearch", List.of(ep), state, Duration.ofMillis(200), Duration.ofSeconds(2))) {
                j.append(e1);
                await("delivered as the console user", Duration.ofSeconds(20), () -> j.status().queued() == 0 && j.status().ok());
                es.admin("POST", "/andon-journal-*/_refresh", null);
                assertThat(j.forAlert(fp)).containsExactly(e1);

                // least privilege, as the console user: no overwrite, no delete, no writing the logs
                HttpClient http = HttpClient.newBuilder().sslContext(SiteCa.load(sec.pki().caCert()).context()).build();
                String auth = "Basic " + Base64.getEncoder().encodeToString((StackSecurity.ES_READER + ":" + sec.esReaderPassword()).getBytes(StandardCharsets.UTF_8));
                String index = JournalCodec.index(e1);
                assertThat(status(http, auth, "PUT", es.baseUri() + "/" + index + "/_doc/" + e1.id(), "{\"id\":\"x\"}")).as("overwrite").isEqualTo(403);
                assertThat(status(http, auth, "DELETE", es.baseUri() + "/" + index + "/_doc/" + e1.id(), null)).as("delete").isEqualTo(403);
                assertThat(status(http, auth, "POST", es.baseUri() + "/mes-logs-role/_doc", "{\"message\":\"x\"}")).as("write logs").isEqualTo(403);
                // a wildcard resolves to the indices the user may delete from: none (refused as a bad request, not run)
                assertThat(status(http, auth, "POST", es.baseUri() + "/andon-journal-*/_delete_by_query", "{\"query\":{\"match_all\":{}}}"))
                        .as("delete by query").isIn(400, 403);
                assertThat(status(http, auth, "POST", es.baseUri() + "/" + index + "/_delete_by_query", "{\"query\":{\"match_all\":{}}}"))
                        .as("delete by query on the index").isIn(400, 403);
                es.admin("POST", "/andon-journal-*/_refresh", null);
                assertThat(j.forAlert(fp)).as("untouched").containsExactly(e1);

                // the site forgot the journal role: the file realm drops it within seconds
                Path usersRoles = es.dir().resolve("config/users_roles");
                String full = Files.readString(usersRoles);
                assertThat(full).contains(StackSecurity.ES_JOURNAL_ROLE + ":" + StackSecurity.ES_READER);
                Files.writeString(usersRoles, full.lines().filter(l -> !l.startsWith(StackSecurity.ES_JOURNAL_ROLE + ":")).reduce("", (a, b) -> a + b + "\n"));
                JournalEntry e2 = new JournalEntry(UUID.randomUUID().toString(), t0.plusSeconds(1), JournalEntry.Action.NOTE, "li.wei", "desk-1", "P01", fp,
                        Map.of("alertname", "DatabaseDown", "plant", "P01"), "failover started", null, null);
                // the realm reloads its files every 5 s: keep appending until the refusal shows, each entry kept
                int appended = 0;
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                j.append(e2);
                appended++;
                while (j.status().ok() && System.nanoTime() < end) {
                    Thread.sleep(1000);
                    if (j.status().queued() == 0) {
                        JournalEntry more = new JournalEntry(UUID.randomUUID().toString(), t0.plusSeconds(1 + appended), JournalEntry.Action.NOTE, "li.wei",
                                "desk-1", "P01", fp, Map.of(), "note " + appended, null, null);
                        j.append(more);
                        appended++;
                    }
                }
                String problem = j.status().problem();
                System.out.println("journal: without the journal role → " + problem);
                assertThat(problem).contains("denied").contains("HTTP 403").contains("andon_journal").contains("stay queued");
                assertThat(j.status().queued()).isEqualTo(1);
                Files.writeString(usersRoles, full);
                await("delivered once the role is back", Duration.ofSeconds(30), () -> j.status().queued() == 0 && j.status().ok());
                es.admin("POST", "/andon-journal-*/_refresh", null);
                List<JournalEntry> all = j.forAlert(fp);
                assertThat(all).hasSize(appended + 1);
                assertThat(all.getFirst()).isEqualTo(e1);
                assertThat(all).contains(e2);
            }
        }
    }

    static int status(HttpClient http, String auth, String method, String url, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static void await(String what, Duration max, BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(100);
        }
    }
}
