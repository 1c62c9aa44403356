package io.andon.badinput;

import io.andon.alertmanager.Alert;
import io.andon.alertmanager.AlertGroup;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.alertmanager.ClusterStatus;
import io.andon.alertmanager.Silence;
import io.andon.badinput.BadResponses.Api;
import io.andon.badinput.BadResponses.Case;
import io.andon.badinput.BadResponses.Outcome;
import io.andon.net.Endpoint;
import io.andon.net.SourceException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.andon.badinput.BadResponses.json;
import static io.andon.badinput.BadResponses.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every catalogue case against {@link AlertmanagerClient} ({@code alerts()} unless the id names another call:
 * {@code silences-}, {@code status-}, {@code groups-}, {@code create-}) and, for {@code pool-} cases, against an
 * {@link AlertmanagerPool} where the bad mock is one member (the other a well-behaved mock) or both.
 */
class AlertmanagerBadResponsesTest {
    static final String ALERT = """
            {"fingerprint":"f1","labels":{"alertname":"DbDown","severity":"critical","plant":"sh1"},"annotations":{"summary":"db down"},
             "startsAt":"2026-01-01T00:00:00Z","endsAt":"2026-01-01T01:00:00Z","updatedAt":"2026-01-01T00:00:05Z",
             "status":{"state":"active","silencedBy":[],"inhibitedBy":[]},"receivers":[{"name":"ops"}],"generatorURL":"http://prom/graph"}""";
    static final String VALID = "[" + ALERT + "]";
    static final String SILENCES = """
            [{"id":"s1","matchers":[{"name":"plant","value":"sh1","isRegex":false,"isEqual":true}],"startsAt":"2026-01-01T00:00:00Z",
              "endsAt":"2026-01-02T00:00:00Z","createdBy":"ops","comment":"maintenance","status":{"state":"active"}}]""";
    static final Api API = new Api(VALID, List.of(), "{\"code\":500,\"message\":\"alert store unavailable\"}", "alert store unavailable");
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static final String CONNECTION = "unreachable at 127\\.0\\.0\\.1:\\d+ \\(connection failed: (connection reset|connection closed early|not an HTTP answer: )";
    static final Map<Outcome, String> WORDS = Map.ofEntries(
            Map.entry(Outcome.NOT_JSON, "sent no valid JSON"),
            Map.entry(Outcome.TRUNCATED, "sent a cut-off JSON body"),
            Map.entry(Outcome.EMPTY, "answered HTTP 20[04] with an empty body"),
            Map.entry(Outcome.WRONG_SHAPE, "(sent unreadable (alerts|silences|status|alert groups) \\(|answered without a silence ID)"),
            Map.entry(Outcome.HTTP_ERROR, "answered HTTP \\d+: "),
            Map.entry(Outcome.REDIRECT, "answered HTTP 30\\d with a redirect to \\S+, not followed"),
            Map.entry(Outcome.AUTH, "(refused the credentials|requires credentials|denied access) \\(HTTP 40[13]\\)"),
            Map.entry(Outcome.API_ERROR, "(answered HTTP 500: |rejected the silence: )"),
            Map.entry(Outcome.TOO_LARGE, "response too large: more than 2 MB"),
            Map.entry(Outcome.TIMEOUT, "did not answer within [23] s"),
            Map.entry(Outcome.CONNECTION, CONNECTION),
            Map.entry(Outcome.CUT, "answered HTTP 200 with a broken body \\((connection reset|connection closed early|broken chunked encoding|not valid gzip although declared so)\\)"));

    static MockHttp mock;
    static MockHttp good;
    static AlertmanagerClient client;
    static AlertmanagerClient second;
    static AlertmanagerClient healthy;

    static AlertmanagerClient client(String name, MockHttp m) {
        return new AlertmanagerClient(name, Endpoint.of(m.url()).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3))
                .withMaxResponseBytes(2L * 1024 * 1024));
    }

    @BeforeAll
    static void start() throws Exception {
        mock = new MockHttp((r, x) -> x.respond(200, BadResponses.JSON, VALID));
        good = new MockHttp((r, x) -> x.respond(200, BadResponses.JSON, r.path().endsWith("/silences") ? SILENCES : VALID));
        client = client("Alertmanager", mock);
        second = client("Alertmanager-b", mock);
        healthy = client("Alertmanager-ok", good);
    }

    @AfterAll
    static void stop() {
        mock.close();
        good.close();
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>(BadResponses.generic(API));
        all.addAll(specific());
        return all.stream();
    }

    static String alert(String replace, String with) {
        String a = ALERT.replace(replace, with);
        if (a.equals(ALERT)) throw new IllegalArgumentException("no " + replace);
        return "[" + a + "]";
    }

    @SuppressWarnings("unchecked")
    static List<Alert> alerts(Object r) { return (List<Alert>) r; }

    static List<Case> specific() {
        List<Case> c = new ArrayList<>();
        c.add(ok("alert-without-fingerprint-kept", API, alert("\"fingerprint\":\"f1\",", ""), r -> {
            assertThat(alerts(r)).hasSize(1);
            assertThat(alerts(r).getFirst().fingerprint()).isEmpty();
            assertThat(alerts(r).getFirst().name()).isEqualTo("DbDown");
        }));
        c.add(ok("alert-without-labels", API, alert("\"labels\":{\"alertname\":\"DbDown\",\"severity\":\"critical\",\"plant\":\"sh1\"},", ""), r -> {
            assertThat(alerts(r).getFirst().labels()).isEmpty();
            assertThat(alerts(r).getFirst().name()).isEqualTo("?");
            assertThat(alerts(r).getFirst().annotations()).containsEntry("summary", "db down");
        }));
        // issue 22: a time that is there but unreadable is neither invented nor silently null: that alert is reported
        // and skipped, the one beside it kept; alone in the list it leaves nothing to show (a bad answer)
        c.add(ok("alert-invalid-dates-skip-that-alert-only", API,
                "[" + ALERT.replace("\"fingerprint\":\"f1\"", "\"fingerprint\":\"f0\"") + ","
                        + alert("\"startsAt\":\"2026-01-01T00:00:00Z\"", "\"startsAt\":\"yesterday\"").replace("\"endsAt\":\"2026-01-01T01:00:00Z\"", "\"endsAt\":12345").substring(1), r -> {
                    assertThat(alerts(r)).singleElement().satisfies(a -> {
                        assertThat(a.fingerprint()).isEqualTo("f0");
                        assertThat(a.startsAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
                        assertThat(a.updatedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
                    });
                }));
        c.add(json("alert-invalid-dates-alone", Outcome.WRONG_SHAPE, API, 200,
                alert("\"startsAt\":\"2026-01-01T00:00:00Z\"", "\"startsAt\":\"yesterday\"")).mentioning("startsAt is not an RFC 3339 time: 'yesterday'"));
        c.add(ok("alert-dates-with-offset-and-nanos", API,
                alert("\"startsAt\":\"2026-01-01T00:00:00Z\"", "\"startsAt\":\"2026-01-01T08:00:00.123456789+08:00\""),
                r -> assertThat(alerts(r).getFirst().startsAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456789Z"))));
        c.add(ok("alert-odd-unicode-labels-exact", API,
                alert("\"plant\":\"sh1\"", "\"plant\":\"\\ufeff上海\\u200b一厂 \\u202eevil 🏭\",\"lone\":\"\\udc00\""), r -> {
                    assertThat(alerts(r).getFirst().labels()).containsEntry("plant", "\uFEFF上海\u200B一厂 \u202Eevil 🏭").containsEntry("lone", "\uDC00");
                }));
        c.add(ok("alert-receivers-as-strings", API, alert("[{\"name\":\"ops\"}]", "[\"ops\",\"pager\"]"),
                r -> assertThat(alerts(r).getFirst().receivers()).containsExactly("ops", "pager")));
        c.add(ok("alerts-empty-list", API, "[]", r -> assertThat(alerts(r)).isEmpty()));
        c.add(ok("alert-label-number-is-its-text", API, alert("\"plant\":\"sh1\"", "\"plant\":1e400,\"line\":7"),
                r -> assertThat(alerts(r).getFirst().labels()).containsEntry("line", "7").containsKey("plant")));
        c.add(json("alert-label-null", Outcome.WRONG_SHAPE, API, 200, alert("\"plant\":\"sh1\"", "\"plant\":null")).mentioning("label 'plant' is not a string"));
        c.add(json("alert-labels-nested-object", Outcome.WRONG_SHAPE, API, 200, alert("\"plant\":\"sh1\"", "\"plant\":{\"id\":1}")).mentioning("label 'plant'"));
        c.add(json("alerts-list-of-numbers", Outcome.WRONG_SHAPE, API, 200, "[1,2,3]").mentioning("an alert that is not an object: 1"));
        c.add(json("alerts-wrapped-in-object", Outcome.WRONG_SHAPE, API, 200, "{\"alerts\":" + VALID + "}").mentioning("not a list of alerts"));
        c.add(json("alerts-duplicate-keys", Outcome.NOT_JSON, API, 200, alert("\"fingerprint\":\"f1\",", "\"fingerprint\":\"f1\",\"fingerprint\":\"f2\","))
                .mentioning("duplicate key 'fingerprint'"));
        c.add(json("alerts-bad-filter-400", Outcome.HTTP_ERROR, API, 400, "\"bad matcher format: plant=~\"").mentioning("bad matcher format"));
        c.add(ok("silences-valid", API, SILENCES, r -> {
            @SuppressWarnings("unchecked") List<Silence> s = (List<Silence>) r;
            assertThat(s).containsExactly(new Silence("s1", List.of(Silence.Matcher.equal("plant", "sh1")), START, Instant.parse("2026-01-02T00:00:00Z"),
                    "ops", "maintenance", "active"));
        }));
        c.add(ok("silences-invalid-regex-kept-as-text", API, SILENCES.replace("\"value\":\"sh1\",\"isRegex\":false", "\"value\":\"(sh[\",\"isRegex\":true"), r -> {
            @SuppressWarnings("unchecked") List<Silence> s = (List<Silence>) r;
            assertThat(s.getFirst().matchers().getFirst()).isEqualTo(new Silence.Matcher("plant", "(sh[", true, true));
        }));
        c.add(json("silences-matcher-without-name", Outcome.WRONG_SHAPE, API, 200, SILENCES.replace("\"name\":\"plant\",", ""))
                .mentioning("matcher without name or value"));
        c.add(json("silences-matcher-value-null", Outcome.WRONG_SHAPE, API, 200, SILENCES.replace("\"value\":\"sh1\"", "\"value\":null"))
                .mentioning("matcher without name or value"));
        c.add(json("silences-matchers-a-string", Outcome.WRONG_SHAPE, API, 200,
                SILENCES.replace("[{\"name\":\"plant\",\"value\":\"sh1\",\"isRegex\":false,\"isEqual\":true}]", "\"plant=sh1\"")).mentioning("no list of matchers"));
        c.add(json("silences-matchers-empty", Outcome.WRONG_SHAPE, API, 200,
                SILENCES.replace("[{\"name\":\"plant\",\"value\":\"sh1\",\"isRegex\":false,\"isEqual\":true}]", "[]")).mentioning("no list of matchers"));
        c.add(json("silences-not-a-list", Outcome.WRONG_SHAPE, API, 200, "{\"silences\":[]}").mentioning("not a list of silences"));
        c.add(json("status-without-cluster", Outcome.WRONG_SHAPE, API, 200, "{\"versionInfo\":{\"version\":\"0.25.0\"}}").mentioning("not a status object"));
        c.add(json("status-a-list", Outcome.WRONG_SHAPE, API, 200, "[]").mentioning("not a status object"));
        c.add(ok("status-odd-but-readable", API, "{\"cluster\":{\"name\":\"c1\",\"status\":\"settling\",\"peers\":[]},\"uptime\":\"not a date\"}", r -> {
            ClusterStatus s = (ClusterStatus) r;
            assertThat(s.state()).isEqualTo("settling");
            assertThat(s.uptime()).as("no invented uptime").isNull();
            assertThat(s.version()).isEqualTo("unknown");
        }));
        c.add(json("groups-not-objects", Outcome.WRONG_SHAPE, API, 200, "[\"g1\"]").mentioning("a group that is not an object"));
        c.add(ok("groups-valid", API, "[{\"labels\":{\"alertname\":\"DbDown\"},\"receiver\":{\"name\":\"ops\"},\"alerts\":" + VALID + "}]", r -> {
            @SuppressWarnings("unchecked") List<AlertGroup> g = (List<AlertGroup>) r;
            assertThat(g).hasSize(1);
            assertThat(g.getFirst().receiver()).isEqualTo("ops");
            isValid(g.getFirst().alerts());
        }));
        c.add(json("create-rejected-plain-text-400", Outcome.API_ERROR, API, 400, "\"silence invalid: invalid label matcher 0: invalid label name \\\"\\\"\"")
                .mentioning("invalid label matcher"));
        c.add(json("create-rejected-json-422", Outcome.API_ERROR, API, 422, "{\"code\":602,\"message\":\"endsAt in body is required\"}")
                .mentioning("endsAt in body is required"));
        c.add(json("create-ok-without-silence-id", Outcome.WRONG_SHAPE, API, 200, "{}").mentioning("without a silence ID"));
        c.add(ok("create-ok-with-id", API, "{\"silenceID\":\"7c3e\"}", r -> assertThat(r).isEqualTo("7c3e")));
        // the pool: one member gives a bad answer, the other is fine; or both are bad
        c.add(new Case("pool-one-member-html-502", Outcome.OK, 0, null,
                (r, x) -> x.respond(502, "text/html", "<h1>502 Bad Gateway</h1>"), r -> {
            AlertmanagerPool.Result p = (AlertmanagerPool.Result) r;
            isValid(p.alerts());
            assertThat(p.memberErrors()).singleElement().asString().startsWith("Alertmanager answered HTTP 502: 502 Bad Gateway");
            assertThat(p.health()).extracting(AlertmanagerPool.MemberHealth::up).containsExactly(false, true);
        }));
        c.add(new Case("pool-one-member-trickles", Outcome.OK, 0, null, (r, x) -> {
            x.head(200, "Content-Type: application/json", "Content-Length: 30");
            for (int i = 0; i < 30; i++) {
                x.write(i == 0 ? "[" : " ");
                x.pause(1000);
            }
        }, r -> {
            AlertmanagerPool.Result p = (AlertmanagerPool.Result) r;
            isValid(p.alerts());
            assertThat(p.memberErrors()).singleElement().asString().containsPattern("did not answer within [23] s");
        }));
        c.add(new Case("pool-one-member-without-fingerprints", Outcome.OK, 0, null, (r, x) -> x.respond(200, BadResponses.JSON,
                r.path().endsWith("/silences") ? "[]" : "[" + ALERT.replace("\"fingerprint\":\"f1\",", "") + ","
                        + ALERT.replace("\"fingerprint\":\"f1\",", "").replace("DbDown", "DiskFull") + "]"), r -> {
            AlertmanagerPool.Result p = (AlertmanagerPool.Result) r;
            // two different alerts without a fingerprint must not collapse into one; the healthy member's f1 is the third
            assertThat(p.alerts()).extracting(Alert::name).containsExactlyInAnyOrder("DbDown", "DiskFull", "DbDown");
            assertThat(p.memberErrors()).isEmpty();
        }));
        c.add(new Case("pool-all-members-reset", Outcome.CONNECTION, 0, null, (r, x) -> x.reset(), null));
        c.add(new Case("pool-all-members-not-json", Outcome.NOT_JSON, 0, "Alertmanager-b sent no valid JSON",
                (r, x) -> x.respond(200, "text/plain", "OK"), null));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badResponse(Case c) {
        mock.behaviour(c.behaviour());
        String id = c.id();
        Verdict.Run run = Verdict.run(() -> {
            if (id.startsWith("silences-")) return client.silences();
            if (id.startsWith("status-")) return client.status();
            if (id.startsWith("groups-")) return client.alertGroups();
            if (id.startsWith("create-")) {
                return client.createSilence(List.of(Silence.Matcher.equal("plant", "sh1")), START, START.plusSeconds(3600), "ops", "test");
            }
            if (id.startsWith("pool-")) {
                try (AlertmanagerPool pool = new AlertmanagerPool(id.startsWith("pool-all-") ? List.of(client, second) : List.of(client, healthy))) {
                    return pool.fetch();
                }
            }
            return client.alerts();
        });
        Verdict.judge(c, run, mock, SourceException.class, "Alertmanager", WORDS, r -> isValid(alerts(r)));
        if (c.outcome() == Outcome.TOO_LARGE) {
            assertThat(run.allocatedBytes()).as("the caller never held the 50 MB").isLessThan(24L * 1024 * 1024);
        }
    }

    static void isValid(List<Alert> a) {
        assertThat(a).hasSize(1);
        Alert x = a.getFirst();
        assertThat(x.fingerprint()).isEqualTo("f1");
        assertThat(x.labels()).isEqualTo(Map.of("alertname", "DbDown", "severity", "critical", "plant", "sh1"));
        assertThat(x.annotations()).isEqualTo(Map.of("summary", "db down"));
        assertThat(x.startsAt()).isEqualTo(START);
        assertThat(x.endsAt()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
        assertThat(x.state()).isEqualTo("active");
        assertThat(x.receivers()).containsExactly("ops");
        assertThat(x.generatorUrl()).isEqualTo("http://prom/graph");
    }

    @Test
    void atLeastSixtyCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(60);
        assertThat(cases().map(Case::id).distinct().count()).as("ids unique").isEqualTo(cases().count());
    }
}
