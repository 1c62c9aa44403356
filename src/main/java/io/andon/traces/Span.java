package io.andon.traces;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One span as every trace source reads it (Zipkin v2, Jaeger, Tempo's OTLP JSON), times in microseconds since
 * the epoch as all three keep them. {@code parentId} is null for a root. {@code service} is the span's own
 * service (Zipkin's localEndpoint, Jaeger's process, OTLP's resource {@code service.name}).
 */
public record Span(String traceId, String spanId, String parentId, String name, String service, Kind kind,
                   long startMicros, long durationMicros, boolean error, Map<String, String> tags, List<Event> events) {

    public enum Kind { SERVER, CLIENT, PRODUCER, CONSUMER, INTERNAL }

    /** A timestamped event of the span (Zipkin annotation, Jaeger log, OTLP event); exceptions are events too. */
    public record Event(long timeMicros, String name, Map<String, String> attributes) {
        public Event {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }

    public Span {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        events = events == null ? List.of() : List.copyOf(events);
        if (kind == null) kind = Kind.INTERNAL;
        if (parentId != null && parentId.isBlank()) parentId = null;
    }

    public long endMicros() { return startMicros + durationMicros; }

    public Instant start() { return Instant.ofEpochSecond(startMicros / 1_000_000, (startMicros % 1_000_000) * 1_000); }

    public Instant end() { return Instant.ofEpochSecond(endMicros() / 1_000_000, (endMicros() % 1_000_000) * 1_000); }

    public String tag(String key) { return tags.get(key); }

    /** A SQL client span: the one a pivot to the database page and the database log starts from. */
    public boolean isDatabase() { return tags.containsKey("db.system") || tags.containsKey("db.statement"); }
}
