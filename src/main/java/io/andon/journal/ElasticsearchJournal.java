package io.andon.journal;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import com.fasterxml.jackson.databind.JsonNode;
import io.andon.net.ElasticsearchRest;
import io.andon.net.Endpoint;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The operator journal in Elasticsearch ({@code andon-journal-yyyy.MM}, document id = entry id, op type
 * {@code create}: a redelivered entry is answered "already there" and stored once, an existing one is never
 * overwritten). {@link #append} only writes the entry to the on-disk queue (fsync'd) and wakes the delivery
 * thread, so an Elasticsearch outage or a refusal (read-only index, role without write) costs the caller nothing:
 * entries stay queued, in order, and {@link #status()} says why, until the store takes them. Reads merge the
 * entries still queued, so this console shows its own actions during an outage too.
 */
public final class ElasticsearchJournal implements Journal, AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ElasticsearchJournal.class);
    private static final int BATCH = 500;

    /** What the journal's delivery looks like now: entries waiting, and the reason when the store does not take them. */
    public record Status(int queued, String problem, Instant lastDelivery) {
        public boolean ok() { return problem == null; }
    }

    private final String name;
    private final List<URI> nodes;
    private final RestClient rest;
    private final ElasticsearchClient es;
    private final DiskQueue queue;
    private final Duration retryMin, retryMax;
    private final Thread delivery;
    private final Object wake = new Object();
    private final List<Consumer<Status>> listeners = new CopyOnWriteArrayList<>();
    /** The searches and the wording of Elasticsearch's answers, on this journal's connection. */
    private final ElasticsearchJournalReader reader;
    private volatile boolean closed;
    private volatile boolean pending;
    private volatile Status status;

    /**
     * @param stateDir the console's state directory: the queue lives there ({@code journal-queue.ndjson}) and is
     *                 picked up again on the next start
     */
    public ElasticsearchJournal(String name, List<Endpoint> nodes, Path stateDir, Duration retryMin, Duration retryMax) throws JournalException {
        this.name = name;
        this.nodes = nodes.stream().map(Endpoint::url).toList();
        try {
            this.queue = new DiskQueue(stateDir);
        } catch (IOException e) {
            throw new JournalException("the journal queue in " + stateDir + " cannot be opened: " + e.getMessage(), e);
        }
        this.rest = ElasticsearchRest.build(nodes);
        this.reader = new ElasticsearchJournalReader(name, this.nodes, rest, false);
        this.es = reader.es;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
        this.status = new Status(queue.size(), null, null);
        this.pending = queue.size() > 0;
        this.delivery = Thread.ofPlatform().daemon().name("andon-journal-delivery").start(this::deliverLoop);
    }

    public ElasticsearchJournal(String name, List<Endpoint> nodes, Path stateDir) throws JournalException {
        this(name, nodes, stateDir, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    @Override
    public void append(JournalEntry entry) {
        String line = JournalCodec.document(entry).toString();
        try {
            queue.append(line);
        } catch (IOException e) {
            // the disk itself failed: the one case the entry cannot be kept; said loudly, never swallowed
            log.error("journal: entry {} ({}) could not be written to the queue: {}", entry.id(), entry.action(), e.getMessage());
            publish(new Status(queue.size(), "the journal queue cannot be written (" + e.getMessage() + "): entry " + entry.id() + " is lost", status.lastDelivery()));
            return;
        }
        publish(new Status(queue.size(), status.problem(), status.lastDelivery()));
        synchronized (wake) {
            pending = true;
            wake.notifyAll();
        }
    }

    public Status status() { return status; }

    /** Tells {@code l} each delivery status until the returned handle is run (a view that goes away lets go). */
    public Runnable onStatus(Consumer<Status> l) {
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    /** Entries the last reads skipped because they could not be read (each with the reason). */
    public List<String> readProblems() { return reader.readProblems(); }

    private void publish(Status s) {
        status = s;
        for (Consumer<Status> l : listeners) l.accept(s);
    }

    private void deliverLoop() {
        Duration backoff = retryMin;
        while (!closed) {
            try {
                synchronized (wake) {
                    while (!pending && !closed) wake.wait();
                    pending = false;
                }
                if (closed) return;
                String problem = deliverAll();
                if (problem == null) {
                    backoff = retryMin;
                } else {
                    publish(new Status(queue.size(), problem, status.lastDelivery()));
                    log.warn("journal: {}", problem);
                    synchronized (wake) {
                        wake.wait(backoff.toMillis());
                        pending = true;
                    }
                    backoff = backoff.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : backoff.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                // never let the delivery thread die: the next append or retry tries again
                publish(new Status(queue.size(), "journal delivery failed: " + e.getMessage(), status.lastDelivery()));
                log.warn("journal: delivery failed", e);
                synchronized (wake) {
                    pending = true;
                }
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Sends the queue in order, batch by batch; null when it is empty, else why it stopped. */
    private String deliverAll() throws IOException {
        while (!closed) {
            List<DiskQueue.Line> lines = queue.read(BATCH);
            if (lines.isEmpty()) {
                publish(new Status(0, null, status.lastDelivery()));
                return null;
            }
            List<BulkOperation> ops = new ArrayList<>();
            List<DiskQueue.Line> sent = new ArrayList<>();
            long skipTo = -1;
            for (DiskQueue.Line l : lines) {
                JsonNode doc;
                JournalEntry e;
                try {
                    doc = JournalCodec.JSON.readTree(l.text());
                    e = JournalCodec.entry(doc);
                } catch (IOException | IllegalArgumentException bad) {
                    // one unreadable line must not block the rest: kept aside and reported
                    queue.reject(l.text(), "unreadable: " + bad.getMessage());
                    log.warn("journal: a queued line is unreadable ({}); moved to {}", bad.getMessage(), queue.rejectedFile());
                    if (sent.isEmpty()) skipTo = l.end();
                    continue;
                }
                String index = JournalCodec.index(e);
                ops.add(BulkOperation.of(o -> o.create(c -> c.index(index).id(e.id()).document(doc))));
                sent.add(l);
            }
            if (ops.isEmpty()) {
                queue.confirm(skipTo);
                continue;
            }
            BulkResponse r;
            try {
                r = es.bulk(b -> b.operations(ops));
            } catch (ElasticsearchException e) {
                return apiProblem(e.status(), e.error() == null ? null : e.error().type(), e.error() == null ? e.getMessage() : e.error().reason(), null);
            } catch (IOException | RuntimeException e) {
                return transportProblem(e);
            }
            // confirm the prefix the store took (created, or already there from an earlier delivery)
            long confirmed = skipTo;
            String problem = null;
            for (int i = 0; i < r.items().size(); i++) {
                BulkResponseItem it = r.items().get(i);
                boolean stored = it.error() == null || it.status() == 409;
                if (stored) {
                    if (problem == null) confirmed = sent.get(i).end();
                    continue;
                }
                String type = it.error().type();
                if (it.status() == 400 && problem == null && !"cluster_block_exception".equals(type)) {
                    // malformed for the index's mapping: it will never be taken; keep it aside rather than block the journal
                    queue.reject(sent.get(i).text(), "refused by " + name + ": " + type + ": " + it.error().reason());
                    log.warn("journal: entry {} refused as malformed ({}: {}); moved to {}", it.id(), type, it.error().reason(), queue.rejectedFile());
                    confirmed = sent.get(i).end();
                    continue;
                }
                if (problem == null) problem = apiProblem(it.status(), type, it.error().reason(), it.index());
            }
            if (confirmed > 0) queue.confirm(confirmed);
            if (problem != null) return problem;
            publish(new Status(queue.size(), null, Instant.now()));
        }
        return null;
    }

    private String apiProblem(int status, String type, String reason, String index) {
        return reader.apiProblem(status, type, reason, index);
    }

    private String transportProblem(Exception e) {
        return reader.transportProblem(e);
    }

    @Override
    public List<JournalEntry> forAlert(String fingerprint) throws JournalException {
        if (fingerprint == null || fingerprint.isBlank()) return List.of();
        return merge(reader.search(ElasticsearchJournalReader.forAlertQuery(fingerprint)), e -> fingerprint.equals(e.fingerprint()));
    }

    @Override
    public List<JournalEntry> between(Instant from, Instant to) throws JournalException {
        return merge(reader.search(ElasticsearchJournalReader.betweenQuery(from, to)), e -> !e.at().isBefore(from) && e.at().isBefore(to));
    }

    /** Stored entries plus those still queued (same id: one), oldest first. */
    private List<JournalEntry> merge(List<JournalEntry> stored, java.util.function.Predicate<JournalEntry> wanted) {
        Map<String, JournalEntry> byId = new LinkedHashMap<>();
        stored.forEach(e -> byId.put(e.id(), e));
        try {
            for (DiskQueue.Line l : queue.read(Integer.MAX_VALUE)) {
                try {
                    JournalEntry e = JournalCodec.entry(JournalCodec.JSON.readTree(l.text()));
                    if (wanted.test(e)) byId.putIfAbsent(e.id(), e);
                } catch (IOException | IllegalArgumentException unreadable) {
                    // the delivery thread reports and sets it aside
                }
            }
        } catch (IOException e) {
            reader.readProblem("the journal queue could not be read: " + e.getMessage());
        }
        List<JournalEntry> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(JournalEntry::at).thenComparing(JournalEntry::id));
        return out;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        delivery.interrupt();
        try {
            delivery.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            rest.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            queue.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
