package io.andon.alertmanager;

import io.andon.journal.Journal;
import io.andon.journal.JournalEntry;
import io.andon.net.SourceException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The operator's actions on alerts: acknowledge, un-acknowledge, shelve, un-shelve and note. Acks and shelves live
 * in Alertmanager (see {@link Acknowledgement}); each action is also appended to the operator journal. Headless:
 * the view models call it off the FX thread.
 */
public final class Acknowledger {
    /** What an action did: the alerts it applied to, and those it skipped with the reason (e.g. resolved meanwhile). */
    public record Outcome(List<Alert> done, List<String> skipped) {
        public Outcome {
            done = List.copyOf(done);
            skipped = List.copyOf(skipped);
        }
    }

    private final AlertmanagerPool pool;
    private final Journal journal;
    private final String console;
    private final Duration hold;
    private final Clock clock;

    /**
     * @param console this console's name in the journal (host name by default)
     * @param hold    how long an ack silence runs before a keeper must renew it ({@link AckKeeper#hold()})
     */
    public Acknowledger(AlertmanagerPool pool, Journal journal, String console, Duration hold, Clock clock) {
        this.pool = pool;
        this.journal = journal;
        this.console = console;
        this.hold = hold;
        this.clock = clock;
    }

    /**
     * Acknowledges each alert with one silence on its exact labels. An alert that resolved meanwhile is skipped and
     * named (nothing to hold); an alert already acknowledged gets the new owner and note on the same silence.
     * Alertmanager refusing the silence throws its message: nothing is journaled then, the caller keeps the form.
     */
    public Outcome acknowledge(List<Alert> alerts, String owner, String note) throws SourceException {
        String comment = Acknowledgement.comment(Acknowledgement.Kind.ACK, note);
        requireOwner(owner);
        return apply(alerts, "acknowledge", (a, existing, now) -> {
            Optional<Silence> mine = existing.stream().filter(s -> Acknowledgement.parse(s).map(k -> k.kind() == Acknowledgement.Kind.ACK).orElse(false))
                    .filter(s -> sameMatchers(s, a)).findFirst();
            String id = mine.isPresent() ? pool.updateSilence(mine.get(), now.plus(hold), owner.strip(), comment)
                    : pool.createSilence(Acknowledgement.matchers(a.labels()), now, now.plus(hold), owner.strip(), comment);
            entry(JournalEntry.Action.ACK, owner, a, note.strip(), null, id, now);
        });
    }

    /** Shelves each alert until {@code until}: a silence that ends by itself, with the reason. */
    public Outcome shelve(List<Alert> alerts, String owner, String reason, Instant until) throws SourceException {
        String comment = Acknowledgement.comment(Acknowledgement.Kind.SHELVE, reason);
        requireOwner(owner);
        if (until == null || !until.isAfter(clock.instant())) throw new IllegalArgumentException("the shelve must end in the future");
        return apply(alerts, "shelve", (a, existing, now) -> {
            String id = pool.createSilence(Acknowledgement.matchers(a.labels()), now, until, owner.strip(), comment);
            entry(JournalEntry.Action.SHELVE, owner, a, reason.strip(), until, id, now);
        });
    }

    /** Un-acknowledges: expires every live ack covering these alerts (ours or karma's). */
    public Outcome unacknowledge(List<Alert> alerts, String owner) throws SourceException {
        return end(alerts, owner, Acknowledgement.Kind.ACK, JournalEntry.Action.UNACK);
    }

    /** Un-shelves: expires every live shelve covering these alerts. */
    public Outcome unshelve(List<Alert> alerts, String owner) throws SourceException {
        return end(alerts, owner, Acknowledgement.Kind.SHELVE, JournalEntry.Action.UNSHELVE);
    }

    /** A note on an alert without acknowledging it: journal only. */
    public void note(Alert alert, String owner, String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("the note is empty");
        requireOwner(owner);
        entry(JournalEntry.Action.NOTE, owner, alert, text.strip(), null, null, clock.instant());
    }

    private Outcome end(List<Alert> alerts, String owner, Acknowledgement.Kind kind, JournalEntry.Action action) throws SourceException {
        requireOwner(owner);
        List<Silence> silences = pool.fetch().silences();
        List<Alert> done = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Instant now = clock.instant();
        for (Alert a : alerts) {
            List<Acknowledgement> covering = silences.stream().map(Acknowledgement::parse).flatMap(Optional::stream)
                    .filter(k -> k.kind() == kind && k.live() && k.covers(a)).toList();
            if (covering.isEmpty()) {
                skipped.add(a.name() + " " + a.labels() + ": " + (kind == Acknowledgement.Kind.ACK ? "not acknowledged" : "not shelved"));
                continue;
            }
            for (Acknowledgement k : covering) {
                pool.expireSilence(k.silenceId());
                entry(action, owner, a, "", null, k.silenceId(), now);
            }
            done.add(a);
        }
        return new Outcome(done, skipped);
    }

    private interface Step {
        void run(Alert a, List<Silence> existing, Instant now) throws SourceException;
    }

    private Outcome apply(List<Alert> alerts, String what, Step step) throws SourceException {
        if (alerts.isEmpty()) throw new IllegalArgumentException("no alert to " + what);
        List<Silence> existing = pool.fetch().silences().stream().filter(s -> !"expired".equals(s.state())).toList();
        List<Alert> done = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Alert a : alerts) {
            // asked now, not from the last poll: an ack on a resolved alert would hold nothing (and mute its return)
            if (pool.alertsMatching(Acknowledgement.matchers(a.labels())).isEmpty()) {
                skipped.add(a.name() + " " + a.labels() + ": resolved meanwhile, not " + (what.equals("shelve") ? "shelved" : "acknowledged"));
                continue;
            }
            step.run(a, existing, clock.instant());
            done.add(a);
        }
        return new Outcome(done, skipped);
    }

    private static boolean sameMatchers(Silence s, Alert a) {
        return Acknowledgement.parse(s).orElseThrow().matcherKey()
                .equals(new Acknowledgement(Acknowledgement.Kind.ACK, "", "", "", null, null, "", Acknowledgement.matchers(a.labels())).matcherKey());
    }

    private static void requireOwner(String owner) {
        if (owner == null || owner.isBlank()) throw new IllegalArgumentException("an owner is required");
    }

    private void entry(JournalEntry.Action action, String owner, Alert a, String note, Instant until, String silenceId, Instant at) {
        // the journal queues on its own when its store is down; the ack itself already lives in Alertmanager
        journal.append(new JournalEntry(UUID.randomUUID().toString(), at, action, owner.strip(), console,
                a.labels().get("plant"), a.fingerprint(), a.labels(), note, until, silenceId));
    }
}
