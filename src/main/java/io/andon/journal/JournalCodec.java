package io.andon.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An entry as the Elasticsearch document (and the line of the disk queue: one format, so a queued line is sent as
 * it is). Built with Jackson, so user text (note, labels, user name) is always a JSON string, never JSON syntax.
 * Field names follow src/server/elasticsearch/andon-journal-template.json.
 */
public final class JournalCodec {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Monthly indices: a plant writes a few hundred entries a day, and the shift report reads by date range. */
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy.MM").withZone(ZoneOffset.UTC);
    public static final String INDEX_PREFIX = "andon-journal-";
    public static final String INDEX_PATTERN = INDEX_PREFIX + "*";

    private JournalCodec() {}

    /** The index an entry goes to: by its own time, so a redelivered entry always lands in the same index. */
    public static String index(JournalEntry e) { return INDEX_PREFIX + MONTH.format(e.at()); }

    public static ObjectNode document(JournalEntry e) {
        ObjectNode d = JSON.createObjectNode();
        d.put("id", e.id());
        d.put("@timestamp", e.at().toString());
        d.put("action", e.action().name());
        putIf(d, "user", e.user());
        putIf(d, "console", e.console());
        putIf(d, "plant", e.plant());
        putIf(d, "fingerprint", e.fingerprint());
        ObjectNode labels = d.putObject("labels");
        e.labels().forEach(labels::put);
        putIf(d, "note", e.note());
        if (e.until() != null) d.put("until", e.until().toString());
        putIf(d, "silence_id", e.silenceId());
        return d;
    }

    private static void putIf(ObjectNode d, String field, String value) {
        if (value != null) d.put(field, value);
    }

    /** The entry of a document; an unreadable one fails with the reason (the caller reports it and skips it). */
    public static JournalEntry entry(JsonNode d) {
        if (d == null || !d.isObject()) throw new IllegalArgumentException("not a JSON object");
        String id = text(d, "id");
        if (id == null || id.isBlank()) throw new IllegalArgumentException("no id");
        String at = text(d, "@timestamp");
        if (at == null) throw new IllegalArgumentException("entry " + id + " has no @timestamp");
        String action = text(d, "action");
        JournalEntry.Action a;
        try {
            a = JournalEntry.Action.valueOf(action == null ? "" : action);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("entry " + id + " has an unknown action '" + action + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = d.path("labels");
        if (l.isObject()) l.properties().forEach(p -> labels.put(p.getKey(), p.getValue().isValueNode() ? p.getValue().asText() : p.getValue().toString()));
        String until = text(d, "until");
        try {
            return new JournalEntry(id, Instant.parse(at), a, text(d, "user"), text(d, "console"), text(d, "plant"),
                    text(d, "fingerprint"), labels, text(d, "note"), until == null ? null : Instant.parse(until), text(d, "silence_id"));
        } catch (java.time.format.DateTimeParseException bad) {
            throw new IllegalArgumentException("entry " + id + " has an unreadable time (" + bad.getParsedString() + ")");
        }
    }

    private static String text(JsonNode d, String f) {
        JsonNode n = d.get(f);
        return n == null || n.isNull() ? null : n.asText();
    }
}
