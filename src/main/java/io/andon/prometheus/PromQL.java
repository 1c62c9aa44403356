package io.andon.prometheus;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PromQL built from fixed text plus user values that can only ever become string literals. A dashboard
 * query may say {@code {plant="$plant"}}; the value is escaped into the quotes, so a value such as
 * {@code "} or vector(1)} stays a label value and cannot change the expression. There is deliberately no
 * way to substitute a variable outside quotes (as a metric name, a range, a number).
 */
public final class PromQL {
    /** {@code "$name"}, optionally preceded by a regex matcher {@code =~} or {@code !~}. */
    private static final Pattern VAR = Pattern.compile("([=!]~\\s*)?\"\\$([A-Za-z_][A-Za-z0-9_]*)\"");
    private static final Pattern BARE_VAR = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

    private PromQL() {}

    /**
     * Escapes a string for use inside a double-quoted PromQL string literal (Go string syntax): backslash,
     * double quote and control characters. Newlines in particular would end the query's line.
     */
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
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /** A quoted, escaped string literal. */
    public static String literal(String value) {
        return '"' + escape(value) + '"';
    }

    /** A literal for a regex matcher that matches exactly {@code value} (RE2 metacharacters quoted). */
    public static String regexLiteral(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return literal(sb.toString());
    }

    /**
     * Substitutes {@code "$name"} (a variable that is a whole double-quoted string) with the escaped value;
     * after {@code =~} / {@code !~} the value is also regex-quoted so it matches only itself. A variable
     * anywhere else is an error rather than silently left in, so a dashboard author notices.
     */
    public static String render(String template, Map<String, String> vars) {
        Matcher m = VAR.matcher(template);
        StringBuilder out = new StringBuilder();
        int end = 0;
        while (m.find()) {
            checkNoBareVariable(template.substring(end, m.start()));
            String v = vars.get(m.group(2));
            if (v == null) throw new IllegalArgumentException("query variable $" + m.group(2) + " has no value");
            String op = m.group(1);
            String lit = op == null ? literal(v) : op + regexLiteral(v);
            m.appendReplacement(out, Matcher.quoteReplacement(lit));
            end = m.end();
        }
        checkNoBareVariable(template.substring(end));
        m.appendTail(out);
        return out.toString();
    }

    /** Variables a template uses (only the quoted form counts). */
    public static java.util.Set<String> variables(String template) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        Matcher m = VAR.matcher(template);
        while (m.find()) names.add(m.group(2));
        return names;
    }

    private static void checkNoBareVariable(String text) {
        // "$" inside other string literals (e.g. a regex "x$") is fine; only an unquoted $name is refused
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0 && quote != '`' && c == '\\') { i++; continue; }
            if (quote == 0 && (c == '"' || c == '\'' || c == '`')) { quote = c; continue; }
            if (c == quote) { quote = 0; continue; }
            boolean inString = quote != 0;
            if (!inString && c == '$') {
                Matcher b = BARE_VAR.matcher(text).region(i, text.length());
                if (b.lookingAt()) {
                    throw new IllegalArgumentException("query variable $" + b.group(1)
                            + " must be a whole quoted label value like {plant=\"$" + b.group(1) + "\"}");
                }
            }
        }
    }
}
