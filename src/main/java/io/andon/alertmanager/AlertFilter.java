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
public record AlertFilter(List<Silence.Matcher> matchers, String text, java.util.Set<String> severities) {
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,\"][^\\s,]*))\\s*,?");

    public static final AlertFilter NONE = new AlertFilter(List.of(), "");

    public AlertFilter {
        matchers = List.copyOf(matchers);
        text = text == null ? "" : text;
        severities = severities == null ? java.util.Set.of() : java.util.Set.copyOf(severities);
    }

    public AlertFilter(List<Silence.Matcher> matchers, String text) { this(matchers, text, java.util.Set.of()); }

    /** Only these severities (empty: any). */
    public AlertFilter withSeverities(java.util.Set<String> s) { return new AlertFilter(matchers, text, s); }

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
        String restText = rest.toString().trim();
        // a half-typed matcher ("severity=" or 'plant="P0') must not silently turn into free text that matches nothing
        Matcher broken = BROKEN.matcher(restText);
        if (broken.find()) throw new IllegalArgumentException("incomplete matcher '" + broken.group().trim() + "': write name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\"");
        return new AlertFilter(ms, restText);
    }

    private static final Pattern BROKEN = Pattern.compile("(^|\\s)[a-zA-Z_][a-zA-Z0-9_]*\\s*(=~|!~|!=|=)\\s*(\"[^\"]*)?$");

    private static final java.util.Map<String, Pattern> REGEX = new java.util.concurrent.ConcurrentHashMap<>();

    private static Pattern regex(String r) {
        if (REGEX.size() > 256) REGEX.clear();
        return REGEX.computeIfAbsent(r, Pattern::compile);
    }

    public boolean test(Alert a) {
        if (!severities.isEmpty() && !severities.contains(a.severity())) return false;
        for (Silence.Matcher m : matchers) {
            String v = a.labels().getOrDefault(m.name(), "");
            // Alertmanager anchors regular expressions: the whole value must match
            boolean hit = m.isRegex() ? regex(m.value()).matcher(v).matches() : v.equals(m.value());
            if (hit != m.isEqual()) return false;
        }
        if (text.isEmpty()) return true;
        String needle = text.toLowerCase(Locale.ROOT);
        return a.labels().values().stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(needle))
                || a.annotations().values().stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(needle));
    }
}
