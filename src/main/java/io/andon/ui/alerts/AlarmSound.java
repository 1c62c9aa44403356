package io.andon.ui.alerts;

import io.andon.util.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The escalation sound per severity, on the system bell (Andon ships no audio files and javafx-media is not in the
 * build): the bell has one tone, so severities differ by rhythm — a critical is a fast triple, a warning a slow
 * double, anything else one ring. How often the pattern repeats is the escalation's cadence
 * ({@code escalation.<severity>.sound}); the pattern is {@code sound.<severity>.pattern = <rings>x<gap>} (e.g.
 * {@code 3x200ms}) or {@code off}. A pattern still playing is not started over (a short cadence never piles up).
 */
public final class AlarmSound {
    /** {@code rings} bells, {@code gap} apart (start to start); zero rings: silent. */
    public record Pattern(int rings, Duration gap) {
        public static final Pattern OFF = new Pattern(0, Duration.ZERO);

        public Pattern {
            if (rings < 0 || rings > 10) throw new IllegalArgumentException("rings must be 0 to 10, not " + rings);
            if (rings > 1 && (gap.compareTo(Duration.ofMillis(100)) < 0 || gap.compareTo(Duration.ofSeconds(3)) > 0)) {
                // under 100 ms the bells run together (one ring to the ear); over 3 s they stop reading as one pattern
                throw new IllegalArgumentException("the gap between rings must be 100ms to 3s, not " + gap.toMillis() + "ms");
            }
        }

        /** When each ring starts, from the start of the pattern. */
        public List<Duration> offsets() {
            List<Duration> out = new ArrayList<>();
            for (int i = 0; i < rings; i++) out.add(gap.multipliedBy(i));
            return out;
        }

        /** How long the pattern takes, first ring to last. */
        public Duration length() { return rings == 0 ? Duration.ZERO : gap.multipliedBy(rings - 1); }

        /** {@code 3x200ms}, {@code 1} (one ring), {@code off}. */
        public static Pattern parse(String text) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            if (t.equals("off") || t.equals("0")) return OFF;
            int x = t.indexOf('x');
            try {
                if (x < 0) return new Pattern(Integer.parseInt(t), Duration.ZERO);
                return new Pattern(Integer.parseInt(t.substring(0, x).strip()), Durations.parse(t.substring(x + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a ring pattern: '" + text + "' (use e.g. 3x200ms, 1, off)");
            }
        }

        @Override
        public String toString() { return rings == 0 ? "off" : rings + "x" + gap.toMillis() + "ms"; }
    }

    /** A critical: three fast rings; a warning: two slow ones; the rest (info, unknown): one. */
    public static final Map<String, Pattern> DEFAULTS = Map.of(
            "critical", new Pattern(3, Duration.ofMillis(200)),
            "warning", new Pattern(2, Duration.ofMillis(900)),
            "info", new Pattern(1, Duration.ZERO));

    /** Sleeping between rings (the test passes one that records instead). */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Map<String, Pattern> patterns;
    private final Runnable bell;
    private final Sleeper sleeper;
    private final AtomicBoolean playing = new AtomicBoolean();

    AlarmSound(Map<String, Pattern> patterns, Runnable bell, Sleeper sleeper) {
        this.patterns = Map.copyOf(patterns);
        this.bell = bell;
        this.sleeper = sleeper;
    }

    /** The default patterns on the system bell. */
    public static AlarmSound defaults() {
        return systemBell(DEFAULTS);
    }

    /**
     * Patterns from the console's settings ({@code sound.critical.pattern}, {@code sound.warning.pattern},
     * {@code sound.info.pattern}) over the defaults; a bad value fails with its key named.
     */
    public static AlarmSound fromSettings(Function<String, Optional<String>> setting) {
        return systemBell(patternsFromSettings(setting));
    }

    static Map<String, Pattern> patternsFromSettings(Function<String, Optional<String>> setting) {
        Map<String, Pattern> out = new TreeMap<>(DEFAULTS);
        for (String sev : List.of("critical", "warning", "info")) {
            String key = "sound." + sev + ".pattern";
            Optional<String> v = setting.apply(key);
            if (v.isEmpty() || v.get().isBlank()) continue;
            try {
                out.put(sev, Pattern.parse(v.get()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static AlarmSound systemBell(Map<String, Pattern> patterns) {
        return new AlarmSound(patterns, () -> java.awt.Toolkit.getDefaultToolkit().beep(), d -> Thread.sleep(d.toMillis()));
    }

    /** The pattern a severity rings (an unknown severity rings as info). */
    public Pattern patternFor(String severity) {
        Pattern p = patterns.get(severity);
        return p != null ? p : patterns.getOrDefault("info", DEFAULTS.get("info"));
    }

    /**
     * Rings the severity's pattern off the calling thread (the FX thread must not wait on the bells). Returns false
     * when nothing was started: the pattern is off, or the last one is still playing.
     */
    public boolean ring(String severity) {
        Pattern p = patternFor(severity);
        if (p.rings() == 0 || !playing.compareAndSet(false, true)) return false;
        Thread.ofVirtual().name("andon-alarm-sound").start(() -> play(p));
        return true;
    }

    /** Plays one pattern on this thread; {@link #ring} calls it on its own. */
    void play(Pattern p) {
        try {
            for (int i = 0; i < p.rings(); i++) {
                if (i > 0) sleeper.sleep(p.gap());
                bell.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            playing.set(false);
        }
    }

    /** Whether a pattern is playing now. */
    boolean playing() { return playing.get(); }
}
