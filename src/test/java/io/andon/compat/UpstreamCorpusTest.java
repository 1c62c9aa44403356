package io.andon.compat;

import io.andon.alertmanager.AlertGroup;
import io.andon.alertmanager.AlertmanagerClient;
import io.andon.alertmanager.Silence;
import io.andon.logs.LogClient;
import io.andon.logs.LogHit;
import io.andon.logs.LogQuery;
import io.andon.net.Endpoint;
import io.andon.prometheus.Exemplar;
import io.andon.prometheus.NativeHistogram;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryResult;
import io.andon.prometheus.RangeResult;
import io.andon.prometheus.RuleGroup;
import io.andon.prometheus.Sample;
import io.andon.prometheus.Series;
import io.andon.prometheus.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer of the compatibility corpus (src/test/resources/upstream/, origins in its README) through the real
 * client methods against a server replaying it, checking the values read, not only that nothing was thrown:
 * Prometheus 2.x/3.x (docs, OpenAPI examples, JSON codec tests), client_golang, VictoriaMetrics, a Cortex query
 * frontend, Alertmanager 0.25 → 0.31 as karma recorded them, Elasticsearch 8.19/9.x specification examples and an
 * elasticsearch-java test answer.
 */
class UpstreamCorpusTest {
    private static final Instant T0 = Instant.parse("2015-07-01T20:00:00Z");

    private static PrometheusClient prometheus(Replay r) {
        return new PrometheusClient("Prometheus", Endpoint.of(r.url()));
    }

    // ---------------------------------------------------------------- Prometheus docs (2.53 and 3.x carry the same examples)

    @Test
    void docsInstantQuery() throws Exception {
        try (Replay r = new Replay(p -> p.equals("/api/v1/query") ? "prometheus/api-md-query.json" : null)) {
            QueryResult q = prometheus(r).query("up", Instant.parse("2015-07-01T20:10:51.781Z"));
            assertThat(r.seen.getLast().method()).isEqualTo("POST");
            assertThat(r.seen.getLast().form()).containsEntry("query", "up");
            assertThat(new java.math.BigDecimal(r.seen.getLast().form().get("time"))).isEqualByComparingTo("1435781451.781");
            assertThat(q.resultType()).isEqualTo("vector");
            assertThat(q.samples()).extracting(Sample::labels, Sample::value).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(Map.of("__name__", "up", "job", "prometheus", "instance", "localhost:9090"), 1.0),
                    org.assertj.core.groups.Tuple.tuple(Map.of("__name__", "up", "job", "node", "instance", "localhost:9100"), 0.0));
            assertThat(q.samples()).allMatch(s -> s.time().equals(Instant.parse("2015-07-01T20:10:51.781Z")));
            assertThat(q.warnings()).isEmpty();
            assertThat(q.partial()).isFalse();
        }
    }

    @Test
    void docsRangeQuery() throws Exception {
        try (Replay r = new Replay(p -> p.equals("/api/v1/query_range") ? "prometheus/api-md-query_range.json" : null)) {
            RangeResult rr = prometheus(r).range("up", Instant.parse("2015-07-01T20:10:30.781Z"), Instant.parse("2015-07-01T20:11:00.781Z"), Duration.ofSeconds(15));
            Map<String, String> form = r.seen.getLast().form();
            assertThat(form).containsEntry("query", "up").containsEntry("step", "15.000");
            assertThat(new java.math.BigDecimal(form.get("start"))).isEqualByComparingTo("1435781430.781");
            assertThat(new java.math.BigDecimal(form.get("end"))).isEqualByComparingTo("1435781460.781");
            assertThat(rr.series()).hasSize(2);
            Series node = rr.series().get(1);
            assertThat(node.labels()).containsEntry("job", "node").containsEntry("instance", "localhost:9091");
            assertThat(node.points()).extracting(Series.Point::value).containsExactly(0.0, 0.0, 1.0);
            assertThat(node.points().getFirst().time()).isEqualTo(Instant.parse("2015-07-01T20:10:30.781Z"));
            assertThat(rr.warnings()).isEmpty();
            assertThat(rr.unreadable()).isEmpty();
        }
    }

    @Test
    void docsExemplarsTargetsAndRules() throws Exception {
        try (Replay r = new Replay(p -> switch (p) {
            case "/api/v1/query_exemplars" -> "prometheus/api-md-query_exemplars.json";
            case "/api/v1/targets" -> "prometheus/api-md-targets-active.json";
            case "/api/v1/rules" -> "prometheus/api-md-rules.json";
            default -> null;
        })) {
            PrometheusClient c = prometheus(r);
            Exemplar.Result ex = c.exemplars("test_exemplar_metric_total", Instant.parse("2020-09-14T15:22:25.479Z"), Instant.parse("2020-09-14T15:23:25.479Z"));
            assertThat(ex.problems()).isEmpty();
            assertThat(ex.exemplars()).extracting(Exemplar::traceId).containsExactly("EpTxMJ40fUus7aGY", "Olp9XHlq763ccsfa", "hCtjygkIHwAN9vs4");
            assertThat(ex.exemplars()).extracting(Exemplar::value).containsExactly(6.0, 19.0, 20.0);
            assertThat(ex.exemplars().get(2).time()).isEqualTo(Instant.parse("2020-09-14T15:22:45.489Z"));
            assertThat(ex.exemplars().get(1).seriesLabels()).containsEntry("service", "foo");

            List<Target> targets = c.targets();
            assertThat(r.seen.getLast().form()).containsEntry("state", "active");
            assertThat(targets).singleElement().satisfies(t -> {
                assertThat(t.job()).isEqualTo("prometheus");
                assertThat(t.instance()).isEqualTo("127.0.0.1:9090");
                assertThat(t.health()).isEqualTo("up");
                assertThat(t.lastScrape()).isEqualTo(Instant.parse("2017-01-17T14:07:44.723715405Z"));
                assertThat(t.lastError()).isEmpty();
            });

            List<RuleGroup> groups = c.rules();
            assertThat(groups).singleElement().satisfies(g -> {
                assertThat(g.name()).isEqualTo("example");
                assertThat(g.file()).isEqualTo("/rules.yaml");
                assertThat(g.interval()).isEqualTo(Duration.ofSeconds(60));
                assertThat(g.rules()).extracting(RuleGroup.Rule::name).containsExactly("HighRequestLatency", "job:http_inprogress_requests:sum");
                RuleGroup.Rule alerting = g.rules().getFirst();
                assertThat(alerting.type()).isEqualTo(RuleGroup.Rule.Type.ALERTING);
                assertThat(alerting.query()).isEqualTo("job:request_latency_seconds:mean5m{job=\"myjob\"} > 0.5");
                assertThat(alerting.alerts()).singleElement().satisfies(a -> {
                    assertThat(a.state()).isEqualTo("firing");
                    assertThat(a.value()).isEqualTo(1.0);
                    assertThat(a.activeAt()).contains(Instant.parse("2018-07-04T18:27:12.60602144Z"));
                    assertThat(a.labels()).containsEntry("severity", "page");
                });
                assertThat(g.rules().get(1).type()).isEqualTo(RuleGroup.Rule.Type.RECORDING);
            });
        }
    }

    // ---------------------------------------------------------------- Prometheus 3.x OpenAPI examples (native histograms)

    @Test
    void openApiInstantAnswers() throws Exception {
        String[] next = {null};
        try (Replay r = new Replay(p -> next[0])) {
            PrometheusClient c = prometheus(r);
            next[0] = "prometheus/openapi-query-vector.json";
            QueryResult v = c.query("up");
            assertThat(v.samples()).extracting(s -> s.labels().get("job")).containsExactly("prometheus", "alertmanager");
            assertThat(v.samples().get(1).labels()).containsEntry("env", "demo");
            assertThat(v.samples()).allMatch(s -> s.value() == 1.0 && s.time().equals(Instant.ofEpochSecond(1767436620)));

            next[0] = "prometheus/openapi-query-matrix.json";
            QueryResult m = c.query("up[5m]");
            assertThat(m.resultType()).isEqualTo("matrix");
            assertThat(m.series()).singleElement().satisfies(s -> assertThat(s.points()).extracting(Series.Point::time)
                    .containsExactly(Instant.ofEpochSecond(1767436320), Instant.ofEpochSecond(1767436620)));
            assertThat(m.samples()).singleElement().satisfies(s -> assertThat(s.time()).isEqualTo(Instant.ofEpochSecond(1767436620)));

            // before: "an unreadable result (expected [time, value], got )" for the whole answer
            next[0] = "prometheus/openapi-query-native-histogram.json";
            QueryResult h = c.query("http_request_duration_seconds");
            assertThat(h.unreadable()).isEmpty();
            assertThat(h.samples()).isEmpty();
            assertThat(h.histograms()).singleElement().satisfies(s -> {
                assertThat(s.labels()).containsEntry("__name__", "http_request_duration_seconds").containsEntry("job", "prometheus");
                assertThat(s.time()).isEqualTo(Instant.ofEpochSecond(1767436620));
                assertThat(s.histogram().count()).isEqualTo(12.5);
                assertThat(s.histogram().sum()).isEqualTo(42.1);
                assertThat(s.histogram().buckets()).containsExactly(new NativeHistogram.Bucket(0, 0.7071067811865475, 1, 5),
                        new NativeHistogram.Bucket(0, 1, 1.414213562373095, 7.5));
            });
        }
    }

    @Test
    void openApiRangeAnswers() throws Exception {
        String[] next = {null};
        try (Replay r = new Replay(p -> next[0])) {
            PrometheusClient c = prometheus(r);
            next[0] = "prometheus/openapi-query_range-matrix.json";
            RangeResult m = c.range("rate(prometheus_http_requests_total[5m])", Instant.ofEpochSecond(1767433020), Instant.ofEpochSecond(1767436620), Duration.ofMinutes(30));
            assertThat(m.series()).singleElement().satisfies(s -> assertThat(s.points()).extracting(Series.Point::value).containsExactly(1.0, 1.0, 1.0));

            // before: the histogram samples vanished without a word (an empty series)
            next[0] = "prometheus/openapi-query_range-native-histograms.json";
            RangeResult h = c.range("http_request_duration_seconds", Instant.ofEpochSecond(1767433020), Instant.ofEpochSecond(1767436620), Duration.ofMinutes(30));
            assertThat(h.series()).singleElement().satisfies(s -> {
                assertThat(s.points()).isEmpty();
                assertThat(s.histograms()).singleElement().satisfies(p -> {
                    assertThat(p.time()).isEqualTo(Instant.ofEpochSecond(1767433020));
                    assertThat(p.histogram().count()).isEqualTo(12.5);
                    assertThat(p.histogram().buckets()).hasSize(2);
                });
            });
            assertThat(h.histogramPoints()).isEqualTo(1);
        }
    }

    @Test
    void jsonCodecHistogramsAndExemplars() throws Exception {
        String[] next = {null};
        try (Replay r = new Replay(p -> next[0])) {
            PrometheusClient c = prometheus(r);
            next[0] = "prometheus/json-codec-matrix-histograms.json";
            RangeResult h = c.range("foo", Instant.ofEpochSecond(0), Instant.ofEpochSecond(1), Duration.ofSeconds(1));
            NativeHistogram one = h.series().getFirst().histograms().getFirst().histogram();
            assertThat(h.series().getFirst().labels()).isEqualTo(Map.of("__name__", "foo"));
            assertThat(one.count()).isEqualTo(10);
            assertThat(one.sum()).isEqualTo(20);
            assertThat(one.buckets()).hasSize(8);
            // the zero bucket: closed on both sides (3), [-0.001, 0.001], 12 observations
            assertThat(one.buckets().get(2)).isEqualTo(new NativeHistogram.Bucket(3, -0.001, 0.001, 12));
            assertThat(one.buckets().stream().mapToDouble(NativeHistogram.Bucket::count).sum()).isEqualTo(22);

            next[0] = "prometheus/json-codec-exemplars.json";
            Exemplar.Result e = c.exemplars("foo", Instant.EPOCH, Instant.ofEpochSecond(2));
            assertThat(e.exemplars()).singleElement().satisfies(x -> {
                assertThat(x.traceId()).isEqualTo("abc");
                assertThat(x.value()).isEqualTo(100.123);
                assertThat(x.time()).isEqualTo(Instant.ofEpochMilli(1234));
                assertThat(x.seriesLabels()).isEqualTo(Map.of("foo", "bar"));
            });
            next[0] = "prometheus/json-codec-exemplars-inf.json";
            assertThat(c.exemplars("foo", Instant.EPOCH, Instant.ofEpochSecond(2)).exemplars().getFirst().value()).isEqualTo(Double.POSITIVE_INFINITY);
        }
    }

    // ---------------------------------------------------------------- client_golang SampleStream JSON

    @Test
    void clientGolangSeriesMixedFloatAndHistogramKeepEveryPoint() throws Exception {
        String[] next = {null};
        try (Replay r = new Replay(p -> next[0])) {
            PrometheusClient c = prometheus(r);
            next[0] = Replay.MATRIX_OF + "client_golang/series-floats.json";
            Series floats = c.range("timeseries_0", T0, T0, Duration.ofSeconds(15)).series().getFirst();
            assertThat(floats.points()).extracting(Series.Point::value).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0);
            assertThat(floats.points().getFirst().time()).isEqualTo(Instant.ofEpochMilli(1677587259055L));

            next[0] = Replay.MATRIX_OF + "client_golang/series-histograms.json";
            Series hs = c.range("timeseries_0", T0, T0, Duration.ofSeconds(15)).series().getFirst();
            assertThat(hs.points()).isEmpty();
            assertThat(hs.histograms()).extracting(p -> p.histogram().count()).containsExactly(13.5, 27.0, 40.5, 54.0, 67.5);

            // before: the five histogram samples of the mixed series were lost, the five floats kept as if complete
            next[0] = Replay.MATRIX_OF + "client_golang/series-mixed-floats-histograms.json";
            RangeResult mixed = c.range("timeseries_0", T0, T0, Duration.ofSeconds(15));
            Series m = mixed.series().getFirst();
            assertThat(m.labels()).isEqualTo(Map.of("__name__", "timeseries_0", "foo", "bar"));
            assertThat(m.points()).hasSize(5);
            assertThat(m.histograms()).hasSize(5);
            NativeHistogram first = m.histograms().getFirst().histogram();
            assertThat(first.sum()).isEqualTo(0.1);
            assertThat(first.buckets().getFirst()).isEqualTo(new NativeHistogram.Bucket(1, -4870.992343051145, -4466.7196729968955, 1));
            assertThat(first.buckets().getLast()).isEqualTo(new NativeHistogram.Bucket(0, 4466.7196729968955, 4870.992343051145, 3.5));
            assertThat(mixed.unreadable()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- VictoriaMetrics

    @Test
    void victoriaMetricsAnswersAndPartial() throws Exception {
        String[] next = {null};
        try (Replay r = new Replay(p -> next[0])) {
            PrometheusClient c = prometheus(r);
            next[0] = "victoriametrics/vmalert-query-vector.json";
            QueryResult v = c.query("vm_rows");
            assertThat(v.samples()).extracting(Sample::value).containsExactly(13763.0, 2000.0);
            assertThat(v.samples().get(1).time()).isEqualTo(Instant.ofEpochSecond(1583786140));
            assertThat(v.samples().get(1).labels()).containsEntry("foo", "baz");
            assertThat(v.partial()).isFalse();

            next[0] = "victoriametrics/vmalert-query-matrix.json";
            assertThat(c.query("vm_rows").series().getFirst().points()).containsExactly(new Series.Point(Instant.ofEpochSecond(1583786142), 13763));

            next[0] = "victoriametrics/vmalert-query-scalar-stats.json";
            QueryResult stats = c.query("1");
            assertThat(stats.samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(1.0));
            assertThat(stats.partial()).isFalse();
            assertThat(stats.warnings()).isEmpty();

            // before: reported as complete
            next[0] = "victoriametrics/vmalert-query-scalar-ispartial.json";
            QueryResult partial = c.query("1");
            assertThat(partial.samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(1.0));
            assertThat(partial.partial()).isTrue();
            assertThat(partial.warnings()).singleElement().asString().startsWith("partial result").contains("isPartial");
        }
    }

    // ---------------------------------------------------------------- Cortex query frontend: range answers with warnings / infos

    @Test
    void rangeAnswersKeepWarningsAndInfos() throws Exception {
        String[] next = {null};
        try (Replay r = new Replay(p -> next[0])) {
            PrometheusClient c = prometheus(r);
            // before: a range answer's warnings and infos were dropped, so a partial range looked complete
            next[0] = "cortex/range-warnings.json";
            RangeResult w = c.range("sum(warnings)", Instant.ofEpochSecond(1536673680), Instant.ofEpochSecond(1536716898), Duration.ofMinutes(2));
            assertThat(w.warnings()).containsExactly("test-warn");
            assertThat(w.series().getFirst().points()).extracting(Series.Point::value).containsExactly(137.0, 137.0);

            next[0] = "cortex/range-infos.json";
            RangeResult i = c.range("rate(go_gc_gogc_percent[5m])", Instant.ofEpochSecond(1536673680), Instant.ofEpochSecond(1536716898), Duration.ofMinutes(2));
            assertThat(i.warnings()).containsExactly("PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"go_gc_gogc_percent\" (1:6)");
            assertThat(c.query("rate(go_gc_gogc_percent[5m])").warnings()).isEqualTo(i.warnings());
        }
    }

    // ---------------------------------------------------------------- Alertmanager 0.25 → 0.31 (karma's recordings)

    @ParameterizedTest
    @ValueSource(strings = {"0.25.0", "0.26.0", "0.27.0", "0.31.0"})
    void alertmanagerGroupsAndSilences(String version) throws Exception {
        try (Replay r = new Replay(p -> switch (p) {
            case "/api/v2/alerts/groups" -> "karma/am-" + version + "-alerts-groups.json";
            case "/api/v2/silences" -> "karma/am-" + version + "-silences.json";
            default -> null;
        })) {
            AlertmanagerClient am = new AlertmanagerClient("am-" + version, Endpoint.of(r.url()));
            AlertmanagerClient.Listing<AlertGroup> groups = am.readAlertGroups();
            assertThat(groups.unreadable()).isEmpty();
            assertThat(groups.items()).hasSize(10);
            assertThat(groups.items().stream().mapToInt(g -> g.alerts().size()).sum()).isEqualTo(24);
            AlertGroup disk = groups.items().getFirst();
            assertThat(disk.labels()).isEqualTo(Map.of("alertname", "Free_Disk_Space_Too_Low"));
            assertThat(disk.receiver()).isEqualTo("by-name");
            assertThat(disk.alerts()).singleElement().satisfies(a -> {
                assertThat(a.fingerprint()).isEqualTo("aae7a1432b5d2f1b");
                assertThat(a.labels()).containsEntry("instance", "server5").containsEntry("cluster", "staging").containsEntry("disk", "sda");
                assertThat(a.annotations()).containsEntry("alert", "Less than 10% disk space is free");
                assertThat(a.state()).isEqualTo("active");
                assertThat(a.startsAt()).isNotNull().isBefore(a.endsAt());
                assertThat(a.receivers()).containsExactly("by-cluster-service", "by-name");
                assertThat(a.generatorUrl()).isEqualTo("http://localhost/prometheus");
            });
            // every alert has its times: none became null on the way
            assertThat(groups.items()).flatExtracting(AlertGroup::alerts).allMatch(a -> a.startsAt() != null && a.updatedAt() != null);
            assertThat(groups.items().get(2).labels()).containsEntry("alertname", "Host_Down");
            assertThat(groups.items().get(2).alerts()).hasSize(8);

            AlertmanagerClient.Listing<Silence> silences = am.readSilences();
            assertThat(silences.unreadable()).isEmpty();
            assertThat(silences.items()).hasSize(3).allSatisfy(s -> {
                assertThat(s.createdBy()).isEqualTo("john@example.com");
                assertThat(s.state()).isEqualTo("active");
                assertThat(s.endsAt()).isEqualTo(Instant.parse("2063-01-01T00:00:00Z"));
            });
            assertThat(silences.items()).extracting(s -> s.matchers().size()).containsExactly(1, 2, 1);
            assertThat(silences.items().get(1).matchers()).containsExactly(Silence.Matcher.equal("alertname", "Host_Down"), Silence.Matcher.equal("cluster", "dev"));
        }
    }

    // ---------------------------------------------------------------- Elasticsearch 8.19 / 9.x specification examples, elasticsearch-java

    private static LogClient elasticsearch(Replay r) {
        return new LogClient("Elasticsearch", List.of(Endpoint.of(r.url()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3))));
    }

    private static final Map<String, String> ES = Map.of("X-Elastic-Product", "Elasticsearch");

    @Test
    void elasticsearchClusterHealthWithoutNewerFields() throws Exception {
        // the specification's example has no unassigned_primary_shards, which the 8.19 client's typed model requires
        try (Replay r = new Replay(p -> p.equals("/_cluster/health") ? "elasticsearch/cluster-health.json" : null, ES);
             LogClient c = elasticsearch(r)) {
            assertThat(c.health()).isEqualTo("yellow");
            assertThat(r.seen.getLast().method()).isEqualTo("GET");
        }
    }

    @Test
    void elasticsearchSearchHitWithoutZoneIsUtc() throws Exception {
        try (Replay r = new Replay(p -> p.endsWith("/_pit") ? "elasticsearch/open-pit.json" : p.endsWith("/_search") ? "elasticsearch/search.json" : null, ES);
             LogClient c = elasticsearch(r)) {
            // live tail: before, the hit had no time and the tail skipped it
            List<LogHit> tail = c.newerThan(LogQuery.last(Duration.ofMinutes(15)), Instant.EPOCH, 10);
            assertThat(tail).singleElement().satisfies(h -> {
                assertThat(h.id()).isEqualTo("0");
                assertThat(h.index()).isEqualTo("my-index-000001");
                assertThat(h.timestamp()).isEqualTo(Instant.parse("2099-11-15T14:12:12Z"));
                assertThat(h.message()).isEqualTo("GET /search HTTP/1.1 200 1070000");
                assertThat(h.fields()).containsEntry("user.id", "kimchy").containsEntry("http.response.status_code", "200");
            });
            // paging (point in time, then search): total and the same time; nothing flagged
            LogClient.Page p = c.search(LogQuery.last(Duration.ofMinutes(15)), null, 20);
            assertThat(r.seen.stream().anyMatch(x -> x.method().equals("POST") && x.path().endsWith("/_pit"))).isTrue();
            assertThat(p.total()).isEqualTo(20);
            assertThat(p.tookMs()).isEqualTo(5);
            assertThat(p.hits()).singleElement().satisfies(h -> assertThat(h.timestamp()).isEqualTo(Instant.parse("2099-11-15T14:12:12Z")));
            assertThat(p.warnings()).isEmpty();
        }
    }

    @Test
    void elasticsearchJavaSearchWithSuggestions() throws Exception {
        try (Replay r = new Replay(p -> p.endsWith("/_search") ? "elasticsearch/java-client-issue-0057-search-suggest.json" : null, ES);
             LogClient c = elasticsearch(r)) {
            assertThat(c.newerThan(LogQuery.last(Duration.ofMinutes(15)), Instant.EPOCH, 10)).isEmpty();
            assertThat(r.seen).hasSize(1);
        }
    }

    // ---------------------------------------------------------------- Prometheus 3 UTF-8 names: what the client sends

    @Test
    void utf8SelectorsGoOutByteForByte() throws Exception {
        try (Replay r = new Replay(p -> p.endsWith("query_range") ? "prometheus/openapi-query_range-matrix.json" : "prometheus/openapi-query-vector.json")) {
            String selector = "{\"my.metric\", \"label.name\"=\"x\", \"温度.℃\"=~\"a|b\"}";
            prometheus(r).query(selector);
            assertThat(r.seen.getLast().form()).containsEntry("query", selector);
            prometheus(r).range(selector, T0, T0.plusSeconds(60), Duration.ofSeconds(15));
            assertThat(r.seen.getLast().form()).containsEntry("query", selector);
        }
    }
}
