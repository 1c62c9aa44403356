package io.andon.server.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The tracing setup without a backend: ids without export, MDC, the bounded queue against a stuck exporter. */
class TracingTest {

    @Test
    void withoutAZipkinUrlSpansStillHaveRealIds() {
        // the SDK makes only invalid (all-zero) spans when no processor is registered: log lines lost their ids once
        try (Tracing t = Tracing.create(new Tracing.Config("test", 1.0, null))) {
            Span s = t.tracer().spanBuilder("x").startSpan();
            assertThat(s.getSpanContext().isValid()).isTrue();
            assertThat(s.getSpanContext().isSampled()).isTrue();
            s.end();
        }
    }

    @Test
    void theRatioAppliesToNewTracesOnlyAndTheCallersDecisionIsKept() {
        try (Tracing t = Tracing.create(new Tracing.Config("test", 0.0, null))) {
            assertThat(t.tracer().spanBuilder("new").startSpan().getSpanContext().isSampled()).isFalse();
            var parent = Tracing.extract(h -> h.equals("traceparent") ? "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" : null);
            Span child = t.tracer().spanBuilder("child").setParent(parent).startSpan();
            assertThat(child.getSpanContext().isSampled()).isTrue();
            assertThat(child.getSpanContext().getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        }
    }

    @Test
    void configRejectsNonsense() {
        assertThatThrownBy(() -> new Tracing.Config("x", 1.5, null)).hasMessageContaining("--trace-sampling");
        assertThatThrownBy(() -> new Tracing.Config("x", Double.NaN, null)).hasMessageContaining("--trace-sampling");
        assertThatThrownBy(() -> new Tracing.Config("x", 1, URI.create("file:///etc/passwd"))).hasMessageContaining("--zipkin-url");
    }

    @Test
    void theLogMdcNamesTheInnermostSpanAndIsRestored() {
        try (Tracing t = Tracing.create(new Tracing.Config("test", 1.0, null))) {
            Span outer = t.tracer().spanBuilder("outer").startSpan();
            try (Scope a = Tracing.current(outer)) {
                Span inner = t.tracer().spanBuilder("inner").startSpan();
                try (Scope b = Tracing.current(inner)) {
                    assertThat(MDC.get("span_id")).isEqualTo(inner.getSpanContext().getSpanId());
                    assertThat(MDC.get("trace_id")).isEqualTo(outer.getSpanContext().getTraceId());
                }
                assertThat(MDC.get("span_id")).isEqualTo(outer.getSpanContext().getSpanId());
            }
            assertThat(MDC.get("span_id")).isNull();
            assertThat(MDC.get("trace_id")).isNull();
        }
    }

    /** An exporter stuck until released, as a backend that accepts the connection and never answers. */
    static final class StuckExporter implements SpanExporter {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger received = new AtomicInteger();

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.addAndGet(spans.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
        @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
    }

    @Test
    void aStuckBackendNeverBlocksSpanEndsAndDropsAreCounted() {
        StuckExporter stuck = new StuckExporter();
        BoundedExportProcessor p = new BoundedExportProcessor(stuck, 10, 5, Duration.ofMillis(20), Duration.ofSeconds(30), "test");
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(p).build();
        var tracer = provider.get("test");
        // a span end that waited for the exporter would hang here until the 30 s export timeout
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 100; i++) tracer.spanBuilder("s" + i).startSpan().end();
        });
        // at most one batch in the stuck export and a full queue: everything else was dropped
        assertThat(p.dropped()).isGreaterThanOrEqualTo(100 - 10 - 5);
        assertThat(p.exported() + p.failed()).isZero();
        stuck.release.countDown();
        provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(p.exported() + p.dropped()).isEqualTo(100);
        assertThat(stuck.received.get()).isEqualTo((int) p.exported());
    }

    @Test
    void anExportThatTimesOutCountsAsFailed() {
        SpanExporter never = new SpanExporter() {
            @Override public CompletableResultCode export(Collection<SpanData> spans) { return new CompletableResultCode(); }
            @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
            @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
        };
        BoundedExportProcessor p = new BoundedExportProcessor(never, 100, 50, Duration.ofMillis(20), Duration.ofMillis(100), "test");
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(p).build();
        for (int i = 0; i < 7; i++) provider.get("test").spanBuilder("s").startSpan().end();
        provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(p.failed()).isEqualTo(7);
        assertThat(p.exported()).isZero();
    }
}
