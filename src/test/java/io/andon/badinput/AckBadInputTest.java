package io.andon.badinput;

import io.andon.alertmanager.AckKeeper;
import io.andon.alertmanager.Acknowledger;
import io.andon.alertmanager.Alert;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.journal.Journal;
import io.andon.journal.JournalEntry;
import io.andon.net.Endpoint;
import io.andon.net.SourceException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An Alertmanager behind a proxy that lets this user read but not write (the harness has one user only, so a
 * mock): acknowledging, un-acknowledging and the keeper's renewal say so clearly, journal nothing, and lose nothing.
 * The real Alertmanager's own validation error is in AckSharedTest.
 */
class AckBadInputTest {
    static final String ACK_SILENCE = """
            [{"id":"s-ack","matchers":[{"name":"alertname","value":"DbDown","isRegex":false,"isEqual":true},
              {"name":"plant","value":"sh1","isRegex":false,"isEqual":true},{"name":"severity","value":"critical","isRegex":false,"isEqual":true}],
              "startsAt":"%s","endsAt":"%s","createdBy":"lead","comment":"ACK! on it","status":{"state":"active"}}]""";

    static final class Entries implements Journal {
        final List<JournalEntry> list = new CopyOnWriteArrayList<>();
        @Override public void append(JournalEntry e) { list.add(e); }
        @Override public List<JournalEntry> forAlert(String fp) { return List.of(); }
        @Override public List<JournalEntry> between(Instant a, Instant b) { return List.of(); }
    }

    @Test
    void aReadOnlyAlertmanagerIsNamedAndNothingIsJournaled() throws Exception {
        Instant now = Instant.now();
        String silences = ACK_SILENCE.formatted(now.minusSeconds(600), now.plusSeconds(60)); // ends within the renewal margin
        List<String> writes = new CopyOnWriteArrayList<>();
        try (JdkMockServer am = new JdkMockServer(x -> {
            String path = x.getRequestURI().getPath();
            String body;
            int status = 200;
            if (x.getRequestMethod().equals("GET") && path.endsWith("/api/v2/alerts")) {
                body = AlertmanagerBadResponsesTest.VALID;
            } else if (x.getRequestMethod().equals("GET") && path.endsWith("/api/v2/silences")) {
                body = silences;
            } else {
                writes.add(x.getRequestMethod() + " " + path);
                status = 403;
                body = "Forbidden: read-only user";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "text/plain");
            x.sendResponseHeaders(status, b.length);
            x.getResponseBody().write(b);
        })) {
            AlertmanagerPool pool = new AlertmanagerPool(List.of(new AlertmanagerClient("Alertmanager", Endpoint.of(am.url())
                    .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))));
            Entries journal = new Entries();
            Acknowledger ack = new Acknowledger(pool, journal, "console-a", AckKeeper.DEFAULT_HOLD, Clock.systemUTC());
            Alert alert = pool.fetch().alerts().getFirst();

            assertThatThrownBy(() -> ack.acknowledge(List.of(alert), "lead", "db failover"))
                    .isInstanceOf(SourceException.class).hasMessageContaining("Alertmanager").hasMessageContaining("403");
            assertThatThrownBy(() -> ack.unacknowledge(List.of(alert), "lead"))
                    .isInstanceOf(SourceException.class).hasMessageContaining("Alertmanager").hasMessageContaining("HTTP 403");
            assertThat(journal.list).as("an action that did not happen is not journaled").isEmpty();

            // the keeper cannot renew: reported, nothing thrown, the poll goes on
            var r = pool.fetch();
            AckKeeper.Report rep = new AckKeeper(pool).keep(r.alerts(), r.silences());
            assertThat(rep.renewed()).isEmpty();
            assertThat(rep.errors()).singleElement().asString().contains("403");
            assertThat(writes).contains("POST /api/v2/silences", "DELETE /api/v2/silence/s-ack");
        }
    }
}
