package io.andon.util;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus-style durations in config files and flags: 500ms, 5s, 30m, 6h, 3d, 1w. Shared by console and server. */
public final class Durations {
    private static final Pattern P = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private Durations() {}

    public static Duration parse(String text) {
        Matcher m = P.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 5s, 30m, 6h, 3d)");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }
}
