package io.andon.badinput;

import io.andon.badinput.BadResponses.Api;
import io.andon.badinput.BadResponses.Case;
import io.andon.badinput.BadResponses.Outcome;
import io.andon.logs.LogClient;
import io.andon.logs.LogException;
import io.andon.logs.LogHit;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every catalogue case against {@link LogClient}: the generic ones on {@code health()} (one request), the
 * Elasticsearch ones on {@code search()} ({@code search-} ids: the point in time opens fine, the search answers
 * badly) or {@code health()} ({@code health-} ids).
 */
class ElasticsearchBadResponsesTest {
    static final String PRODUCT = "X-Elastic-Product: Elasticsearch";
    static final String HEALTH = """
            {"cluster_name":"mes","status":"yellow","timed_out":false,"number_of_nodes":1,"number_of_data_nodes":1,
             "active_primary_shards":3,"active_shards":3,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":3,
             "unassigned_primary_shards":0,"delayed_unassigned_shards":0,"number_of_pending_tasks":0,"number_of_in_flight_fetch":0,
             "task_max_waiting_in_queue_millis":0,"active_shards_percent_as_number":50.0}""";
    static final Api API = new Api(HEALTH, List.of(PRODUCT), error("exception", "node is shutting down", 500), "node is shutting down");

    static final String HIT1 = """
            {"_index":"mes-logs-2026.01.01","_id":"a1","_score":null,"_source":{"@timestamp":"2026-01-01T00:00:02Z","level":"ERROR",
             "service":"mes-app","message":"db down","request_id":"r-1"},"sort":[1767225602000,7]}""";
    static final String HIT2 = """
            {"_index":"mes-logs-2026.01.01","_id":"a2","_score":null,"_source":{"@timestamp":"2026-01-01T00:00:01Z","level":"INFO",
             "service":"mes-app","message":"started"},"sort":[1767225601000,3]}""";

    static final Map<Outcome, String> WORDS = Map.ofEntries(
            Map.entry(Outcome.NOT_JSON, "(sent an answer that could not be read \\(HTTP 200\\): not (valid JSON|JSON but|what Elasticsearch sends)|did not answer as Elasticsearch)"),
            Map.entry(Outcome.TRUNCATED, "sent (an empty or cut-off answer|an answer that could not be read)"),
            Map.entry(Outcome.EMPTY, "(sent an empty or cut-off answer|answered HTTP 204 with an empty body|sent an empty answer \\(null\\))"),
            Map.entry(Outcome.WRONG_SHAPE, "(sent an answer that could not be read \\(HTTP 200\\): not what Elasticsearch sends|sent an empty answer \\(null\\)|did not answer as Elasticsearch)"),
            Map.entry(Outcome.HTTP_ERROR, "answered HTTP \\d+: "),
            Map.entry(Outcome.REDIRECT, "answered HTTP 30\\d with a redirect to \\S+, not followed"),
            Map.entry(Outcome.AUTH, "(refused the credentials|requires credentials|denied access) \\(HTTP 40[13]\\)"),
            Map.entry(Outcome.API_ERROR, "(: \\w*exception: |the search could not be run: |no log index matches |is short of memory|is too busy)"),
            Map.entry(Outcome.TOO_LARGE, "response too large: more than 2 MB"),
            Map.entry(Outcome.TIMEOUT, "did not answer (within 3 s|in time)"),
            Map.entry(Outcome.CONNECTION, "(unreachable at 127\\.0\\.0\\.1:\\d+ \\(connection reset\\)|sent something that is not an HTTP answer: |sent an empty or cut-off answer \\(the connection closed)"),
            // the async client cannot always tell a reset mid-body from one before it
            Map.entry(Outcome.CUT, "(sent an empty or cut-off answer|sent a broken answer \\((broken chunked encoding|not valid gzip although declared so)\\)|unreachable at 127\\.0\\.0\\.1:\\d+ \\(connection reset\\))"));
    static final String SOURCE = "(Elasticsearch|no log index matches|the search could not be run)";

    static MockHttp mock;
    static LogClient client;

    @BeforeAll
    static void start() throws Exception {
        mock = new MockHttp((r, x) -> x.respond(200, BadResponses.JSON, HEALTH, PRODUCT));
        client = new LogClient("Elasticsearch", List.of(Endpoint.of(mock.url())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)).withMaxResponseBytes(2L * 1024 * 1024)));
    }

    @AfterAll
    static void stop() {
        client.close();
        mock.close();
    }

    static String error(String type, String reason, int status) {
        return "{\"error\":{\"root_cause\":[{\"type\":\"" + type + "\",\"reason\":\"" + reason + "\"}],\"type\":\"" + type + "\",\"reason\":\""
                + reason + "\"},\"status\":" + status + "}";
    }

    static String searchBody(String shards, String hits, String extra) {
        return "{\"took\":5,\"timed_out\":false,\"pit_id\":\"pit-2\",\"_shards\":" + shards + extra
                + ",\"hits\":{\"total\":{\"value\":2,\"relation\":\"eq\"},\"max_score\":null,\"hits\":[" + hits + "]}}";
    }

    static final String SHARDS_OK = "{\"total\":3,\"successful\":3,\"skipped\":0,\"failed\":0}";
    static final String VALID_SEARCH = searchBody(SHARDS_OK, HIT1 + "," + HIT2, "");

    /** The point in time opens (and closes) fine; the search itself answers with {@code status}, {@code body}. */
    static MockHttp.Behaviour search(int status, String body) {
        return (r, x) -> {
            if (r.path().endsWith("/_pit") && r.method().equals("POST")) x.respond(200, BadResponses.JSON, "{\"id\":\"pit-1\",\"_shards\":" + SHARDS_OK + "}", PRODUCT);
            else if (r.path().endsWith("/_pit")) x.respond(200, BadResponses.JSON, "{\"succeeded\":true,\"num_freed\":1}", PRODUCT);
            else x.respond(status, BadResponses.JSON, body, PRODUCT);
        };
    }

    static Case searchOk(String id, String body, java.util.function.Consumer<LogClient.Page> check) {
        return new Case(id, Outcome.OK, 0, null, search(200, body), r -> check.accept((LogClient.Page) r));
    }

    static Case searchBad(String id, Outcome o, int status, String body, String mention) {
        return new Case(id, o, o == Outcome.AUTH || o == Outcome.HTTP_ERROR ? status : 0, mention, search(status, body), null);
    }

    /**
     * Where this client's answer to a generic case differs, and why: elasticsearch-java insists on a JSON content
     * type (Elasticsearch always sends one, so anything else is someone else's page), and its parser reads one JSON
     * value and stops (the text after a complete answer is never looked at).
     */
    static final Map<String, Outcome> DIFFERENT = Map.of(
            "html-type-json-body", Outcome.NOT_JSON,
            "octet-stream-json-body", Outcome.NOT_JSON,
            "no-content-type-json-body", Outcome.NOT_JSON,
            "malformed-trailing-garbage", Outcome.OK);

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>(BadResponses.generic(API).stream()
                .map(c -> DIFFERENT.containsKey(c.id()) ? new Case(c.id(), DIFFERENT.get(c.id()), c.status(), c.mention(), c.behaviour(), c.check()) : c)
                .toList());
        all.addAll(specific());
        return all.stream();
    }

    static List<Case> specific() {
        List<Case> c = new ArrayList<>();
        c.add(searchOk("search-valid", VALID_SEARCH, ElasticsearchBadResponsesTest::isValidPage));
        c.add(searchOk("search-shards-failed-partially-is-flagged", searchBody("""
                {"total":3,"successful":2,"skipped":0,"failed":1,"failures":[{"shard":1,"index":"mes-logs-2026.01.02","node":"n1",
                 "reason":{"type":"node_not_connected_exception","reason":"[n2] Node not connected"}}]}""", HIT1 + "," + HIT2, ""), p -> {
            isValidPage(p);
            assertThat(p.warnings()).singleElement().asString().contains("1 of 3 shards failed").contains("Node not connected");
        }));
        c.add(searchOk("search-timed-out-is-flagged", searchBody(SHARDS_OK, HIT1 + "," + HIT2, "").replace("\"timed_out\":false", "\"timed_out\":true"), p -> {
            isValidPage(p);
            assertThat(p.warnings()).singleElement().asString().contains("timed out");
        }));
        c.add(searchOk("search-hit-without-source", searchBody(SHARDS_OK, HIT1.replaceAll("\"_source\":\\{[^}]*},", ""), ""), p -> {
            assertThat(p.hits()).singleElement().satisfies(h -> {
                assertThat(h.id()).isEqualTo("a1");
                assertThat(h.message()).isNull();
                assertThat(h.timestamp()).isNull();
            });
        }));
        c.add(searchOk("search-invalid-timestamp-kept-blank", searchBody(SHARDS_OK, HIT1.replace("2026-01-01T00:00:02Z", "yesterday"), ""), p -> {
            assertThat(p.hits()).singleElement().satisfies(h -> {
                assertThat(h.timestamp()).isNull();
                assertThat(h.message()).isEqualTo("db down");
                assertThat(h.fields()).containsEntry("@timestamp", "yesterday");
            });
        }));
        c.add(searchOk("search-odd-unicode-exact", searchBody(SHARDS_OK, HIT1.replace("db down", "\\ufeff库存 \\u202eevil\\u200b 🏭 \\ud800 end"), ""),
                p -> assertThat(p.hits().getFirst().message()).isEqualTo("\uFEFF库存 \u202Eevil\u200B 🏭 \uD800 end")));
        c.add(searchOk("search-huge-number-kept-exact", searchBody(SHARDS_OK, HIT1.replace("\"level\":\"ERROR\"", "\"level\":\"ERROR\",\"qty\":1e400"), ""), p -> {
            LogHit h = p.hits().getFirst();
            // a double would turn it into Infinity, and the NDJSON export into invalid JSON
            assertThat(h.fields().get("qty")).isEqualTo("1E+400");
            assertThat(h.rawJson()).contains("\"qty\":1E+400").doesNotContain("Infinity");
        }));
        c.add(searchOk("search-nan-text-stays-text", searchBody(SHARDS_OK, HIT1.replace("\"level\":\"ERROR\"", "\"level\":\"ERROR\",\"temp\":\"NaN\",\"rate\":\"+Inf\""), ""), p -> {
            assertThat(p.hits().getFirst().fields()).containsEntry("temp", "NaN").containsEntry("rate", "+Inf");
        }));
        c.add(searchBad("search-bare-nan-token", Outcome.NOT_JSON, 200, VALID_SEARCH.replace("\"took\":5", "\"took\":NaN"), null));
        c.add(searchBad("search-took-a-string", Outcome.WRONG_SHAPE, 200, VALID_SEARCH.replace("\"took\":5", "\"took\":\"fast\""), null));
        c.add(searchBad("search-hits-missing", Outcome.WRONG_SHAPE, 200, "{\"took\":5,\"timed_out\":false,\"_shards\":" + SHARDS_OK + "}", null));
        c.add(searchBad("search-hits-an-array", Outcome.WRONG_SHAPE, 200, "{\"took\":5,\"timed_out\":false,\"_shards\":" + SHARDS_OK + ",\"hits\":[]}", null));
        c.add(searchBad("search-index-not-found", Outcome.API_ERROR, 404, """
                {"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [mes-logs-x]","index":"mes-logs-x"}],
                 "type":"index_not_found_exception","reason":"no such index [mes-logs-x]","index":"mes-logs-x"},"status":404}""", "mes-logs-x"));
        c.add(searchBad("search-phase-execution-all-shards-failed", Outcome.API_ERROR, 400, """
                {"error":{"root_cause":[{"type":"query_shard_exception","reason":"failed to create query: For input string: \\"abc\\"","index":"mes-logs-1"}],
                 "type":"search_phase_execution_exception","reason":"all shards failed","phase":"query","grouped":true,
                 "failed_shards":[{"shard":0,"index":"mes-logs-1","reason":{"type":"query_shard_exception","reason":"failed to create query"}}]},"status":400}""",
                "failed to create query"));
        c.add(searchBad("search-too-many-buckets", Outcome.API_ERROR, 400, """
                {"error":{"root_cause":[{"type":"too_many_buckets_exception","reason":"Trying to create too many buckets. Must be less than or equal to: [65536] but this number of buckets was exceeded.","max_buckets":65536}],
                 "type":"search_phase_execution_exception","reason":"all shards failed","phase":"fetch","grouped":true,"failed_shards":[]},"status":400}""",
                "too many buckets"));
        c.add(searchBad("search-circuit-breaking", Outcome.API_ERROR, 429, """
                {"error":{"root_cause":[{"type":"circuit_breaking_exception","reason":"[parent] Data too large, data for [<http_request>] would be [1031/1gb], which is larger than the limit of [1020/1gb]","bytes_wanted":1107296256,"bytes_limit":1095216660,"durability":"TRANSIENT"}],
                 "type":"circuit_breaking_exception","reason":"[parent] Data too large, data for [<http_request>] would be [1031/1gb], which is larger than the limit of [1020/1gb]","bytes_wanted":1107296256,"bytes_limit":1095216660,"durability":"TRANSIENT"},"status":429}""",
                "Data too large"));
        c.add(searchBad("search-rejected-execution", Outcome.API_ERROR, 429,
                error("es_rejected_execution_exception", "rejected execution of TimedRunnable on QueueResizingEsThreadPoolExecutor[name = n1/search, queue capacity = 1000]", 429),
                "queue capacity = 1000"));
        c.add(searchBad("search-parsing-exception", Outcome.API_ERROR, 400, error("parsing_exception", "unknown query [bogus]", 400), "unknown query [bogus]"));
        c.add(searchBad("search-cluster-block-503", Outcome.API_ERROR, 503,
                error("cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];", 503), "state not recovered"));
        c.add(searchBad("search-security-401", Outcome.AUTH, 401, error("security_exception", "unable to authenticate user [andon]", 401), null));
        c.add(searchBad("search-security-403", Outcome.AUTH, 403, error("security_exception", "action [indices:data/read/search] is unauthorized", 403),
                "is unauthorized"));
        c.add(searchBad("search-html-502-from-proxy", Outcome.HTTP_ERROR, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "502 Bad Gateway"));
        c.add(new Case("health-without-product-header", Outcome.WRONG_SHAPE, 0, "did not answer as Elasticsearch",
                (r, x) -> x.respond(200, BadResponses.JSON, HEALTH), null));
        c.add(new Case("health-unknown-status", Outcome.WRONG_SHAPE, 0, null,
                (r, x) -> x.respond(200, BadResponses.JSON, HEALTH.replace("\"yellow\"", "\"purple\""), PRODUCT), null));
        c.add(new Case("health-missing-fields", Outcome.WRONG_SHAPE, 0, null, (r, x) -> x.respond(200, BadResponses.JSON, "{}", PRODUCT), null));
        // issue 22: only "status" is read from the health answer, so an odd field the connection test does not use
        // (or one a newer/older server leaves out) no longer fails it
        c.add(new Case("health-number-as-string", Outcome.OK, 0, null,
                (r, x) -> x.respond(200, BadResponses.JSON, HEALTH.replace("\"number_of_nodes\":1", "\"number_of_nodes\":\"one\""), PRODUCT),
                r -> assertThat(r).isEqualTo("yellow")));
        c.add(new Case("health-array-instead-of-object", Outcome.WRONG_SHAPE, 0, null,
                (r, x) -> x.respond(200, BadResponses.JSON, "[" + HEALTH + "]", PRODUCT), null));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badResponse(Case c) {
        mock.behaviour(c.behaviour());
        LogQuery q = new LogQuery(LogQuery.DEFAULT_INDEX, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T01:00:00Z"), "", Map.of(), Map.of(), false);
        Verdict.Run run = Verdict.run(() -> c.id().startsWith("search-") ? client.search(q, null, 50) : client.health());
        Verdict.judge(c, run, mock, LogException.class, SOURCE, WORDS, r -> assertThat(r).isEqualTo("yellow"));
    }

    static void isValidPage(LogClient.Page p) {
        assertThat(p.total()).isEqualTo(2);
        assertThat(p.hits()).extracting(LogHit::id).containsExactly("a1", "a2");
        assertThat(p.hits().getFirst().timestamp()).isEqualTo(Instant.parse("2026-01-01T00:00:02Z"));
        assertThat(p.hits().getFirst().level()).isEqualTo("ERROR");
        assertThat(p.hits().getFirst().requestId()).isEqualTo("r-1");
        assertThat(p.hits().getLast().message()).isEqualTo("started");
        assertThat(p.next().pitId()).isEqualTo("pit-2");
        assertThat(p.next().searchAfter()).containsExactly(1767225601000L, 3L);
    }

    @Test
    void atLeastSixtyCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(60);
        assertThat(cases().map(Case::id).distinct().count()).as("ids unique").isEqualTo(cases().count());
    }
}
