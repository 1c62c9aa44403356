package io.andon.alertmanager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Alarm flood (EEMUA 191: more than 10 new alarms in 10 minutes for one operator). A new alarm is a firing that
 * started within the window: counted by its {@code startsAt}, so a console started in the middle of a flood sees it
 * at once and every console agrees. The flood starts when the count in the window exceeds {@code start}, and ends
 * (hysteresis) only when it has fallen to {@code end} or below and stayed there for {@code calm}, so a rate
 * hovering around the threshold does not flap the view. Pure logic, clock injected.
 */
public final class FloodDetector {
    public record Config(int start, int end, Duration window, Duration calm) {
        public Config {
            if (end >= start) throw new IllegalArgumentException("the flood must end below where it starts (end < start)");
            if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("flood window must be positive");
        }

        /** EEMUA 191: >10 in 10 min starts; ends at 5 or fewer in the window, held for 2 min. */
        public static Config eemua() { return new Config(10, 5, Duration.ofMinutes(10), Duration.ofMinutes(2)); }

        /** From the console's settings ({@code flood.start}, {@code flood.end}, {@code flood.window}, {@code flood.calm}) over {@link #eemua()}. */
        public static Config fromSettings(java.util.function.Function<String, java.util.Optional<String>> setting) {
            Config d = eemua();
            try {
                return new Config(setting.apply("flood.start").map(String::strip).map(Integer::parseInt).orElse(d.start()),
                        setting.apply("flood.end").map(String::strip).map(Integer::parseInt).orElse(d.end()),
                        setting.apply("flood.window").map(io.andon.util.Durations::parse).orElse(d.window()),
                        setting.apply("flood.calm").map(io.andon.util.Durations::parse).orElse(d.calm()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("flood settings: " + e.getMessage(), e);
            }
        }
    }

    /** One line of the flood view: an alert group (alertname) at a plant, how many fire, the worst severity. */
    public record Row(String group, String plant, int firing, int newInWindow, String severity) {}

    /** A change of flood state: start or end, with the rate that caused it. */
    public record Change(boolean flooding, Instant at, int newInWindow, List<Row> summary) {}

    private final Clock clock;
    private final Config config;
    private final Consumer<Change> onChange;
    private boolean flooding;
    private Instant calmSince;
    private int rate;
    private List<Row> summary = List.of();

    public FloodDetector(Clock clock, Config config, Consumer<Change> onChange) {
        this.clock = clock;
        this.config = config;
        this.onChange = onChange;
    }

    /** Takes the complete current alert list (never a failed poll's); returns the change it caused, or null. */
    public Change update(Collection<Alert> alerts) {
        Instant now = clock.instant();
        Instant from = now.minus(config.window());
        Change change = null;
        synchronized (this) {
            List<Alert> firing = alerts.stream().filter(a -> "active".equals(a.state()) || a.silenced() || a.inhibited()).toList();
            int n = 0;
            Map<String, int[]> counts = new TreeMap<>();
            Map<String, String> worst = new LinkedHashMap<>();
            for (Alert a : firing) {
                Instant started = a.startsAt() == null ? now : a.startsAt();
                boolean fresh = !started.isBefore(from) && !started.isAfter(now.plusSeconds(60));
                if (fresh) n++;
                String key = a.name() + "\u0000" + a.labels().getOrDefault("plant", "—");
                int[] c = counts.computeIfAbsent(key, k -> new int[2]);
                c[0]++;
                if (fresh) c[1]++;
                worst.merge(key, a.severity(), (x, y) -> rank(x) >= rank(y) ? x : y);
            }
            rate = n;
            List<Row> rows = new ArrayList<>();
            counts.forEach((k, c) -> {
                String[] p = k.split("\u0000", 2);
                rows.add(new Row(p[0], p[1], c[0], c[1], worst.get(k)));
            });
            rows.sort(Comparator.comparingInt((Row r) -> -rank(r.severity())).thenComparing((Row r) -> -r.firing()).thenComparing(Row::group).thenComparing(Row::plant));
            summary = List.copyOf(rows);
            if (!flooding && n > config.start()) {
                flooding = true;
                calmSince = null;
                change = new Change(true, now, n, summary);
            } else if (flooding) {
                if (n > config.end()) {
                    calmSince = null;
                } else if (calmSince == null) {
                    calmSince = now;
                }
                if (calmSince != null && Duration.between(calmSince, now).compareTo(config.calm()) >= 0) {
                    flooding = false;
                    calmSince = null;
                    change = new Change(false, now, n, summary);
                }
            }
        }
        if (change != null) onChange.accept(change);
        return change;
    }

    private static int rank(String severity) {
        return switch (severity) {
            case "critical" -> 3;
            case "warning" -> 2;
            default -> 1;
        };
    }

    public synchronized boolean flooding() { return flooding; }

    /** New alarms in the window at the last update. */
    public synchronized int rate() { return rate; }

    /** Every firing alert, by group and plant, worst first (what the flood view shows). */
    public synchronized List<Row> summary() { return summary; }

    public Config config() { return config; }
}
