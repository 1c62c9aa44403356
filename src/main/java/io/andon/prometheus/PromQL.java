package io.andon.prometheus;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PromQL built from fixed text plus user values that can only ever become string literals. A dashboard
 * query may say {@code plant="$plant"}; the value is escaped into the quotes, so a value such as
 * {@code "} or x} stays a label value and cannot change the expression.
 */
public final class PromQL {
    private static final Pattern VAR = Pattern.compile("\"\\$([A-Za-z_][A-Za-z0-9_]*)\"");

    private PromQL() {}

    /** Escapes a string for use inside a double-quoted PromQL string literal. */
    public static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A quoted, escaped string literal. */
    public static String literal(String value) {
        return '"' + escape(value) + '"';
    }

    /**
     * Substitutes {@code "$name"} (variables only inside double quotes) with escaped values. A variable
     * outside quotes is not substituted, so user text never becomes PromQL syntax.
     */
    public static String render(String template, Map<String, String> vars) {
        Matcher m = VAR.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) throw new IllegalArgumentException("query variable $" + m.group(1) + " has no value");
            m.appendReplacement(out, Matcher.quoteReplacement(literal(v)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
