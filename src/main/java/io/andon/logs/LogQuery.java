package io.andon.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the logs page asks for: a time range, free text (simple_query_string), term filters (include and
 * exclude per field) and audit mode. Turned into Elasticsearch queries with typed builders only.
 */
public record LogQuery(String index, Instant from, Instant to, String text, Map<String, List<String>> include,
                       Map<String, List<String>> exclude, boolean audit) {
    /** Fields the page filters on with exact (keyword) terms. */
    public static final List<String> FILTER_FIELDS = List.of("level", "service", "logger", "user_id", "request_id", "correlation_id", "trace_id");

    public LogQuery {
        if (index == null || index.isBlank()) index = "mes-logs-*";
        text = text == null ? "" : text;
        include = include == null ? Map.of() : Map.copyOf(include);
        exclude = exclude == null ? Map.of() : Map.copyOf(exclude);
        if (from != null && to != null && from.isAfter(to)) throw new IllegalArgumentException("the range starts after it ends");
    }

    public static LogQuery last(Duration d) {
        Instant now = Instant.now();
        return new LogQuery("mes-logs-*", now.minus(d), now, "", Map.of(), Map.of(), false);
    }

    public LogQuery withText(String t) { return new LogQuery(index, from, to, t, include, exclude, audit); }

    public LogQuery withRange(Instant f, Instant t) { return new LogQuery(index, f, t, text, include, exclude, audit); }

    public LogQuery withIndex(String i) { return new LogQuery(i, from, to, text, include, exclude, audit); }

    public LogQuery withAudit(boolean a) { return new LogQuery(index, from, to, text, include, exclude, a); }

    public LogQuery including(String field, String value) {
        var m = new java.util.LinkedHashMap<>(include);
        m.merge(field, List.of(value), (x, y) -> java.util.stream.Stream.concat(x.stream(), y.stream()).distinct().toList());
        return new LogQuery(index, from, to, text, m, exclude, audit);
    }

    public LogQuery excluding(String field, String value) {
        var m = new java.util.LinkedHashMap<>(exclude);
        m.merge(field, List.of(value), (x, y) -> java.util.stream.Stream.concat(x.stream(), y.stream()).distinct().toList());
        return new LogQuery(index, from, to, text, include, m, audit);
    }
}
