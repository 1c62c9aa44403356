package io.andon.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the logs page asks for: index pattern, time range, free text (simple_query_string), term filters
 * (include and exclude per field), audit mode, a duration range (ms, the database log's {@code duration_ms};
 * null = open end) and the order. Turned into Elasticsearch queries with typed builders only.
 */
public record LogQuery(String index, Instant from, Instant to, String text, Map<String, List<String>> include,
                       Map<String, List<String>> exclude, boolean audit, Double minDurationMs, Double maxDurationMs, Order order) {
    public static final String DEFAULT_INDEX = "mes-logs-*";
    /** The service of the PostgreSQL server log (src/server/rsyslog/andon-shipper.conf). */
    public static final String DATABASE_SERVICE = "mes-database";

    /** Fields the page filters on with exact (keyword) terms. */
    public static final List<String> FILTER_FIELDS = List.of("level", "service", "logger", "user_id", "request_id", "correlation_id", "trace_id", "span_id",
            "sqlstate", "application_name");

    /** Newest first (the default), or the statements with the longest {@code duration_ms} first, then the newest. */
    public enum Order { NEWEST, SLOWEST }

    /** Without a duration range, newest first: the page's query before the database log. */
    public LogQuery(String index, Instant from, Instant to, String text, Map<String, List<String>> include,
                    Map<String, List<String>> exclude, boolean audit) {
        this(index, from, to, text, include, exclude, audit, null, null, Order.NEWEST);
    }

    /** The range presets of the page. */
    public enum Preset {
        M15(Duration.ofMinutes(15)), H1(Duration.ofHours(1)), H4(Duration.ofHours(4)), H12(Duration.ofHours(12)),
        D1(Duration.ofDays(1)), D7(Duration.ofDays(7)), D30(Duration.ofDays(30));

        public final Duration length;

        Preset(Duration length) { this.length = length; }
    }

    public LogQuery {
        if (index == null || index.isBlank()) index = DEFAULT_INDEX;
        text = text == null ? "" : text;
        include = copy(include);
        exclude = copy(exclude);
        if (from != null && to != null && from.isAfter(to)) throw new IllegalArgumentException("the range starts after it ends");
        if (order == null) order = Order.NEWEST;
        if (minDurationMs != null && maxDurationMs != null && minDurationMs > maxDurationMs) {
            throw new IllegalArgumentException("the duration range starts after it ends");
        }
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> m) {
        if (m == null) return Map.of();
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> { if (v != null && !v.isEmpty()) out.put(k, List.copyOf(v)); });
        return java.util.Collections.unmodifiableMap(out);
    }

    public static LogQuery last(Duration d) {
        Instant now = Instant.now();
        return new LogQuery(DEFAULT_INDEX, now.minus(d), now, "", Map.of(), Map.of(), false);
    }

    public static LogQuery last(Preset p) { return last(p.length); }

    /** Every document carrying this request/correlation/trace id in the query's range and index, any service. */
    public static LogQuery following(LogQuery base, String field, String id) {
        return new LogQuery(base.index(), base.from(), base.to(), "", Map.of(field, List.of(id)), Map.of(), false);
    }

    public LogQuery withText(String t) { return new LogQuery(index, from, to, t, include, exclude, audit, minDurationMs, maxDurationMs, order); }

    public LogQuery withRange(Instant f, Instant t) { return new LogQuery(index, f, t, text, include, exclude, audit, minDurationMs, maxDurationMs, order); }

    public LogQuery withIndex(String i) { return new LogQuery(i, from, to, text, include, exclude, audit, minDurationMs, maxDurationMs, order); }

    /** Only lines whose duration_ms is within [min, max] ms (either null: open end; both null: no range). */
    public LogQuery withDuration(Double min, Double max) { return new LogQuery(index, from, to, text, include, exclude, audit, min, max, order); }

    public LogQuery withOrder(Order o) { return new LogQuery(index, from, to, text, include, exclude, audit, minDurationMs, maxDurationMs, o); }

    /** The same filters with other term filters (a chip removed). */
    public LogQuery withTerms(Map<String, List<String>> in, Map<String, List<String>> out) {
        return new LogQuery(index, from, to, text, in, out, audit, minDurationMs, maxDurationMs, order);
    }

    public LogQuery withAudit(boolean a) { return new LogQuery(index, from, to, text, include, exclude, a, minDurationMs, maxDurationMs, order); }

    public LogQuery including(String field, String value) {
        var m = new LinkedHashMap<>(include);
        m.merge(field, List.of(value), (x, y) -> Stream.concat(x.stream(), y.stream()).distinct().toList());
        return new LogQuery(index, from, to, text, m, exclude, audit, minDurationMs, maxDurationMs, order);
    }

    public LogQuery excluding(String field, String value) {
        var m = new LinkedHashMap<>(exclude);
        m.merge(field, List.of(value), (x, y) -> Stream.concat(x.stream(), y.stream()).distinct().toList());
        return new LogQuery(index, from, to, text, include, m, audit, minDurationMs, maxDurationMs, order);
    }

    /**
     * A problem in the search text, in plain words, or empty. Elasticsearch's simple_query_string never fails on
     * bad syntax: it quietly searches for something else (an unclosed quote swallows the rest as a phrase), so
     * the page says what is wrong instead of showing surprising results.
     */
    public static Optional<String> textProblem(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        int quotes = 0, depth = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++; // escaped character
                continue;
            }
            if (c == '"') quotes++;
            else if (quotes % 2 == 0 && c == '(') depth++;
            else if (quotes % 2 == 0 && c == ')') {
                if (depth == 0) problems.add("there is a ')' without a '(' before it");
                else depth--;
            }
        }
        if (quotes % 2 != 0) problems.add("a quotation mark \" is not closed (a phrase needs one at each end; write \\\" for a literal one)");
        if (depth > 0) problems.add(depth + " '(' " + (depth == 1 ? "is" : "are") + " not closed");
        String t = text.strip();
        char last = t.charAt(t.length() - 1);
        if ((last == '|' || last == '+' || last == '-') && !t.endsWith("\\" + last)) problems.add("the text ends with the operator '" + last + "' and nothing after it");
        if (problems.isEmpty()) return Optional.empty();
        return Optional.of("search text problem: " + String.join("; ", problems.stream().distinct().toList()));
    }
}
