package io.andon.alertmanager;

import java.time.Instant;
import java.util.List;

/** A silence: matchers, time range, author and comment. {@code state}: active, pending or expired. */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment, String state) {
    public Silence {
        matchers = List.copyOf(matchers);
    }

    /** True when every matcher matches these labels (a missing label reads as "", as Alertmanager does). */
    public boolean matches(java.util.Map<String, String> labels) {
        return matchers.stream().allMatch(m -> m.matches(labels.getOrDefault(m.name(), "")));
    }

    public record Matcher(String name, String value, boolean isRegex, boolean isEqual) {
        public static Matcher equal(String name, String value) { return new Matcher(name, value, false, true); }

        /** Alertmanager's semantics: a regex is anchored at both ends; one that does not compile matches nothing. */
        public boolean matches(String v) {
            boolean hit;
            if (isRegex) {
                try {
                    hit = java.util.regex.Pattern.compile("^(?:" + value + ")$").matcher(v).matches();
                } catch (java.util.regex.PatternSyntaxException e) {
                    return false;
                }
            } else {
                hit = value.equals(v);
            }
            return isEqual == hit;
        }

        @Override
        public String toString() {
            return name + (isEqual ? (isRegex ? "=~" : "=") : (isRegex ? "!~" : "!=")) + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
