package io.andon.logs;

import java.util.List;
import java.util.Locale;

/**
 * Lays out a logged SQL statement for reading: one clause a line (FROM, WHERE, JOIN, ...), whitespace
 * collapsed, string literals, quoted identifiers and comments left exactly as they are. Not a parser: a
 * statement it does not understand comes out with its words unchanged, only the line breaks may differ.
 */
public final class SqlFormat {
    private SqlFormat() {}

    /** Clauses that start a new line; longest first so "LEFT JOIN" wins over "JOIN". */
    private static final List<String> CLAUSES = List.of("LEFT OUTER JOIN", "RIGHT OUTER JOIN", "FULL OUTER JOIN", "INNER JOIN",
            "LEFT JOIN", "RIGHT JOIN", "CROSS JOIN", "GROUP BY", "ORDER BY", "ON CONFLICT", "UNION ALL", "INSERT INTO",
            "DELETE FROM", "FROM", "WHERE", "JOIN", "HAVING", "LIMIT", "OFFSET", "VALUES", "SET", "RETURNING", "UNION",
            "FOR UPDATE", "FOR SHARE");

    public static String format(String sql) {
        if (sql == null) return "";
        StringBuilder out = new StringBuilder();
        int n = sql.length();
        int depth = 0;
        for (int i = 0; i < n; ) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closing(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end).append('\n');
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (Character.isWhitespace(c)) {
                while (i < n && Character.isWhitespace(sql.charAt(i))) i++;
                if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') out.append(' ');
            } else {
                if (c == '(') depth++;
                if (c == ')') depth = Math.max(0, depth - 1);
                String clause = depth == 0 && wordStart(sql, i) ? clauseAt(sql, i) : null;
                if (clause != null) {
                    trimTrailingSpace(out);
                    if (!out.isEmpty()) out.append('\n');
                    out.append(sql, i, i + clause.length());
                    i += clause.length();
                } else {
                    out.append(c);
                    i++;
                }
            }
        }
        trimTrailingSpace(out);
        return out.toString();
    }

    private static int closing(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) i += 2; // doubled quote inside
                else return i + 1;
            } else {
                i++;
            }
        }
        return s.length();
    }

    private static boolean wordStart(String s, int i) {
        return i == 0 || !(Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_');
    }

    private static String clauseAt(String s, int i) {
        for (String k : CLAUSES) {
            int end = i + k.length();
            if (end > s.length()) continue;
            String candidate = s.substring(i, end).toUpperCase(Locale.ROOT);
            if (candidate.equals(k) && (end == s.length() || !(Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_'))) return k;
        }
        return null;
    }

    private static void trimTrailingSpace(StringBuilder b) {
        while (!b.isEmpty() && b.charAt(b.length() - 1) == ' ') b.setLength(b.length() - 1);
    }
}
