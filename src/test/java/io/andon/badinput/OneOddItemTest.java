package io.andon.badinput;

import io.andon.alertmanager.AlertGroup;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.AlertmanagerPool;
import io.andon.alertmanager.Silence;
import io.andon.net.Endpoint;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryResult;
import io.andon.prometheus.RangeResult;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule of docs/architecture.md, "one item that can't be read is reported and skipped, never a reason to drop the
 * whole answer, and never dropped silently", on real answers from the corpus (src/test/resources/upstream/) with one
 * item made odd the way issue 22 met them: a label whose value is null, a silence with no matchers, an Alertmanager
 * time that is not RFC 3339, a native histogram beside float series. Each case checks the other items are all there
 * with their values, and that the odd one is named in what the page shows.
 */
class OneOddItemTest {
    static String upstream(String path) throws Exception {
        try (InputStream in = OneOddItemTest.class.getResourceAsStream("/upstream/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static JdkMockServer serve(Function<String, String> bodyForPath) throws Exception {
        return new JdkMockServer(x -> {
            x.getRequestBody().readAllBytes();
            String b = bodyForPath.apply(x.getRequestURI().getPath());
            byte[] out = (b == null ? "404 page not found" : b).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", b == null ? "text/plain" : "application/json");
            x.sendResponseHeaders(b == null ? 404 : 200, out.length);
            x.getResponseBody().write(out);
        });
    }

    static String replaceOnce(String s, String what, String with) {
        int i = s.indexOf(what);
        if (i < 0) throw new IllegalArgumentException("fixture has no " + what);
        return s.substring(0, i) + with + s.substring(i + what.length());
    }

    @Test
    void aLabelWithANullValueCostsThatSeriesOnly() throws Exception {
        String body = replaceOnce(upstream("prometheus/openapi-query-vector.json"), "\"env\": \"demo\"", "\"env\": null");
        try (JdkMockServer s = serve(p -> body)) {
            QueryResult r = new PrometheusClient("Prometheus", Endpoint.of(s.url())).query("up");
            assertThat(r.samples()).singleElement().satisfies(x -> {
                assertThat(x.labels()).containsEntry("job", "prometheus");
                assertThat(x.value()).isEqualTo(1.0);
            });
            assertThat(r.unreadable()).singleElement().asString().startsWith("series 2").contains("label 'env' is not a string");
            assertThat(r.warnings()).containsExactly("1 series could not be read: " + r.unreadable().getFirst());
        }
    }

    @Test
    void aNativeHistogramBesideFloatSeriesIsReadNotFatal() throws Exception {
        // the result lists of two real answers in one: what a 3.x server sends for a selector matching both kinds
        String floats = upstream("prometheus/openapi-query-vector.json");
        String hist = upstream("prometheus/openapi-query-native-histogram.json");
        String item = hist.substring(hist.indexOf("[{") + 1, hist.lastIndexOf("]}}"));
        String body = replaceOnce(floats, "\"result\": [", "\"result\": [" + item + ", ");
        try (JdkMockServer s = serve(p -> body)) {
            QueryResult r = new PrometheusClient("Prometheus", Endpoint.of(s.url())).query("{job=~\".+\"}");
            assertThat(r.samples()).extracting(x -> x.labels().get("job")).containsExactly("prometheus", "alertmanager");
            assertThat(r.histograms()).singleElement().satisfies(h -> assertThat(h.histogram().count()).isEqualTo(12.5));
            assertThat(r.unreadable()).isEmpty();
        }
    }

    @Test
    void anUnreadableSeriesInARangeIsNamedAndTheRestKept() throws Exception {
        String body = replaceOnce(upstream("prometheus/api-md-query_range.json"), "[ 1435781445.781, \"0\" ]", "[ 1435781445.781, \"zero\" ]");
        try (JdkMockServer s = serve(p -> body)) {
            RangeResult r = new PrometheusClient("Prometheus", Endpoint.of(s.url())).range("up", Instant.ofEpochSecond(1435781430), Instant.ofEpochSecond(1435781460), Duration.ofSeconds(15));
            assertThat(r.series()).singleElement().satisfies(x -> assertThat(x.points()).hasSize(3));
            assertThat(r.unreadable()).singleElement().asString().contains("series 2").contains("job=node").contains("'zero'");
            assertThat(r.warnings()).singleElement().asString().startsWith("1 series could not be read: series 2");
        }
    }

    @Test
    void everySeriesUnreadableIsABadAnswerNotNoData() throws Exception {
        String body = upstream("prometheus/api-md-query.json").replace("\"job\" : \"prometheus\"", "\"job\" : null").replace("\"job\" : \"node\"", "\"job\" : null");
        try (JdkMockServer s = serve(p -> body)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PrometheusClient("Prometheus", Endpoint.of(s.url())).query("up"))
                    .hasMessageContaining("none of 2 series could be read").hasMessageContaining("label 'job'");
        }
    }

    @Test
    void aSilenceWithoutMatchersIsReportedAndSkipped() throws Exception {
        String silences = upstream("karma/am-0.31.0-silences.json");
        // the second silence's matchers emptied
        int second = silences.indexOf("dcb3b5d0-9f10-4baa-977a-70073a1899bd");
        int from = silences.indexOf("\"matchers\": [", second);
        int to = silences.indexOf("],", from);
        String body = silences.substring(0, from) + "\"matchers\": []," + silences.substring(to + 2);
        try (JdkMockServer s = serve(p -> p.endsWith("/silences") ? body : "[]")) {
            AlertmanagerClient am = new AlertmanagerClient("Alertmanager", Endpoint.of(s.url()));
            AlertmanagerClient.Listing<Silence> l = am.readSilences();
            assertThat(l.items()).extracting(Silence::id).containsExactly("810ccf7f-c957-474a-b383-7e76d66a4d3b", "9bd58938-25fd-41c5-aba3-9bc373074484");
            assertThat(l.unreadable()).singleElement().asString().contains("dcb3b5d0-9f10-4baa-977a-70073a1899bd").contains("no list of matchers");
            // the alerts page shows the pool's member notes: the skipped silence is named there
            try (AlertmanagerPool pool = new AlertmanagerPool(List.of(am))) {
                AlertmanagerPool.Result r = pool.fetch();
                assertThat(r.silences()).hasSize(2);
                assertThat(r.memberErrors()).singleElement().asString().startsWith("Alertmanager: 1 silences could not be read: silence dcb3b5d0");
            }
        }
    }

    @Test
    void aNullLabelOrAnUnreadableTimeCostsThatAlertOnly() throws Exception {
        String groups = upstream("karma/am-0.25.0-alerts-groups.json");
        // the first alert with a null label value, the last one's startsAt not RFC 3339 (a space for the T)
        String odd = replaceOnce(groups, "\"instance\": \"server5\"", "\"instance\": null");
        int last = odd.lastIndexOf("\"startsAt\": \"2022-12-23T14:45:50.528Z\"");
        String body = odd.substring(0, last) + "\"startsAt\": \"2022-12-23 14:45:50.528Z\"" + odd.substring(last + "\"startsAt\": \"2022-12-23T14:45:50.528Z\"".length());
        try (JdkMockServer s = serve(p -> p.endsWith("/alerts/groups") ? body : "[]")) {
            AlertmanagerClient.Listing<AlertGroup> l = new AlertmanagerClient("Alertmanager", Endpoint.of(s.url())).readAlertGroups();
            assertThat(l.items()).hasSize(10);
            assertThat(l.items().stream().mapToInt(g -> g.alerts().size()).sum()).isEqualTo(22);
            // never silently null: every alert kept has its start
            assertThat(l.items()).flatExtracting(AlertGroup::alerts).allMatch(a -> a.startsAt() != null);
            assertThat(l.unreadable()).hasSize(2);
            assertThat(l.unreadable().getFirst()).contains("Free_Disk_Space_Too_Low").contains("aae7a1432b5d2f1b").contains("label 'instance' is not a string");
            assertThat(l.unreadable().get(1)).contains("startsAt is not an RFC 3339 time: '2022-12-23 14:45:50.528Z'");
            assertThat(l.summary("alerts")).startsWith("2 alerts could not be read: ");
        }
    }
}
