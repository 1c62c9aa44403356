package io.andon.server.slo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * YAML documents (a file may hold several, {@code ---}) as Jackson trees plus the line of every node, keyed by
 * its path ({@code /spec/target}, {@code /slos/0/name}): Jackson's trees forget where a value came from, and a
 * message without a line makes a site hunt through the file.
 */
final class LocatedYaml {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    record Doc(String file, int index, JsonNode root, Map<String, Integer> lines) {
        /** Line of the node at path, else of its nearest located parent, else the document's first line. */
        int line(String path) {
            for (String p = path; ; p = p.substring(0, p.lastIndexOf('/'))) {
                Integer l = lines.get(p);
                if (l != null) return l;
                if (p.isEmpty()) return 1;
            }
        }
    }

    private LocatedYaml() {}

    static List<Doc> parse(String file, String text) throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Map<String, Integer> lines = new HashMap<>();
                JsonNode root = read(p, t, "", lines);
                if (root != null && !root.isNull()) docs.add(new Doc(file, docs.size(), root, lines));
            }
        }
        return docs;
    }

    private static JsonNode read(JsonParser p, JsonToken t, String path, Map<String, Integer> lines) throws IOException {
        lines.put(path, p.currentTokenLocation().getLineNr());
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = path + "/" + name;
                    int keyLine = p.currentTokenLocation().getLineNr();
                    JsonNode v = read(p, p.nextToken(), child, lines);
                    // a block scalar or a nested map starts on the next line: the key's line is where a reader looks
                    lines.put(child, keyLine);
                    o.set(name, v);
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                int i = 0;
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) a.add(read(p, e, path + "/" + i++, lines));
                return a;
            }
            case VALUE_STRING -> { return NODES.textNode(p.getText()); }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> { return NODES.numberNode(p.getDecimalValue()); }
            case VALUE_TRUE -> { return NODES.booleanNode(true); }
            case VALUE_FALSE -> { return NODES.booleanNode(false); }
            case VALUE_NULL -> { return NODES.nullNode(); }
            default -> { return NODES.textNode(p.getText()); }
        }
    }
}
