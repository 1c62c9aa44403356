package io.andon.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * One shift of one plant: {@code [start, end)} in the plant's time zone. {@code plant} is null for the report over
 * all plants (site-wide shifts).
 */
public record Shift(String plant, String name, ZonedDateTime start, ZonedDateTime end) {
    public Shift {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) throw new IllegalArgumentException("a shift ends after it starts (" + start + " .. " + end + ")");
    }

    public Instant from() { return start.toInstant(); }

    public Instant to() { return end.toInstant(); }

    public Duration length() { return Duration.between(start, end); }

    /** A file-name-safe id: {@code P01-2026-12-06T0800} ({@code all-…} for every plant). */
    public String fileId() {
        String p = plant == null ? "all" : plant.replaceAll("[^A-Za-z0-9_.-]", "_");
        return p + "-" + start.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm" + (start.getSecond() != 0 ? "ss" : "")));
    }
}
