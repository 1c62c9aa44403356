package io.andon.board;

import io.andon.net.SourceError;
import io.andon.net.SourceException;
import io.andon.prometheus.QueryResult;
import io.andon.prometheus.Sample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** From an answer (or a failure) to what the tile shows: thresholds, staleness, blind sources, errors. */
class TileRulesTest {
    static final Instant NOW = Instant.parse("2026-11-25T06:00:00Z");
    static final Duration LIMIT = Duration.ofSeconds(10);

    static TileSpec tile(String unit, TileSpec.Thresholds th, String legend) {
        return new TileSpec("t", new TileSpec.Text("T", "T"), "q", unit, 1, TileSpec.Skin.NUMBER, th, null, null, null, null, legend, null, null);
    }

    static final TileSpec AVAILABILITY = tile("ratio_percent", new TileSpec.Thresholds(99.9, 99.5, TileSpec.Thresholds.Direction.BELOW), null);
    static final TileSpec LATENCY = tile("seconds_ms", new TileSpec.Thresholds(200.0, 500.0, TileSpec.Thresholds.Direction.ABOVE), null);

    static QueryResult vector(Instant t, double... values) {
        List<Sample> s = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) s.add(new Sample(Map.of("plant", "P" + (values.length - i)), t, values[i]));
        return new QueryResult("vector", s, List.of());
    }

    @Test
    void thresholdsDecideOkWarnCritInDisplayUnits() {
        assertThat(TileRules.fromResult(AVAILABILITY, vector(NOW, 0.9995), NOW, LIMIT, List.of()).status()).isEqualTo(TileState.Status.OK);
        TileState warn = TileRules.fromResult(AVAILABILITY, vector(NOW, 0.997), NOW, LIMIT, List.of());
        assertThat(warn.status()).isEqualTo(TileState.Status.WARN);
        assertThat(warn.value()).isCloseTo(99.7, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(TileRules.fromResult(AVAILABILITY, vector(NOW, 0.99), NOW, LIMIT, List.of()).status()).isEqualTo(TileState.Status.CRIT);
        assertThat(TileRules.fromResult(LATENCY, vector(NOW, 0.2), NOW, LIMIT, List.of()).status()).as("exactly on the line is still OK").isEqualTo(TileState.Status.OK);
        assertThat(TileRules.fromResult(LATENCY, vector(NOW, 0.21), NOW, LIMIT, List.of()).status()).isEqualTo(TileState.Status.WARN);
        assertThat(TileRules.fromResult(LATENCY, vector(NOW, 0.51), NOW, LIMIT, List.of()).status()).isEqualTo(TileState.Status.CRIT);
        TileState inf = TileRules.fromResult(LATENCY, vector(NOW, Double.POSITIVE_INFINITY), NOW, LIMIT, List.of());
        assertThat(inf.status()).isEqualTo(TileState.Status.CRIT);
        assertThat(inf.message()).contains("infinite");
        assertThat(TileRules.fromResult(AVAILABILITY, vector(NOW, Double.NEGATIVE_INFINITY), NOW, LIMIT, List.of()).status()).isEqualTo(TileState.Status.CRIT);
    }

    @Test
    void nothingOrNanIsNoDataNeverOk() {
        TileState none = TileRules.fromResult(LATENCY, vector(NOW), NOW, LIMIT, List.of());
        assertThat(none.status()).isEqualTo(TileState.Status.NO_DATA);
        assertThat(none.message()).isEqualTo("the query returned nothing");
        TileState nan = TileRules.fromResult(AVAILABILITY, vector(NOW, Double.NaN), NOW, LIMIT, List.of());
        assertThat(nan.status()).isEqualTo(TileState.Status.NO_DATA);
        assertThat(nan.message()).contains("NaN");
        TileState text = TileRules.fromResult(LATENCY, new QueryResult("string", List.of(), List.of(), Optional.of("x"), List.of()), NOW, LIMIT, List.of());
        assertThat(text.status()).isEqualTo(TileState.Status.ERROR);
    }

    @Test
    void oldSampleIsStaleAndKeepsItsValueAndTime() {
        Instant old = NOW.minusSeconds(11);
        TileState s = TileRules.fromResult(LATENCY, vector(old, 0.1), NOW, LIMIT, List.of());
        assertThat(s.status()).isEqualTo(TileState.Status.STALE);
        assertThat(s.value()).isEqualTo(100.0);
        assertThat(s.sampleTime()).isEqualTo(old);
        assertThat(s.age(NOW)).isEqualTo(Duration.ofSeconds(11));
        assertThat(s.message()).contains("11 s old").contains("limit 10 s");
        assertThat(TileRules.fromResult(LATENCY, vector(NOW.minusSeconds(10), 0.1), NOW, LIMIT, List.of()).status()).isEqualTo(TileState.Status.OK);
    }

    @Test
    void stalenessLimitIsTwoIntervalsOrTheDatasourcesOwn() {
        assertThat(TileRules.stalenessLimit(Duration.ofSeconds(5), Duration.ZERO)).isEqualTo(Duration.ofSeconds(10));
        assertThat(TileRules.stalenessLimit(Duration.ofSeconds(5), Duration.ofSeconds(45))).as("VictoriaMetrics hides 30 s").isEqualTo(Duration.ofSeconds(45));
        assertThat(TileRules.stalenessLimit(Duration.ofSeconds(30), Duration.ofSeconds(45))).isEqualTo(Duration.ofSeconds(60));
        assertThat(TileRules.stalenessLimit(Duration.ofSeconds(5), null)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void blindSourceKeepsTheLastValueGreyedWithItsAge() {
        TileState before = TileRules.fromResult(LATENCY, vector(NOW.minusSeconds(30), 0.25), NOW.minusSeconds(30), LIMIT, List.of());
        assertThat(before.status()).isEqualTo(TileState.Status.WARN);
        for (SourceError err : List.of(new SourceError.Unreachable("127.0.0.1:9090", "connection refused"),
                new SourceError.Timeout("127.0.0.1:9090", Duration.ofSeconds(3)), new SourceError.AuthFailed(401),
                new SourceError.TlsFailed("h:443", "unknown CA"), new SourceError.BadResponse(502, "text/html", "<h1>502</h1>", "no Prometheus JSON"),
                new SourceError.TooLarge(1), new SourceError.ApiError("timeout", "query timed out"))) {
            TileState s = TileRules.fromFailure(LATENCY, new SourceException("Prometheus", err), before, NOW, List.of(1.0));
            assertThat(s.status()).as(err.toString()).isEqualTo(TileState.Status.STALE);
            assertThat(s.value()).isEqualTo(250.0);
            assertThat(s.sampleTime()).isEqualTo(NOW.minusSeconds(30));
            assertThat(s.message()).startsWith("Prometheus ").contains("(30 s ago)");
            assertThat(s.sparkline()).containsExactly(1.0);
        }
        TileState never = TileRules.fromFailure(LATENCY, new SourceException("Prometheus", new SourceError.Unreachable("h:1", "connection refused")),
                TileState.unknown("t"), NOW, List.of());
        assertThat(never.status()).isEqualTo(TileState.Status.STALE);
        assertThat(never.hasValue()).isFalse();
        assertThat(never.message()).endsWith("no value yet");
        TileState staleAgain = TileRules.fromFailure(LATENCY, new SourceException("P", new SourceError.TooLarge(1)), TileRules.fromFailure(LATENCY,
                new SourceException("P", new SourceError.TooLarge(1)), before, NOW, List.of()), NOW.plusSeconds(60), List.of());
        assertThat(staleAgain.value()).as("kept across several blind refreshes").isEqualTo(250.0);
        assertThat(staleAgain.message()).contains("(90 s ago)");
    }

    @Test
    void rejectedQueryIsAnErrorWithTheServersReason() {
        TileState s = TileRules.fromFailure(LATENCY, new SourceException("Prometheus", new SourceError.ApiError("bad_data", "1:8: parse error: unexpected }")),
                TileRules.fromResult(LATENCY, vector(NOW, 0.1), NOW, LIMIT, List.of()), NOW, List.of());
        assertThat(s.status()).isEqualTo(TileState.Status.ERROR);
        assertThat(s.hasValue()).as("an old value would pretend the query works").isFalse();
        assertThat(s.message()).isEqualTo("Prometheus rejected the request (bad_data): 1:8: parse error: unexpected }");
    }

    @Test
    void multiSeries() {
        TileSpec donut = tile("count", null, "plant");
        TileState d = TileRules.fromResult(donut, vector(NOW, 3, 5, 7), NOW, LIMIT, List.of());
        assertThat(d.series()).containsExactly(Map.entry("P1", 7.0), Map.entry("P2", 5.0), Map.entry("P3", 3.0));
        assertThat(d.value()).isEqualTo(15.0);
        TileState worstHigh = TileRules.fromResult(LATENCY, vector(NOW, 0.1, 0.6, 0.3), NOW, LIMIT, List.of());
        assertThat(worstHigh.value()).isEqualTo(600.0);
        assertThat(worstHigh.status()).isEqualTo(TileState.Status.CRIT);
        assertThat(worstHigh.message()).contains("3 series: showing the highest");
        TileState worstLow = TileRules.fromResult(AVAILABILITY, vector(NOW, 0.9999, 0.98), NOW, LIMIT, List.of());
        assertThat(worstLow.value()).isCloseTo(98.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void serverWarningsReachTheTile() {
        QueryResult r = new QueryResult("vector", List.of(new Sample(Map.of(), NOW, 0.1)), List.of("result may be partial"));
        TileState s = TileRules.fromResult(LATENCY, r, NOW, LIMIT, List.of());
        assertThat(s.status()).isEqualTo(TileState.Status.OK);
        assertThat(s.message()).isEqualTo("warning: result may be partial");
    }

    @Test
    void sparklineIsBoundedAndStepped() {
        Sparkline line = new Sparkline(Duration.ofSeconds(10));
        java.util.List<Double> seed = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) seed.add((double) i);
        line.seed(seed, NOW);
        assertThat(line.snapshot()).hasSize(Sparkline.MAX_POINTS).startsWith(140.0).endsWith(499.0);
        line.offer(1000, NOW.plusSeconds(5));
        assertThat(line.snapshot()).as("within one step: not appended").endsWith(499.0);
        line.offer(1001, NOW.plusSeconds(10));
        assertThat(line.snapshot()).hasSize(Sparkline.MAX_POINTS).endsWith(1001.0);
        for (int i = 0; i < 1000; i++) line.offer(i, NOW.plusSeconds(20 + 10L * i));
        assertThat(line.snapshot()).hasSize(Sparkline.MAX_POINTS).endsWith(999.0);
    }

    @Test
    void notesOfThePartialAnswerReachTheTile() {
        // issue 22: the client's "N series could not be read" and the server's partial flag travel with the figure
        java.util.List<String> notes = java.util.List.of("partial result: the server says some of its storage did not answer (isPartial)",
                "1 series could not be read: series 2 {job=node}: label 'env' is not a string: null");
        io.andon.prometheus.QueryResult r = new io.andon.prometheus.QueryResult("vector",
                java.util.List.of(new io.andon.prometheus.Sample(java.util.Map.of(), NOW, 0.12)), java.util.List.of(), java.util.Optional.empty(), notes,
                java.util.List.of(), java.util.List.of("series 2 {job=node}: label 'env' is not a string: null"), true);
        TileState s = TileRules.fromResult(LATENCY, r, NOW, java.time.Duration.ofSeconds(30), java.util.List.of());
        assertThat(s.status()).isEqualTo(TileState.Status.OK);
        assertThat(s.value()).isEqualTo(120.0);
        assertThat(s.warnings()).isEqualTo(notes);
        assertThat(s.message()).contains("1 series could not be read").contains("isPartial");
    }

    @Test
    void aNativeHistogramIsNotAFigure() {
        io.andon.prometheus.NativeHistogram h = new io.andon.prometheus.NativeHistogram(12.5, 42.1,
                java.util.List.of(new io.andon.prometheus.NativeHistogram.Bucket(0, 0.7071067811865475, 1, 5)));
        io.andon.prometheus.QueryResult r = new io.andon.prometheus.QueryResult("vector", java.util.List.of(), java.util.List.of(), java.util.Optional.empty(),
                java.util.List.of(), java.util.List.of(new io.andon.prometheus.NativeHistogram.Sample(java.util.Map.of("job", "mes-app"), NOW, h)), java.util.List.of(), false);
        TileState s = TileRules.fromResult(LATENCY, r, NOW, java.time.Duration.ofSeconds(30), java.util.List.of());
        assertThat(s.status()).isEqualTo(TileState.Status.ERROR);
        assertThat(s.message()).contains("native histograms").contains("histogram_quantile(0.99");
    }
}
