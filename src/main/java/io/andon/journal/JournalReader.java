package io.andon.journal;

import java.time.Instant;
import java.util.List;

/**
 * Reading the operator journal. A console's {@link Journal} reads (its own queued entries merged in) and writes; the
 * headless report reads only ({@link ElasticsearchJournalReader}: no disk queue, so no console's queue slot taken).
 */
public interface JournalReader {
    /** Entries about one alert, oldest first. */
    List<JournalEntry> forAlert(String fingerprint) throws JournalException;

    /** Entries in {@code [from, to)}, oldest first (the shift report reads this). */
    List<JournalEntry> between(Instant from, Instant to) throws JournalException;
}
