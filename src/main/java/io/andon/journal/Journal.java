package io.andon.journal;

import java.time.Instant;
import java.util.List;

/**
 * The operator journal. Appending never blocks on the store and never loses an entry: an implementation that
 * cannot reach its store queues on disk and delivers later (once).
 */
public interface Journal extends JournalReader {
    /** Records the entry (or queues it); never throws for a store outage. */
    void append(JournalEntry entry);

    /** Entries about one alert, oldest first. */
    @Override
    List<JournalEntry> forAlert(String fingerprint) throws JournalException;

    /** Entries in {@code [from, to)}, oldest first (the shift report reads this). */
    @Override
    List<JournalEntry> between(Instant from, Instant to) throws JournalException;
}
