package io.andon.alertmanager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Escalation of unacknowledged alarms (issue 19 item 3): an alert of a severity with a configured delay (default:
 * critical after 10 min) that is still unacknowledged that long after it started firing escalates, once per
 * firing. It stays escalated until it is acknowledged or resolves (it leaves the list it is fed). The sound repeats
 * at the severity's interval while something is escalated, unless snoozed. Pure logic: the clock is injected,
 * the UI asks {@link #escalated()} and {@link #ringDue()}.
 * <p>
 * "Unacknowledged" is whatever the caller passes in: the console passes {@link CriticalNotifier#unacknowledged()}
 * (which reflects the shared acknowledgements). The time counts from the alert's {@code startsAt}, so every
 * console escalates the same alert at the same moment, and a console started late does not restart the count.
 */
public final class Escalation {
    /** Per severity: after how long unacknowledged it escalates, and how often the sound repeats then. */
    public record Rule(Duration after, Duration repeatSound) {
        public Rule {
            if (after == null || after.isNegative()) throw new IllegalArgumentException("escalation delay must be zero or more");
            if (repeatSound == null || repeatSound.isNegative() || repeatSound.isZero()) throw new IllegalArgumentException("sound repeat must be positive");
        }
    }

    /** An escalated alert and when it escalated. */
    public record Escalated(Alert alert, Instant at) {}

    /** Default: criticals after 10 minutes, sound every 30 s; other severities never escalate. */
    public static Map<String, Rule> defaults() {
        return Map.of("critical", new Rule(Duration.ofMinutes(10), Duration.ofSeconds(30)));
    }

    /**
     * Rules from the console's settings ({@code escalation.<severity>.after = 10m}, {@code escalation.<severity>.sound
     * = 30s}; {@code escalation.<severity>.after = off} disables one), over the defaults. A bad value fails with the key
     * named.
     */
    public static Map<String, Rule> fromSettings(java.util.function.Function<String, java.util.Optional<String>> setting) {
        Map<String, Rule> out = new java.util.TreeMap<>(defaults());
        for (String sev : List.of("critical", "warning", "info")) {
            java.util.Optional<String> after = setting.apply("escalation." + sev + ".after");
            java.util.Optional<String> sound = setting.apply("escalation." + sev + ".sound");
            if (after.isPresent() && after.get().strip().equalsIgnoreCase("off")) {
                out.remove(sev);
                continue;
            }
            if (after.isEmpty() && sound.isEmpty()) continue;
            Rule base = out.getOrDefault(sev, new Rule(Duration.ofMinutes(10), Duration.ofSeconds(30)));
            try {
                out.put(sev, new Rule(after.map(io.andon.util.Durations::parse).orElse(base.after()),
                        sound.map(io.andon.util.Durations::parse).orElse(base.repeatSound())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("escalation." + sev + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private final Clock clock;
    private final Map<String, Rule> rules;
    private final Consumer<Escalated> onEscalate;
    // fingerprint + startsAt: a re-firing alert is a new firing that may escalate again
    private final Map<String, Escalated> escalated = new LinkedHashMap<>();
    private final Map<String, Instant> escalatedOnce = new LinkedHashMap<>();
    private Instant nextRing = Instant.MIN;
    private Instant snoozedUntil = Instant.MIN;

    public Escalation(Clock clock, Map<String, Rule> rules, Consumer<Escalated> onEscalate) {
        this.clock = clock;
        this.rules = Map.copyOf(rules);
        this.onEscalate = onEscalate;
    }

    /**
     * Takes the complete list of active alerts nobody has acknowledged (a failed poll must not be fed: it would
     * look like "all acknowledged"). Returns the alerts that escalated now (each is also sent to the callback once).
     */
    public List<Escalated> update(Collection<Alert> unacknowledged) {
        Instant now = clock.instant();
        List<Escalated> fresh = new ArrayList<>();
        synchronized (this) {
            Map<String, Alert> present = new LinkedHashMap<>();
            for (Alert a : unacknowledged) {
                if (!"active".equals(a.state())) continue;
                present.put(key(a), a);
            }
            escalated.keySet().retainAll(present.keySet());
            escalatedOnce.keySet().retainAll(present.keySet());
            for (var e : present.entrySet()) {
                Alert a = e.getValue();
                Rule r = rules.get(a.severity());
                if (r == null) continue;
                Instant since = a.startsAt() == null || a.startsAt().isAfter(now) ? now : a.startsAt();
                if (Duration.between(since, now).compareTo(r.after()) < 0) {
                    // still counting; keep the refreshed alert (annotations may change)
                    if (escalated.containsKey(e.getKey())) escalated.put(e.getKey(), new Escalated(a, escalated.get(e.getKey()).at()));
                    continue;
                }
                if (escalatedOnce.putIfAbsent(e.getKey(), now) == null) {
                    Escalated x = new Escalated(a, now);
                    escalated.put(e.getKey(), x);
                    fresh.add(x);
                } else {
                    escalated.put(e.getKey(), new Escalated(a, escalated.get(e.getKey()).at()));
                }
            }
            // a new escalation rings at once, even inside the repeat interval of an older one
            if (!fresh.isEmpty()) nextRing = Instant.MIN;
        }
        fresh.forEach(onEscalate);
        return fresh;
    }

    private static String key(Alert a) {
        return a.fingerprint() + "@" + a.startsAt();
    }

    /** What is escalated now, oldest escalation first. */
    public synchronized List<Escalated> escalated() { return List.copyOf(escalated.values()); }

    public synchronized boolean active() { return !escalated.isEmpty(); }

    /**
     * True when the sound should play now (and then not again before the repeat interval of the most urgent
     * escalated severity, the shortest): something is escalated and the sound is not snoozed.
     */
    public synchronized boolean ringDue() {
        Instant now = clock.instant();
        if (escalated.isEmpty() || now.isBefore(snoozedUntil) || now.isBefore(nextRing)) return false;
        Duration repeat = escalated.values().stream().map(x -> rules.get(x.alert().severity()))
                .filter(java.util.Objects::nonNull).map(Rule::repeatSound).min(Duration::compareTo).orElse(Duration.ofSeconds(30));
        nextRing = now.plus(repeat);
        return true;
    }

    /** The severity of the most urgent escalated alert (what the sound plays), empty when nothing is escalated. */
    public synchronized java.util.Optional<String> loudest() {
        return escalated.values().stream().map(x -> x.alert().severity())
                .min(java.util.Comparator.comparingInt(s -> switch (s) {
                    case "critical" -> 0;
                    case "warning" -> 1;
                    default -> 2;
                }));
    }

    /** Silences the repeating sound for a while (the banner and the wall stay escalated). */
    public synchronized void snooze(Duration d) { snoozedUntil = clock.instant().plus(d); }

    public synchronized Instant snoozedUntil() { return snoozedUntil; }

    public Map<String, Rule> rules() { return rules; }
}
