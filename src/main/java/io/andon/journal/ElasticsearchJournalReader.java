package io.andon.journal;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import io.andon.net.ElasticsearchRest;
import io.andon.net.Endpoint;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The operator journal in Elasticsearch, read only: searches {@code andon-journal-*} and nothing else. It opens no
 * disk queue, so the headless {@code andon report} reads the journal while consoles hold their queue slots (and a
 * CLI run never delivers, nor strands, a console's entries). {@link ElasticsearchJournal} reads through one too
 * (on its own connection) and merges its queued entries in. User text (a fingerprint) goes into the query as a
 * term value of the client's JSON, never spliced into JSON text.
 */
public final class ElasticsearchJournalReader implements JournalReader, AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ElasticsearchJournalReader.class);
    private static final int PAGE = 1000;

    private final String name;
    private final List<URI> nodes;
    private final RestClient rest;
    private final boolean ownsRest;
    final ElasticsearchClient es;
    private final List<String> readProblems = new CopyOnWriteArrayList<>();

    /** Its own connection, with the endpoints' credentials and timeouts (as the logs use them). */
    public ElasticsearchJournalReader(String name, List<Endpoint> nodes) {
        this(name, nodes.stream().map(Endpoint::url).toList(), ElasticsearchRest.build(nodes), true);
    }

    ElasticsearchJournalReader(String name, List<URI> nodes, RestClient rest, boolean ownsRest) {
        this.name = name;
        this.nodes = nodes;
        this.rest = rest;
        this.ownsRest = ownsRest;
        this.es = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(JournalCodec.JSON)));
    }

    @Override
    public List<JournalEntry> forAlert(String fingerprint) throws JournalException {
        if (fingerprint == null || fingerprint.isBlank()) return List.of();
        return search(forAlertQuery(fingerprint));
    }

    @Override
    public List<JournalEntry> between(Instant from, Instant to) throws JournalException {
        return search(betweenQuery(from, to));
    }

    static Query forAlertQuery(String fingerprint) {
        return Query.of(b -> b.term(t -> t.field("fingerprint").value(fingerprint)));
    }

    static Query betweenQuery(Instant from, Instant to) {
        return Query.of(b -> b.range(r -> r.date(d -> d.field("@timestamp").gte(from.toString()).lt(to.toString()))));
    }

    /** Entries the last read skipped because they could not be read (each with the reason). */
    public List<String> readProblems() { return List.copyOf(readProblems); }

    void readProblem(String p) { readProblems.add(p); }

    /** Every hit of the query, sorted by time then id, paged with search_after (no 10 000 limit). */
    List<JournalEntry> search(Query q) throws JournalException {
        List<JournalEntry> out = new ArrayList<>();
        List<FieldValue> after = null;
        readProblems.clear();
        while (true) {
            List<FieldValue> sa = after;
            SearchResponse<JsonNode> r;
            try {
                r = es.search(s -> {
                    s.index(JournalCodec.INDEX_PATTERN).query(q).size(PAGE).trackTotalHits(t -> t.enabled(false))
                            .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Asc)))
                            .sort(o -> o.field(f -> f.field("id").order(SortOrder.Asc)));
                    if (sa != null) s.searchAfter(sa);
                    return s;
                }, JsonNode.class);
            } catch (ElasticsearchException e) {
                String reason = e.error() == null ? e.getMessage() : e.error().reason();
                if (e.status() == 403) {
                    // a read, not a write: the wording for writes would send the operator to the wrong role
                    throw new JournalException(name + " denied reading the journal (HTTP 403: " + oneLine(String.valueOf(reason))
                            + "): the user needs read on andon-journal-*", e);
                }
                throw new JournalException(apiProblem(e.status(), e.error() == null ? null : e.error().type(), reason, null)
                        .replaceFirst(" — .*$", ""), e);
            } catch (IOException | RuntimeException e) {
                throw new JournalException(transportProblem(e).replaceFirst(" — .*$", ""), e);
            }
            List<Hit<JsonNode>> hits = r.hits().hits();
            for (Hit<JsonNode> h : hits) {
                try {
                    out.add(JournalCodec.entry(h.source()));
                } catch (IllegalArgumentException bad) {
                    readProblems.add("journal document " + h.id() + " in " + h.index() + " skipped: " + bad.getMessage());
                    log.warn("journal: document {} in {} skipped: {}", h.id(), h.index(), bad.getMessage());
                }
            }
            if (hits.size() < PAGE) return out;
            after = hits.getLast().sort();
        }
    }

    String apiProblem(int status, String type, String reason, String index) {
        String where = index == null ? "" : " index " + index;
        String kept = " — the entries stay queued on disk"; // how many: Status.queued()
        String t = type == null ? "" : type;
        String r = reason == null ? "" : oneLine(reason);
        if (t.contains("cluster_block") || r.contains("index.blocks") || r.contains("read_only")) {
            return name + " refuses writes to the journal" + where + " (the index is blocked for writes: " + r + ")" + kept;
        }
        if (status == 401) return name + " refused the journal's credentials (HTTP 401)" + kept;
        if (status == 403) return name + " denied the journal write permission" + where + " (HTTP 403: " + r + "): the user needs the andon_journal role" + kept;
        if (status == 429 || t.contains("rejected_execution")) return name + " is too busy to take journal entries (HTTP " + status + ")" + kept;
        return name + " did not take the journal entries" + where + ": " + t + " " + r + (status > 0 ? " (HTTP " + status + ")" : "") + kept;
    }

    String transportProblem(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String kept = " — the entries stay queued on disk"; // how many: Status.queued()
        if (root instanceof ConnectException) return name + " unreachable at " + hosts() + " (connection refused)" + kept;
        if (root instanceof java.net.SocketTimeoutException) return name + " did not answer in time (" + hosts() + ")" + kept;
        if (e instanceof org.elasticsearch.client.ResponseException re) {
            int st = re.getResponse().getStatusLine().getStatusCode();
            return apiProblem(st, null, "HTTP " + st, null);
        }
        if (e instanceof co.elastic.clients.transport.TransportException te && te.statusCode() > 0) {
            return apiProblem(te.statusCode(), null, oneLine(String.valueOf(te.getMessage())), null);
        }
        return name + " (" + hosts() + "): " + oneLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()) + kept;
    }

    private String hosts() {
        return String.join(", ", nodes.stream().map(u -> u.getHost() + ":" + ElasticsearchRest.port(u)).toList());
    }

    static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 240 ? t.substring(0, 240) + "…" : t;
    }

    @Override
    public void close() {
        if (!ownsRest) return;
        try {
            rest.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
