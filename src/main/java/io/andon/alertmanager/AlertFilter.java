package io.andon.alertmanager;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The alerts page's filter: label matchers as Alertmanager writes them ({@code severity="critical"},
 * {@code plant!=P02}, {@code alertname=~"Database.*"}) plus free text over labels and annotations.
 * Everything runs locally on the fetched list; user text is never sent anywhere.
 */
public record AlertFilter(List<Silence.Matcher> matchers, String text) {
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,]+))\\s*,?");

    public static final AlertFilter NONE = new AlertFilter(List.of(), "");

    /** Parses "severity=critical plant!=P02 disk full": matchers first, the rest is free text. */
    public static AlertFilter parse(String input) {
        List<Silence.Matcher> ms = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        Matcher m = MATCHER.matcher(input == null ? "" : input);
        int last = 0;
        while (m.find()) {
            rest.append(input, last, m.start()).append(' ');
            last = m.end();
            String op = m.group(2);
            String value = m.group(4) != null ? m.group(4).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(5);
            if (op.contains("~")) {
                try {
                    Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("invalid regular expression for " + m.group(1) + ": " + e.getDescription());
                }
            }
            ms.add(new Silence.Matcher(m.group(1), value, op.contains("~"), !op.startsWith("!")));
        }
        if (input != null) rest.append(input.substring(last));
        return new AlertFilter(ms, rest.toString().trim());
    }

    public boolean test(Alert a) {
        for (Silence.Matcher m : matchers) {
            String v = a.labels().getOrDefault(m.name(), "");
            boolean hit = m.isRegex() ? v.matches(m.value()) : v.equals(m.value());
            if (hit != m.isEqual()) return false;
        }
        if (text.isEmpty()) return true;
        String needle = text.toLowerCase(Locale.ROOT);
        return a.labels().values().stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(needle))
                || a.annotations().values().stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(needle));
    }
}
