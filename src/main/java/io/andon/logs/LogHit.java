package io.andon.logs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One log document: the fields the table shows, all fields, the raw JSON, and its sort values for paging. */
public record LogHit(String id, String index, Instant timestamp, String level, String service, String logger, String message,
                     String userId, String requestId, String correlationId, String traceId, String stackTrace,
                     Map<String, Object> fields, String rawJson, List<Object> sort) {
    public LogHit {
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        sort = sort == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(sort));
    }

    /** The exception as one text: type, message and stack trace as far as the document has them (null when none). */
    public String exception() {
        String type = (String) fields.get("exception.type");
        String msg = (String) fields.get("exception.message");
        StringBuilder sb = new StringBuilder();
        if (type != null) sb.append(type);
        if (msg != null) sb.append(sb.isEmpty() ? "" : ": ").append(msg);
        if (stackTrace != null && !stackTrace.isBlank()) sb.append(sb.isEmpty() ? "" : "\n").append(stackTrace);
        return sb.isEmpty() ? null : sb.toString();
    }
}
