package io.andon.prometheus;

import io.andon.net.HttpSource;
import io.andon.net.SourceError;
import io.andon.net.SourceException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Prometheus API envelope and every result type, read from the JSON the server sends. */
class PromJsonTest {
    private static HttpSource.Reply ok(String body) { return new HttpSource.Reply(200, "application/json", body); }

    @Test
    void vectorWithNanAndInfinitiesAndExactTimes() throws Exception {
        QueryResult r = PromJson.query("P", ok("""
                {"status":"success","data":{"resultType":"vector","result":[
                 {"metric":{"k":"a"},"value":[1700000000.123,"NaN"]},{"metric":{"k":"b"},"value":[1700000000.123,"+Inf"]},
                 {"metric":{"k":"c"},"value":[1700000000.123,"-Inf"]},{"metric":{"k":"d"},"value":[1700000000,"-1.5e-3"]}]}}"""));
        assertThat(r.resultType()).isEqualTo("vector");
        assertThat(r.samples()).extracting(Sample::value).containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0015);
        assertThat(r.samples().getFirst().time()).isEqualTo(Instant.ofEpochSecond(1700000000, 123_000_000));
        assertThat(r.samples().get(1).labels()).isEqualTo(Map.of("k", "b"));
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void scalarStringAndMatrix() throws Exception {
        QueryResult scalar = PromJson.query("P", ok("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000001.5,\"42\"]}}"));
        assertThat(scalar.samples()).singleElement().satisfies(s -> {
            assertThat(s.value()).isEqualTo(42.0);
            assertThat(s.labels()).isEmpty();
            assertThat(s.time().toEpochMilli()).isEqualTo(1700000001500L);
        });
        QueryResult string = PromJson.query("P", ok("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1700000001,\"hello\"]}}"));
        assertThat(string.samples()).isEmpty();
        assertThat(string.stringValue()).contains("hello");
        QueryResult matrix = PromJson.query("P", ok("""
                {"status":"success","data":{"resultType":"matrix","result":[
                 {"metric":{"job":"x"},"values":[[1700000000,"1"],[1700000015,"2"],[1700000030,"NaN"]]},
                 {"metric":{"job":"y"},"values":[]}]}}"""));
        assertThat(matrix.series()).hasSize(2);
        assertThat(matrix.series().getFirst().points()).extracting(Series.Point::value).containsExactly(1.0, 2.0, Double.NaN);
        assertThat(matrix.samples()).as("the newest point of each non-empty series").singleElement()
                .satisfies(s -> assertThat(s.time()).isEqualTo(Instant.ofEpochSecond(1700000030)));
    }

    @Test
    void warningsAndInfosAreKept() throws Exception {
        QueryResult r = PromJson.query("P", ok("""
                {"status":"success","warnings":["result may be partial: store x down"],"infos":["PromQL info: metric might not be a counter"],
                 "data":{"resultType":"vector","result":[]}}"""));
        assertThat(r.warnings()).containsExactly("result may be partial: store x down", "PromQL info: metric might not be a counter");
        assertThat(r.isEmpty()).isTrue();
    }

    @Test
    void errorEnvelopeBecomesApiError() {
        assertThatThrownBy(() -> PromJson.query("Prometheus", new HttpSource.Reply(400, "application/json",
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected right brace\"}")))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.error()).isEqualTo(new SourceError.ApiError("bad_data", "1:5: parse error: unexpected right brace"));
                    assertThat(e.getMessage()).isEqualTo("Prometheus rejected the request (bad_data): 1:5: parse error: unexpected right brace");
                });
        assertThatThrownBy(() -> PromJson.query("P", new HttpSource.Reply(503, "application/json",
                "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"too many queries\"}")))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(((SourceError.ApiError) e.error()).type()).isEqualTo("unavailable"));
    }

    @Test
    void brokenPayloadsAreBadResponses() {
        for (String body : new String[]{
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"abc\"]}]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1]}]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"histogram\",\"result\":[]}}",
                "{\"status\":\"success\",\"data\":{}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[\"soon\",\"1\"]}]}}",
                "{\"status\":\"maybe\"}", "[1,2]", "\"success\""}) {
            assertThatThrownBy(() -> PromJson.query("P", ok(body))).as(body)
                    .isInstanceOfSatisfying(SourceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SourceException.Kind.BAD_RESPONSE);
                        assertThat(e.getMessage()).startsWith("P answered HTTP 200 with ");
                    });
        }
        assertThatThrownBy(() -> PromJson.query("P", ok("{\"status\":\"success\",\"data\":{\"resultType\":\"vec")))
                .hasMessageContaining("truncated JSON");
        assertThatThrownBy(() -> PromJson.query("P", ok("{\"status\":\"success\",}}"))).hasMessageContaining("malformed JSON");
    }

    @Test
    void rangeMustBeAMatrix() throws Exception {
        assertThat(PromJson.range("P", ok("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"a\":\"1\"},\"values\":[[1,\"+Inf\"]]}]}}")).series())
                .singleElement().satisfies(s -> assertThat(s.points().getFirst().value()).isInfinite());
        assertThatThrownBy(() -> PromJson.range("P", ok("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")))
                .hasMessageContaining("matrix expected");
    }

    @Test
    void rulesWithGroupsHealthStateAndAlerts() throws Exception {
        var groups = PromJson.rules("P", ok("""
                {"status":"success","data":{"groups":[{"name":"slo","file":"/r/slo.yml","interval":15,"limit":0,
                  "evaluationTime":0.0125,"lastEvaluation":"2026-11-25T06:00:01.5+08:00","rules":[
                   {"name":"slo:burn_rate:1h","query":"x / 0.001","health":"ok","evaluationTime":0.001,"lastEvaluation":"2026-11-25T06:00:01Z","type":"recording","labels":{}},
                   {"name":"ErrorBudgetBurnFast","query":"slo:burn_rate:1h > 14.4","duration":120,"labels":{"severity":"critical"},
                    "annotations":{"summary":"fast burn"},"health":"err","lastError":"vector contains metrics with the same labelset",
                    "state":"firing","evaluationTime":0.002,"lastEvaluation":"0001-01-01T00:00:00Z","type":"alerting",
                    "alerts":[{"labels":{"alertname":"ErrorBudgetBurnFast","slo":"errors"},"annotations":{"summary":"fast burn"},
                               "state":"firing","activeAt":"2026-11-25T05:58:00Z","value":"1.5e+01"}]}]}]}}"""));
        RuleGroup g = groups.getFirst();
        assertThat(g.name()).isEqualTo("slo");
        assertThat(g.interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(g.evaluationTime()).isEqualTo(Duration.ofNanos(12_500_000));
        assertThat(g.lastEvaluation()).contains(Instant.parse("2026-11-24T22:00:01.5Z"));
        assertThat(g.rules()).hasSize(2);
        RuleGroup.Rule alerting = g.rules().get(1);
        assertThat(alerting.type()).isEqualTo(RuleGroup.Rule.Type.ALERTING);
        assertThat(alerting.health()).isEqualTo("err");
        assertThat(alerting.lastError()).contains("same labelset");
        assertThat(alerting.state()).isEqualTo("firing");
        assertThat(alerting.lastEvaluation()).as("year 1 means never").isEmpty();
        assertThat(alerting.alerts()).singleElement().satisfies(a -> {
            assertThat(a.value()).isEqualTo(15.0);
            assertThat(a.labels()).containsEntry("slo", "errors");
            assertThat(a.activeAt()).contains(Instant.parse("2026-11-25T05:58:00Z"));
        });
        assertThat(g.rules().getFirst().type()).isEqualTo(RuleGroup.Rule.Type.RECORDING);
    }

    @Test
    void activeTargets() throws Exception {
        var targets = PromJson.targets("P", ok("""
                {"status":"success","data":{"activeTargets":[
                 {"discoveredLabels":{},"labels":{"instance":"127.0.0.1:9090","job":"prometheus"},"scrapePool":"prometheus",
                  "scrapeUrl":"http://127.0.0.1:9090/metrics","lastError":"","lastScrape":"2026-11-25T06:00:00.123456789Z",
                  "lastScrapeDuration":0.004,"health":"up"},
                 {"labels":{"instance":"10.0.0.9:9400","job":"andon-exporter"},"scrapePool":"andon-exporter","lastError":"connection refused",
                  "lastScrape":"0001-01-01T00:00:00Z","lastScrapeDuration":0,"health":"unknown"}],"droppedTargets":[]}}"""));
        assertThat(targets).hasSize(2);
        assertThat(targets.getFirst().job()).isEqualTo("prometheus");
        assertThat(targets.getFirst().lastScrape()).isEqualTo(Instant.parse("2026-11-25T06:00:00.123456789Z"));
        assertThat(targets.getFirst().lastScrapeDuration()).isEqualTo(Duration.ofMillis(4));
        assertThat(targets.get(1).lastScrape()).isNull();
        assertThat(targets.get(1).lastError()).isEqualTo("connection refused");
        assertThat(targets.get(1).health()).isEqualTo("unknown");
    }
}
