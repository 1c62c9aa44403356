package io.andon.alertmanager;

import io.andon.net.SourceException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Holds acknowledgements until their alert resolves. Every console runs it after each good poll, so any running
 * console does the work and none is in charge:
 * <ul>
 *   <li>an ack whose alert still fires and whose end is within {@code margin} is extended to now + {@code hold},
 *   updated by its id (Alertmanager keeps the id, so two consoles renewing at once update one silence);</li>
 *   <li>an ack whose alert is gone (confirmed by asking the members again, not only the poll) is expired: it stays in
 *   Alertmanager as expired, not deleted;</li>
 *   <li>several acks with the same matchers (two consoles acknowledging at once, or an id lost in a race): the oldest
 *   is kept and the others expired, chosen the same way on every console, before renewal, so a firing alert never
 *   ends up with none.</li>
 * </ul>
 * With no console running an ack lasts at most {@code hold}. Shelves are never touched (they end when chosen).
 */
public final class AckKeeper {
    /** What one pass did (silence ids), and what it could not do. */
    public record Report(List<String> renewed, List<String> expired, List<String> deduplicated, List<String> errors) {
        public boolean idle() { return renewed.isEmpty() && expired.isEmpty() && deduplicated.isEmpty() && errors.isEmpty(); }
    }

    public static final Duration DEFAULT_HOLD = Duration.ofMinutes(15);
    public static final Duration DEFAULT_MARGIN = Duration.ofMinutes(5);

    private final AlertmanagerPool pool;
    private final Duration hold;
    private final Duration margin;
    private final Clock clock;

    public AckKeeper(AlertmanagerPool pool, Duration hold, Duration margin, Clock clock) {
        if (hold.isNegative() || hold.isZero() || margin.isNegative() || margin.compareTo(hold) >= 0) {
            throw new IllegalArgumentException("hold must be positive and the renewal margin shorter than it");
        }
        this.pool = pool;
        this.hold = hold;
        this.margin = margin;
        this.clock = clock;
    }

    public AckKeeper(AlertmanagerPool pool) { this(pool, DEFAULT_HOLD, DEFAULT_MARGIN, Clock.systemUTC()); }

    public Duration hold() { return hold; }

    /** One pass over a complete poll (never over a stale list: that would expire every ack). */
    public Report keep(List<Alert> alerts, List<Silence> silences) {
        List<String> renewed = new ArrayList<>(), expired = new ArrayList<>(), dedup = new ArrayList<>(), errors = new ArrayList<>();
        Map<String, List<Silence>> byMatchers = new LinkedHashMap<>();
        for (Silence s : silences) {
            Optional<Acknowledgement> k = Acknowledgement.parse(s);
            if (k.isEmpty() || k.get().kind() != Acknowledgement.Kind.ACK || !k.get().live()) continue;
            byMatchers.computeIfAbsent(k.get().matcherKey(), x -> new ArrayList<>()).add(s);
        }
        Instant now = clock.instant();
        for (List<Silence> same : byMatchers.values()) {
            same.sort((x, y) -> Acknowledgement.ORDER.compare(Acknowledgement.parse(x).orElseThrow(), Acknowledgement.parse(y).orElseThrow()));
            Silence keep = same.getFirst();
            for (Silence dup : same.subList(1, same.size())) {
                try {
                    pool.expireSilence(dup.id());
                    dedup.add(dup.id());
                } catch (SourceException e) {
                    errors.add(e.getMessage());
                }
            }
            Acknowledgement ack = Acknowledgement.parse(keep).orElseThrow();
            boolean firing = alerts.stream().anyMatch(ack::covers);
            try {
                // the poll may be a moment old: ask again before letting an ack go
                if (!firing) firing = !pool.alertsMatching(keep.matchers()).isEmpty();
                if (!firing) {
                    pool.expireSilence(keep.id());
                    expired.add(keep.id());
                } else if (keep.endsAt() == null || Duration.between(now, keep.endsAt()).compareTo(margin) < 0) {
                    Instant end = now.plus(hold);
                    pool.updateSilence(keep, end, keep.createdBy(), keep.comment());
                    renewed.add(keep.id());
                }
            } catch (SourceException e) {
                errors.add(e.getMessage());
            }
        }
        return new Report(renewed, expired, dedup, errors);
    }
}
