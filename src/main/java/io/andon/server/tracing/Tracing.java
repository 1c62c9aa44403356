package io.andon.server.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.MDC;
import zipkin2.reporter.urlconnection.URLConnectionSender;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * OpenTelemetry tracing of the project's server programs (the simulated MES and its external service): one
 * tracer provider per process with the service's name, a parent-based ratio sampler, W3C trace-context
 * propagation and, when a Zipkin URL is given, a {@link BoundedExportProcessor} to Zipkin. Without a URL the
 * spans are still made, so log lines and exemplars carry real trace and span ids.
 */
public final class Tracing implements AutoCloseable {
    /** @param zipkinSpansUrl {@code http://host:port/api/v2/spans}, or null to make spans without exporting them */
    public record Config(String serviceName, double samplingRatio, URI zipkinSpansUrl) {
        public Config {
            if (serviceName == null || serviceName.isBlank()) throw new IllegalArgumentException("service name missing");
            if (!(samplingRatio >= 0 && samplingRatio <= 1)) throw new IllegalArgumentException("--trace-sampling must be between 0 and 1, got " + samplingRatio);
            if (zipkinSpansUrl != null && !List.of("http", "https").contains(String.valueOf(zipkinSpansUrl.getScheme()))) {
                throw new IllegalArgumentException("--zipkin-url must be an http(s) URL such as http://zipkin:9411/api/v2/spans");
            }
        }
    }

    public static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    public static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    public static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

    private static final TextMapPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();

    private final Config config;
    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final BoundedExportProcessor exporter;

    private Tracing(Config config, SdkTracerProvider provider, BoundedExportProcessor exporter) {
        this.config = config;
        this.provider = provider;
        this.exporter = exporter;
        this.tracer = provider.get("io.andon.server." + config.serviceName());
    }

    /** {@code --trace-sampling RATIO} (default 1.0: keep every trace) and {@code --zipkin-url URL} of a server program. */
    public static Config config(io.andon.server.Args a, String serviceName) {
        double ratio;
        try {
            ratio = Double.parseDouble(a.get("trace-sampling", "1.0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--trace-sampling must be a number between 0 and 1");
        }
        String url = a.get("zipkin-url", null);
        return new Config(serviceName, ratio, url == null || url.isBlank() ? null : URI.create(url));
    }

    public static Tracing create(Config c) {
        // the exporter logs every failed batch through java.util.logging: BoundedExportProcessor counts and logs them, throttled
        java.util.logging.Logger.getLogger("io.opentelemetry.exporter.zipkin").setLevel(java.util.logging.Level.OFF);
        SdkTracerProviderBuilder b = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), c.serviceName()))))
                // follow the caller's decision when there is one (a trace is kept whole or not at all), else keep this ratio
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(c.samplingRatio())));
        BoundedExportProcessor p = null;
        if (c.zipkinSpansUrl() != null) {
            URLConnectionSender sender = URLConnectionSender.newBuilder().endpoint(c.zipkinSpansUrl().toString())
                    .connectTimeout(1000).readTimeout(2000).build();
            p = new BoundedExportProcessor(ZipkinSpanExporter.builder().setSender(sender).build(), 4096, 512, Duration.ofMillis(500),
                    Duration.ofSeconds(5), c.serviceName());
            b.addSpanProcessor(p);
        } else {
            // the SDK makes no spans at all (invalid ids) when no processor is registered: log lines and exemplars
            // need real ids even when nothing is exported, so register one that does nothing
            b.addSpanProcessor(new io.opentelemetry.sdk.trace.SpanProcessor() {
                @Override public void onStart(Context parent, io.opentelemetry.sdk.trace.ReadWriteSpan span) { }
                @Override public boolean isStartRequired() { return false; }
                @Override public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) { }
                @Override public boolean isEndRequired() { return false; }
            });
        }
        return new Tracing(c, b.build(), p);
    }

    public Config config() { return config; }

    public Tracer tracer() { return tracer; }

    /** The W3C trace-context propagator (the {@code traceparent}/{@code tracestate} headers). */
    public static TextMapPropagator propagator() { return PROPAGATOR; }

    /** The caller's context from request headers ({@code headers} answers the first value of a name, or null). */
    public static Context extract(java.util.function.Function<String, String> headers) {
        return PROPAGATOR.extract(Context.root(), headers, new TextMapGetter<>() {
            @Override public Iterable<String> keys(java.util.function.Function<String, String> carrier) { return List.of("traceparent", "tracestate"); }
            @Override public String get(java.util.function.Function<String, String> carrier, String key) { return carrier == null ? null : carrier.apply(key); }
        });
    }

    /** Writes the current context's {@code traceparent} (and {@code tracestate}) through {@code setter}. */
    public static void inject(java.util.function.BiConsumer<String, String> setter) {
        TextMapSetter<java.util.function.BiConsumer<String, String>> s = (carrier, k, v) -> carrier.accept(k, v);
        PROPAGATOR.inject(Context.current(), setter, s);
    }

    /**
     * Makes {@code span} current and puts its ids into the log MDC ({@code trace_id}, {@code span_id}); closing
     * restores the ids of the span that was current before, so every log line names the innermost span.
     */
    public static Scope current(Span span) {
        String prevTrace = MDC.get("trace_id"), prevSpan = MDC.get("span_id");
        Scope scope = span.makeCurrent();
        SpanContext sc = span.getSpanContext();
        if (sc.isValid()) {
            MDC.put("trace_id", sc.getTraceId());
            MDC.put("span_id", sc.getSpanId());
        }
        return () -> {
            scope.close();
            restore("trace_id", prevTrace);
            restore("span_id", prevSpan);
        };
    }

    private static void restore(String key, String value) {
        if (value == null) MDC.remove(key); else MDC.put(key, value);
    }

    /**
     * Marks {@code span} failed with an {@code exception} event whose message is {@code safeMessage}, never the
     * exception's own text: a database error's text can quote bound values ("Key (code)=(...) already exists"),
     * and those must not reach a trace backend. The stack trace is frames only, for the same reason.
     */
    public static void fail(Span span, Throwable t, String safeMessage) {
        span.setStatus(StatusCode.ERROR, safeMessage);
        StringBuilder st = new StringBuilder(t.getClass().getName());
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 25); i++) st.append("\n\tat ").append(frames[i]);
        if (frames.length > 25) st.append("\n\t... ").append(frames.length - 25).append(" more");
        span.addEvent("exception", Attributes.of(EXCEPTION_TYPE, t.getClass().getName(), EXCEPTION_MESSAGE, safeMessage,
                EXCEPTION_STACKTRACE, st.toString()));
    }

    public long exportedSpans() { return exporter == null ? 0 : exporter.exported(); }

    public long failedSpans() { return exporter == null ? 0 : exporter.failed(); }

    public long droppedSpans() { return exporter == null ? 0 : exporter.dropped(); }

    /**
     * The exporter's health on the service's /metrics: {@code <prefix>_trace_spans_exported_total},
     * {@code _failed_total} (the backend refused or was unreachable), {@code _dropped_total} (the bounded queue
     * was full: the request path never waits for the backend) and {@code <prefix>_trace_export_queue_spans}.
     */
    public void register(PrometheusRegistry registry, String prefix) {
        CounterWithCallback.builder().name(prefix + "_trace_spans_exported_total").help("Spans sent to the trace backend.")
                .callback(cb -> cb.call(exportedSpans())).register(registry);
        CounterWithCallback.builder().name(prefix + "_trace_spans_failed_total").help("Spans the trace backend did not take (down, refused, timed out).")
                .callback(cb -> cb.call(failedSpans())).register(registry);
        CounterWithCallback.builder().name(prefix + "_trace_spans_dropped_total").help("Spans dropped because the bounded export queue was full.")
                .callback(cb -> cb.call(droppedSpans())).register(registry);
        GaugeWithCallback.builder().name(prefix + "_trace_export_queue_spans").help("Finished spans waiting for export.")
                .callback(cb -> cb.call(exporter == null ? 0 : exporter.queued())).register(registry);
    }

    /** Sends what is queued (bounded by the exporter's timeout). */
    public void flush() {
        provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
