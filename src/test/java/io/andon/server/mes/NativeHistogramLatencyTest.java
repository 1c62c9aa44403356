package io.andon.server.mes;

import io.andon.net.Endpoint;
import io.andon.prometheus.NativeHistogram;
import io.andon.prometheus.PrometheusClient;
import io.andon.prometheus.QueryResult;
import io.andon.stack.JavaService;
import io.andon.stack.Stack;
import io.andon.stack.StackOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Native histograms shown, on the real Prometheus: a stack of its own whose Prometheus runs with
 * --enable-feature=native-histograms scrapes the simulated MES, which records every request both in the classic
 * http_request_duration_seconds (the contract's buckets) and in the native http_request_duration_native_seconds.
 * The latency tile's two forms must agree on the P99:
 * <pre>
 *   classic: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))
 *   native:  histogram_quantile(0.99, sum(rate(http_request_duration_native_seconds[1m])))
 * </pre>
 * Tolerance, and why: both histograms count exactly the same observations from the same scrapes, so the
 * 99th-percentile observation lies in the classic bucket (lo, hi] holding the classic estimate and in the native bucket
 * holding the native one; each estimate interpolates inside its own bucket. So the native P99 must lie in
 * [lo / g, hi * g], g being the native buckets' growth factor (read from the answer: upper / lower of a bucket,
 * 2^(2^-schema), about 1.02–1.09). Anything outside means the two forms read different data. That is checked
 * exactly on the totals since the start (cumulative counts equal, no extrapolation). The tile form uses rate(),
 * which extrapolates each series on its own (each classic bucket counter is clamped at zero by its own value, the
 * native series by its count), so in a young window the ranks differ slightly: there the native P99 may also fall in
 * the classic bucket next to the classic estimate's, and the tolerance is one classic bucket more on each side.
 */
@Tag("integration")
class NativeHistogramLatencyTest {
    private static Stack stack;
    private static JavaService mes;
    private static PrometheusClient prom;

    @BeforeAll
    static void start() {
        stack = new Stack(StackOptions.forTests().withLabel("native-histograms").withNativeHistograms());
        prom = new PrometheusClient("Prometheus", Endpoint.of(stack.prometheus().baseUri().toString()));
        mes = stack.mes("--seed");
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
    }

    @Test
    void nativeAndClassicP99Agree() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> paths = List.of("/api/equipment", "/api/work-orders", "/api/inventory", "/api/equipment/1", "/api/work-orders/1");
        // ~15 s of mixed reads (bounded in count and time): enough for several 1 s scrapes and a 1 m rate
        Instant until = Instant.now().plusSeconds(15);
        int sent = 0;
        while (Instant.now().isBefore(until) && sent < 3000) {
            String p = paths.get(sent % paths.size());
            http.send(HttpRequest.newBuilder(URI.create(mes.baseUri() + p)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
            sent++;
        }
        Thread.sleep(3000); // two more scrapes take the last requests in
        Instant at = Instant.now();

        // the raw native histogram comes back as one, through the client (not as an unreadable answer)
        QueryResult raw = prom.query("sum(rate(http_request_duration_native_seconds[1m]))", at);
        assertThat(raw.unreadable()).isEmpty();
        assertThat(raw.samples()).isEmpty();
        NativeHistogram h = raw.histograms().getFirst().histogram();
        assertThat(h.count()).isPositive();
        double growth = h.buckets().stream().filter(b -> b.lower() > 0).mapToDouble(b -> b.upper() / b.lower()).max().orElseThrow();
        assertThat(growth).isBetween(1.0, 1.1);

        // the tile's two forms (rate over 1 m, as the latency tiles do over 5 m)
        double classic = value("histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))", at);
        double nativeP99 = value("histogram_quantile(0.99, sum(rate(http_request_duration_native_seconds[1m])))", at);
        // the same observations since the start: cumulative counts equal exactly, and the quantiles of the totals
        double classicTotal = value("sum(http_request_duration_seconds_count)", at);
        double nativeTotal = value("histogram_count(sum(http_request_duration_native_seconds))", at);
        double classicAll = value("histogram_quantile(0.99, sum by (le) (http_request_duration_seconds_bucket))", at);
        double nativeAll = value("histogram_quantile(0.99, sum(http_request_duration_native_seconds))", at);

        double[] rateBucket = classicBucket(classic), allBucket = classicBucket(classicAll);
        System.out.printf("native-histograms: %d requests (%.0f counted classic, %.0f native); growth factor %.4f%n"
                        + "  tile P99 (rate 1m): classic %.4f s in bucket (%s, %s], native %.4f s%n"
                        + "  P99 of all requests: classic %.4f s in bucket (%s, %s], native %.4f s%n",
                sent, classicTotal, nativeTotal, growth, classic, rateBucket[0], rateBucket[1], nativeP99, classicAll, allBucket[0], allBucket[1], nativeAll);
        assertThat(nativeTotal).isEqualTo(classicTotal);
        assertThat(classicTotal).isGreaterThanOrEqualTo(sent);
        assertThat(nativeAll).isBetween(allBucket[0] / growth, allBucket[1] * growth);
        assertThat(classic).isFinite().isPositive();
        double[] wider = {below(rateBucket[0]), above(rateBucket[1])};
        assertThat(nativeP99).isFinite().isBetween(wider[0] / growth, wider[1] * growth);
    }

    private static double value(String expr, Instant at) throws Exception {
        QueryResult r = prom.query(expr, at);
        assertThat(r.samples()).as(expr).hasSize(1);
        return r.samples().getFirst().value();
    }

    private static double below(double edge) {
        double b = 0;
        for (double e : MesMetrics.BUCKETS) if (e < edge) b = e;
        return b;
    }

    private static double above(double edge) {
        for (double e : MesMetrics.BUCKETS) if (e > edge) return e;
        return Double.POSITIVE_INFINITY;
    }

    /** The classic bucket (lower, upper] of the contract's edges that holds {@code q}. */
    private static double[] classicBucket(double q) {
        double lo = 0, hi = Double.POSITIVE_INFINITY;
        for (double edge : MesMetrics.BUCKETS) {
            if (edge < q) lo = edge;
            else if (hi == Double.POSITIVE_INFINITY) hi = edge;
        }
        return new double[]{lo, hi};
    }
}
