package io.andon.traces;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A trace search. Null service/operation/min/max = any. Tags are exact key=value matches (Zipkin's
 * annotationQuery, Jaeger's tags, Tempo's TraceQL attributes); each source encodes them itself, a value is never
 * pasted into a query string.
 */
public record TraceQuery(String service, String operation, Duration minDuration, Duration maxDuration,
                         Map<String, String> tags, Instant from, Instant to, int limit) {
    public static final int MAX_LIMIT = 1000;

    public TraceQuery {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (from == null || to == null || !from.isBefore(to)) throw new IllegalArgumentException("a trace search needs a time range with from before to");
        if (limit <= 0 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        if (minDuration != null && maxDuration != null && minDuration.compareTo(maxDuration) > 0) {
            throw new IllegalArgumentException("min duration is above max duration");
        }
        if (service != null && service.isBlank()) service = null;
        if (operation != null && operation.isBlank()) operation = null;
    }

    public static TraceQuery last(Duration d, int limit) {
        Instant now = Instant.now();
        return new TraceQuery(null, null, null, null, Map.of(), now.minus(d), now, limit);
    }

    public TraceQuery withService(String s) { return new TraceQuery(s, operation, minDuration, maxDuration, tags, from, to, limit); }

    public TraceQuery withOperation(String o) { return new TraceQuery(service, o, minDuration, maxDuration, tags, from, to, limit); }

    public TraceQuery withDurations(Duration min, Duration max) { return new TraceQuery(service, operation, min, max, tags, from, to, limit); }

    public TraceQuery withTags(Map<String, String> t) { return new TraceQuery(service, operation, minDuration, maxDuration, t, from, to, limit); }

    public TraceQuery withRange(Instant f, Instant t) { return new TraceQuery(service, operation, minDuration, maxDuration, tags, f, t, limit); }
}
