package io.andon.net;

import com.fasterxml.jackson.core.JsonProcessingException;

/** The few JSON parser complaints worth naming to a person; the rest is just "not valid JSON" (the snippet shows the body). */
public final class JsonProblem {
    private JsonProblem() {}

    /**
     * The JSON stopped before it was complete: the parser's EOF exception, or its "end-of-input" complaint (it says
     * that, as a plain parse error, when the cut falls after a comma or a colon).
     */
    public static boolean truncated(JsonProcessingException e) {
        return e instanceof com.fasterxml.jackson.core.io.JsonEOFException || String.valueOf(e.getOriginalMessage()).contains("end-of-input");
    }

    /** " (duplicate key 'data')", " (nested too deeply)" ... or "" when nothing useful can be said. */
    public static String detail(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.startsWith("Duplicate field")) return " (duplicate key " + m.substring("Duplicate field ".length()).lines().findFirst().orElse("") + ")";
        if (m.contains("nesting depth")) return " (nested too deeply)";
        if (m.contains("Number value length") || m.contains("Number length")) return " (a number too long)";
        if (m.contains("Trailing token")) return " (text after the JSON)";
        return "";
    }
}
