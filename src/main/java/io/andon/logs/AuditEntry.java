package io.andon.logs;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A log document read in audit mode: who did what to which object, when, with the state before and after
 * (from the {@code audit.*} fields of the MES audit log).
 */
public record AuditEntry(Instant time, String user, String action, String object, String objectId,
                         Map<String, String> before, Map<String, String> after, String message, LogHit hit) {
    public AuditEntry {
        before = java.util.Collections.unmodifiableMap(new TreeMap<>(before));
        after = java.util.Collections.unmodifiableMap(new TreeMap<>(after));
    }

    /** Null when the document carries no audit action. */
    public static AuditEntry of(LogHit h) {
        Object action = h.fields().get("audit.action");
        if (action == null) return null;
        return new AuditEntry(h.timestamp(), h.userId(), action.toString(), str(h, "audit.object"), str(h, "audit.object_id"),
                sub(h, "audit.before."), sub(h, "audit.after."), h.message(), h);
    }

    private static String str(LogHit h, String f) {
        Object o = h.fields().get(f);
        return o == null ? null : o.toString();
    }

    private static Map<String, String> sub(LogHit h, String prefix) {
        Map<String, String> m = new TreeMap<>();
        h.fields().forEach((k, v) -> { if (k.startsWith(prefix)) m.put(k.substring(prefix.length()), String.valueOf(v)); });
        return m;
    }

    /** Fields whose value changed (or appeared/disappeared). */
    public Map<String, String[]> changes() {
        Map<String, String[]> m = new TreeMap<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) if (!java.util.Objects.equals(before.get(k), after.get(k))) m.put(k, new String[]{before.get(k), after.get(k)});
        return m;
    }
}
