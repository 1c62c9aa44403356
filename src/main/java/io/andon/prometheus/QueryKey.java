package io.andon.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A conservative normal form of a PromQL expression, used only as a cache key so that two tiles whose queries
 * differ in spacing or in the order of a selector's label matchers share one backend query. It does not parse
 * PromQL: it only
 * <ul>
 *   <li>collapses runs of whitespace outside string literals to one space,</li>
 *   <li>drops whitespace next to {@code ( ) { } [ ] ,} (single-character tokens that never form part of a
 *       longer operator, so no two different token sequences can become one),</li>
 *   <li>sorts the matchers of a {@code {...}} selector when every one is the simple {@code name op "string"}
 *       form (anything else, such as a quoted metric name, leaves the selector as written).</li>
 * </ul>
 * String literals are copied byte for byte. An expression with a {@code #} comment outside strings is only
 * trimmed (a comment runs to the end of the line, and joining lines would swallow code). Two expressions with
 * one key always mean the same query; two that mean the same may still have different keys, which only costs
 * a query.
 */
public final class QueryKey {
    private QueryKey() {}

    private static final Pattern MATCHER = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*) ?(=|!=|=~|!~) ?(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)");

    public static String of(String expr) {
        if (expr == null) return "";
        if (hasComment(expr)) return expr.strip();
        return normalize(expr, 0, expr.length());
    }

    private static boolean hasComment(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') i = endOfString(s, i) - 1;
            else if (c == '#') return true;
        }
        return false;
    }

    /** Index just past the string literal opening at {@code start} (the end of input when unterminated). */
    private static int endOfString(String s, int start) {
        char q = s.charAt(start);
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && q != '`') i += 2;
            else if (c == q) return i + 1;
            else i++;
        }
        return s.length();
    }

    private static boolean tight(char c) {
        return c == '(' || c == ')' || c == '{' || c == '}' || c == '[' || c == ']' || c == ',';
    }

    private static String normalize(String s, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        boolean pendingSpace = false;
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                pendingSpace = true;
                i++;
                continue;
            }
            if (pendingSpace && !out.isEmpty() && !tight(out.charAt(out.length() - 1)) && !tight(c)) out.append(' ');
            pendingSpace = false;
            if (c == '"' || c == '\'' || c == '`') {
                int end = Math.min(endOfString(s, i), to);
                out.append(s, i, end);
                i = end;
            } else if (c == '{') {
                int close = closingBrace(s, i, to);
                if (close < 0) { // unbalanced: leave the rest alone apart from spacing
                    out.append(c);
                    i++;
                } else {
                    out.append('{').append(matchers(s, i + 1, close)).append('}');
                    i = close + 1;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int closingBrace(String s, int open, int to) {
        int i = open + 1;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') i = endOfString(s, i);
            else if (c == '}') return i;
            else if (c == '{') return -1;
            else i++;
        }
        return -1;
    }

    /** The inside of a selector: sorted when every matcher is simple, otherwise only re-spaced. */
    private static String matchers(String s, int from, int to) {
        List<String> parts = new ArrayList<>();
        int start = from;
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(s, i);
            } else if (c == ',') {
                parts.add(s.substring(start, i));
                start = ++i;
            } else {
                i++;
            }
        }
        parts.add(s.substring(start, to));
        if (parts.size() > 1 && parts.getLast().isBlank()) parts.removeLast(); // trailing comma
        List<String> norm = new ArrayList<>();
        for (String p : parts) {
            String n = normalize(p, 0, p.length());
            var m = MATCHER.matcher(n);
            if (!m.matches()) return normalize(s, from, to);
            norm.add(m.group(1) + m.group(2) + m.group(3));
        }
        norm.sort(null);
        return String.join(",", norm);
    }
}
