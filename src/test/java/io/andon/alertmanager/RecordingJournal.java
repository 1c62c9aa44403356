package io.andon.alertmanager;

import io.andon.journal.Journal;
import io.andon.journal.JournalEntry;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory journal for tests of the acknowledgement (the Elasticsearch one is the journal issue's). */
public final class RecordingJournal implements Journal {
    private final List<JournalEntry> entries = new CopyOnWriteArrayList<>();

    @Override
    public void append(JournalEntry entry) { entries.add(entry); }

    @Override
    public List<JournalEntry> forAlert(String fingerprint) {
        return entries.stream().filter(e -> fingerprint.equals(e.fingerprint())).toList();
    }

    @Override
    public List<JournalEntry> between(Instant from, Instant to) {
        return entries.stream().filter(e -> !e.at().isBefore(from) && e.at().isBefore(to)).toList();
    }

    public List<JournalEntry> all() { return List.copyOf(entries); }
}
