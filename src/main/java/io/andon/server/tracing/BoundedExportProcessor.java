package io.andon.server.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finished sampled spans go into a bounded queue that one background thread sends in batches. The request
 * thread only offers to the queue: when the backend is dead or slow the queue fills and further spans are
 * dropped and counted, the request never waits. (The SDK's BatchSpanProcessor drops the same way but reports
 * drops only through an OpenTelemetry meter; here the counts are plain numbers for the service's /metrics.)
 */
final class BoundedExportProcessor implements SpanProcessor {
    private static final Logger log = LoggerFactory.getLogger("io.andon.tracing");

    private final SpanExporter exporter;
    private final ArrayBlockingQueue<SpanData> queue;
    private final int batch;
    private final Duration delay;
    private final Duration exportTimeout;
    private final AtomicLong exported = new AtomicLong(), failed = new AtomicLong(), dropped = new AtomicLong();
    private final Thread worker;
    private final Object flushLock = new Object();
    private volatile boolean stopped;
    private volatile long lastFailureLog;

    BoundedExportProcessor(SpanExporter exporter, int capacity, int batch, Duration delay, Duration exportTimeout, String service) {
        this.exporter = exporter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batch = batch;
        this.delay = delay;
        this.exportTimeout = exportTimeout;
        this.worker = Thread.ofPlatform().daemon().name("span-export-" + service).start(this::run);
    }

    long exported() { return exported.get(); }
    long failed() { return failed.get(); }
    long dropped() { return dropped.get(); }
    int queued() { return queue.size(); }

    @Override public void onStart(Context parent, ReadWriteSpan span) { }
    @Override public boolean isStartRequired() { return false; }
    @Override public boolean isEndRequired() { return true; }

    @Override
    public void onEnd(ReadableSpan span) {
        if (!span.getSpanContext().isSampled()) return;
        if (stopped || !queue.offer(span.toSpanData())) dropped.incrementAndGet();
    }

    private void run() {
        List<SpanData> buf = new ArrayList<>(batch);
        while (!stopped) {
            try {
                SpanData first = queue.poll(delay.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) continue;
                buf.add(first);
                queue.drainTo(buf, batch - 1);
                send(buf);
            } catch (InterruptedException e) {
                if (stopped) break;
            } catch (RuntimeException e) {
                log.warn("span export: {}", e.toString());
            } finally {
                buf.clear();
            }
        }
    }

    private void send(List<SpanData> spans) {
        synchronized (flushLock) {
            CompletableResultCode r = exporter.export(List.copyOf(spans)).join(exportTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r.isSuccess()) {
                exported.addAndGet(spans.size());
            } else {
                failed.addAndGet(spans.size());
                long now = System.currentTimeMillis();
                // one line a minute while the backend stays down, not one per batch
                if (now - lastFailureLog > 60_000) {
                    lastFailureLog = now;
                    log.warn("trace backend did not take {} spans (down or too slow); spans failed so far: {}", spans.size(), failed.get());
                }
            }
        }
    }

    /** Sends everything queued now, on the caller's thread (bounded by the export timeout per batch). */
    @Override
    public CompletableResultCode forceFlush() {
        List<SpanData> buf = new ArrayList<>(batch);
        while (queue.drainTo(buf, batch) > 0) {
            send(buf);
            buf.clear();
        }
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        stopped = true;
        worker.interrupt();
        try {
            worker.join(exportTimeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forceFlush();
        return exporter.shutdown();
    }
}
