package io.andon.badinput;

import io.andon.badinput.BadResponses.Api;
import io.andon.badinput.BadResponses.Case;
import io.andon.badinput.BadResponses.Outcome;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceException;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryResult;
import io.andon.prometheus.Sample;
import io.andon.prometheus.Series;
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
 * Every catalogue case against {@link PrometheusClient}: instant queries ({@code query}) and, for the cases whose
 * id starts with {@code range-}, range queries. Timeouts are short (read 2 s, call 3 s) so the slow cases stay
 * fast; the response cap is 2 MB so the 50 MB cases show it.
 */
class PrometheusBadResponsesTest {
    static final String VALID = """
            {"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"__name__":"up","job":"mes"},"value":[1700000000.5,"1"]},
            {"metric":{"__name__":"up","job":"db"},"value":[1700000000.5,"0"]}]}}""";
    static final Api API = new Api(VALID, List.of(),
            "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"storage is read-only: disk full\"}", "storage is read-only: disk full");
    static final Instant T = Instant.ofEpochSecond(1700000000L, 500_000_000);

    static final Map<Outcome, String> WORDS = Map.ofEntries(
            Map.entry(Outcome.NOT_JSON, "answered HTTP 200 with (no Prometheus JSON|malformed JSON)"),
            Map.entry(Outcome.TRUNCATED, "answered HTTP 200 with truncated JSON"),
            Map.entry(Outcome.EMPTY, "with an empty body"),
            Map.entry(Outcome.WRONG_SHAPE, "answered HTTP \\d+ with (no Prometheus JSON|an unreadable result|no resultType|unknown resultType|unknown status|resultType .* for a range query|success in an HTTP error)"),
            Map.entry(Outcome.HTTP_ERROR, "answered HTTP \\d+ with "),
            Map.entry(Outcome.REDIRECT, "answered HTTP 30\\d with a redirect to \\S+, not followed"),
            Map.entry(Outcome.AUTH, "(refused the credentials|requires credentials|denied access) \\(HTTP 40[13]\\)"),
            Map.entry(Outcome.API_ERROR, "rejected the request \\(\\w+\\): "),
            Map.entry(Outcome.TOO_LARGE, "response too large: more than 2 MB"),
            Map.entry(Outcome.TIMEOUT, "did not answer within [23] s"),
            Map.entry(Outcome.CONNECTION, "unreachable at 127\\.0\\.0\\.1:\\d+ \\(connection failed: (connection reset|connection closed early|not an HTTP answer: )"),
            Map.entry(Outcome.CUT, "answered HTTP 200 with a broken body \\((connection reset|connection closed early|broken chunked encoding|not valid gzip although declared so)\\)"));

    static MockHttp mock;
    static PrometheusClient client;

    @BeforeAll
    static void start() throws Exception {
        mock = new MockHttp((r, x) -> x.respond(200, "application/json", VALID));
        Endpoint ep = Endpoint.of(mock.url()).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3))
                .withMaxResponseBytes(2L * 1024 * 1024);
        client = new PrometheusClient("Prometheus", ep, new HttpSource.Retry(2, Duration.ofMillis(10)));
    }

    @AfterAll
    static void stop() { mock.close(); }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>(BadResponses.generic(API));
        all.addAll(specific());
        return all.stream();
    }

    static String vector(String results) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + results + "]}}";
    }

    static String one(String metric, String value) {
        return vector("{\"metric\":" + metric + ",\"value\":" + value + "}");
    }

    static List<Case> specific() {
        List<Case> c = new ArrayList<>();
        c.add(ok("nan-and-infinities", API, vector("""
                {"metric":{"k":"nan"},"value":[1700000000.5,"NaN"]},{"metric":{"k":"pinf"},"value":[1700000000.5,"+Inf"]},
                {"metric":{"k":"ninf"},"value":[1700000000.5,"-Inf"]}"""), r -> {
            List<Sample> s = ((QueryResult) r).samples();
            assertThat(s).hasSize(3);
            assertThat(s.get(0).value()).isNaN();
            assertThat(s.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(s.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        }));
        c.add(ok("warnings-array-kept", API, """
                {"status":"success","warnings":["partial response: store 2 down","query hit the sample limit"],
                 "data":{"resultType":"vector","result":[]}}""", r -> {
            QueryResult q = (QueryResult) r;
            assertThat(q.warnings()).containsExactly("partial response: store 2 down", "query hit the sample limit");
            assertThat(q.samples()).as("no invented samples").isEmpty();
        }));
        c.add(ok("warning-as-a-single-string-kept", API, """
                {"status":"success","warnings":"partial response","data":{"resultType":"vector","result":[]}}""",
                r -> assertThat(((QueryResult) r).warnings()).containsExactly("partial response")));
        c.add(ok("string-result", API, "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1700000000.5,\"hello\"]}}", r -> {
            QueryResult q = (QueryResult) r;
            assertThat(q.stringValue()).contains("hello");
            assertThat(q.samples()).isEmpty();
        }));
        c.add(ok("scalar-result", API, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.5,\"42.5\"]}}",
                r -> assertThat(((QueryResult) r).samples()).containsExactly(new Sample(Map.of(), T, 42.5))));
        c.add(ok("matrix-unsorted-duplicate-timestamps-kept-as-sent", API, """
                {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"mes"},
                 "values":[[1700000003,"3"],[1700000001,"1"],[1700000001,"1.5"]]}]}}""", r -> {
            Series s = ((QueryResult) r).series().getFirst();
            assertThat(s.points()).extracting(Series.Point::value).containsExactly(3.0, 1.0, 1.5);
            assertThat(s.points()).extracting(p -> p.time().getEpochSecond()).containsExactly(1700000003L, 1700000001L, 1700000001L);
        }));
        c.add(ok("empty-vector-is-empty", API, vector(""), r -> assertThat(((QueryResult) r).isEmpty()).isTrue()));
        c.add(ok("odd-unicode-labels-exact", API, one(
                "{\"bom\":\"\\ufeffA\",\"lone\":\"x\\ud800y\",\"rtl\":\"\\u202eevil\",\"zw\":\"a\\u200bb\",\"emoji\":\"🏭 line 2 \\ud83d\\udd25\",\"zh\":\"上海一厂\"}",
                "[1700000000.5,\"1\"]"), r -> assertThat(((QueryResult) r).samples().getFirst().labels()).isEqualTo(Map.of(
                "bom", "\uFEFFA", "lone", "x\uD800y", "rtl", "\u202Eevil", "zw", "a\u200Bb", "emoji", "🏭 line 2 \uD83D\uDD25", "zh", "上海一厂"))));
        c.add(ok("value-as-json-number-read", API, one("{}", "[1700000000.5,1.5]"),
                r -> assertThat(((QueryResult) r).samples().getFirst().value()).isEqualTo(1.5)));
        c.add(ok("value-1e400-is-infinite", API, one("{}", "[1700000000.5,\"1e400\"]"),
                r -> assertThat(((QueryResult) r).samples().getFirst().value()).isEqualTo(Double.POSITIVE_INFINITY)));
        c.add(json("duplicate-keys", Outcome.NOT_JSON, API, 200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]},\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}}")
                .mentioning("duplicate key 'data'"));
        c.add(json("timestamp-1e400", Outcome.WRONG_SHAPE, API, 200, one("{}", "[1e400,\"1\"]")).mentioning("timestamp out of range"));
        c.add(json("timestamp-as-string", Outcome.WRONG_SHAPE, API, 200, one("{}", "[\"1700000000\",\"1\"]")).mentioning("timestamp is not a number"));
        c.add(json("value-not-a-number", Outcome.WRONG_SHAPE, API, 200, one("{}", "[1700000000,\"abc\"]")).mentioning("not a number: 'abc'"));
        c.add(json("value-an-object", Outcome.WRONG_SHAPE, API, 200, one("{}", "[1700000000,{\"v\":1}]")).mentioning("sample value is not a number: {\"v\":1}"));
        c.add(json("value-null", Outcome.WRONG_SHAPE, API, 200, one("{}", "[1700000000,null]")).mentioning("value missing"));
        c.add(json("value-pair-missing", Outcome.WRONG_SHAPE, API, 200, vector("{\"metric\":{}}")).mentioning("expected [time, value]"));
        c.add(json("label-value-null", Outcome.WRONG_SHAPE, API, 200, one("{\"job\":null}", "[1700000000,\"1\"]")).mentioning("label 'job'"));
        c.add(json("label-value-object", Outcome.WRONG_SHAPE, API, 200, one("{\"job\":{\"a\":1}}", "[1700000000,\"1\"]")).mentioning("label 'job'"));
        c.add(json("missing-data", Outcome.WRONG_SHAPE, API, 200, "{\"status\":\"success\"}").mentioning("no resultType"));
        c.add(json("data-null", Outcome.WRONG_SHAPE, API, 200, "{\"status\":\"success\",\"data\":null}").mentioning("no resultType"));
        c.add(json("result-not-a-list", Outcome.WRONG_SHAPE, API, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}")
                .mentioning("expected a list"));
        c.add(json("unknown-result-type", Outcome.WRONG_SHAPE, API, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"histogram\",\"result\":[]}}")
                .mentioning("'histogram'"));
        c.add(json("vector-type-matrix-body", Outcome.WRONG_SHAPE, API, 200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"values\":[[1,\"1\"]]}]}}").mentioning("expected [time, value]"));
        c.add(json("range-gets-vector", Outcome.WRONG_SHAPE, API, 200, VALID).mentioning("matrix expected"));
        c.add(json("range-gets-string", Outcome.WRONG_SHAPE, API, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"x\"]}}")
                .mentioning("matrix expected"));
        c.add(json("array-instead-of-object", Outcome.WRONG_SHAPE, API, 200, "[" + VALID + "]"));
        c.add(json("status-missing", Outcome.WRONG_SHAPE, API, 200, "{\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
        c.add(json("status-a-number", Outcome.WRONG_SHAPE, API, 200, "{\"status\":1,\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
        c.add(json("status-unknown", Outcome.WRONG_SHAPE, API, 200, "{\"status\":\"partial\",\"data\":{}}").mentioning("unknown status 'partial'"));
        c.add(json("success-inside-http-500", Outcome.WRONG_SHAPE, API, 500, VALID).mentioning("success in an HTTP error"));
        c.add(json("error-bad-data-400", Outcome.API_ERROR, API, 400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:4: parse error: unexpected \\\"}\\\"\"}").mentioning("bad_data): 1:4: parse error"));
        c.add(json("error-execution-422", Outcome.API_ERROR, API, 422,
                "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples into memory\"}")
                .mentioning("too many samples"));
        c.add(json("error-timeout-503", Outcome.API_ERROR, API, 503,
                "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}").mentioning("(timeout): query timed out"));
        c.add(json("error-without-reason", Outcome.API_ERROR, API, 400, "{\"status\":\"error\"}").mentioning("no reason given"));
        c.add(json("error-fields-null", Outcome.API_ERROR, API, 400, "{\"status\":\"error\",\"errorType\":null,\"error\":null}").mentioning("no reason given"));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badResponse(Case c) {
        mock.behaviour(c.behaviour());
        boolean range = c.id().startsWith("range-");
        Verdict.Run run = Verdict.run(() -> range
                ? client.queryRange("up", T.minusSeconds(60), T, Duration.ofSeconds(15))
                : client.query("up"));
        Verdict.judge(c, run, mock, SourceException.class, "Prometheus ", WORDS, PrometheusBadResponsesTest::isValid);
        if (c.outcome() == Outcome.TOO_LARGE) {
            assertThat(run.allocatedBytes()).as("the caller never held the 50 MB").isLessThan(24L * 1024 * 1024);
        }
        if (run.error() instanceof SourceException e && (c.outcome() == Outcome.TIMEOUT || c.outcome() == Outcome.TOO_LARGE)) {
            assertThat(e.kind()).isEqualTo(c.outcome() == Outcome.TIMEOUT ? SourceException.Kind.TIMEOUT : SourceException.Kind.TOO_LARGE);
        }
    }

    static void isValid(Object r) {
        assertThat(((QueryResult) r).samples()).containsExactly(
                new Sample(Map.of("__name__", "up", "job", "mes"), T, 1.0),
                new Sample(Map.of("__name__", "up", "job", "db"), T, 0.0));
    }

    @Test
    void atLeastSixtyCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(60);
        assertThat(cases().map(Case::id).distinct().count()).as("ids unique").isEqualTo(cases().count());
    }
}
