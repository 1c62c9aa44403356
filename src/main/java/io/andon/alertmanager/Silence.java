package io.andon.alertmanager;

import java.time.Instant;
import java.util.List;

/** A silence: matchers, time range, author and comment. {@code state}: active, pending or expired. */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment, String state) {
    public Silence {
        matchers = List.copyOf(matchers);
    }

    public record Matcher(String name, String value, boolean isRegex, boolean isEqual) {
        public static Matcher equal(String name, String value) { return new Matcher(name, value, false, true); }

        @Override
        public String toString() {
            return name + (isEqual ? (isRegex ? "=~" : "=") : (isRegex ? "!~" : "!=")) + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
