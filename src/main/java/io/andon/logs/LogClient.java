package io.andon.logs;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.andon.net.Endpoint;
import io.andon.net.SiteCa;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The logs page's Elasticsearch client (elasticsearch-java, typed queries only: user text becomes a
 * field value or the simple_query_string text, never JSON). Deep paging uses a point in time with
 * search_after and _shard_doc as tie-breaker, so it works past 10 000 hits and pages do not shift while new
 * logs arrive. Every call has an overall deadline (a server trickling bytes cannot hang the console) and every
 * failure becomes a {@link LogException} with a sentence for the person at the console.
 */
public final class LogClient implements AutoCloseable {
    // exact decimals: a double would turn 1e400 in a log document into Infinity, and the NDJSON export into invalid JSON
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
            .build();
    private static final List<String> TEXT_FIELDS = List.of("message", "logger", "exception.message", "audit.action");
    private static final String KEEP_ALIVE = "5m";

    /**
     * One page of hits. {@code warnings} says when the page is not the whole truth: some shards failed or the search
     * timed out and Elasticsearch answered with what it had (the hits are still shown, flagged, never as a clean page).
     */
    public record Page(List<LogHit> hits, long total, Cursor next, long tookMs, List<String> warnings) {
        public Page {
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }

        public Page(List<LogHit> hits, long total, Cursor next, long tookMs) { this(hits, total, next, tookMs, List.of()); }
    }

    /** Where the next page starts: the point in time and the last hit's sort values. */
    public record Cursor(String pitId, List<Object> searchAfter) {}

    public record Bucket(Instant time, Map<String, Long> byLevel, long total) {}

    public record Histogram(List<Bucket> buckets, Duration interval, long total) {}

    public record Count(String value, long count) {}

    /** Export progress: rows written so far of the total the first page reported. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    public enum Format { CSV, NDJSON }

    private final RestClient rest;
    private final ElasticsearchAsyncClient es;
    private final String name;
    private final List<URI> nodes;
    private final Duration deadline;
    private final long maxBytes;
    private final boolean credentials;

    /**
     * One cluster, one or more nodes (same credentials, CA and timeouts: those of the first endpoint).
     * Basic auth is sent as such, an {@link Endpoint.Auth.ApiKey} as {@code Authorization: ApiKey <base64 id:key>},
     * a bearer token (service account, OAuth2) as {@code Bearer}.
     */
    public LogClient(String name, List<Endpoint> nodes) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("no Elasticsearch node configured");
        this.name = name;
        this.nodes = nodes.stream().map(Endpoint::url).toList();
        Endpoint first = nodes.getFirst();
        this.credentials = !(first.auth() instanceof Endpoint.Auth.None);
        // the endpoint's call timeout, as for the other sources (withTimeouts(c, r) makes it c + r + 2 s)
        this.deadline = first.callTimeout();
        this.rest = io.andon.net.ElasticsearchRest.build(nodes);
        // the low-level client buffers a whole answer up to 100 MB by default: cap it at the endpoint's limit instead
        int cap = (int) Math.min(Integer.MAX_VALUE, first.maxResponseBytes());
        this.maxBytes = cap;
        var options = new co.elastic.clients.transport.rest_client.RestClientOptions(org.elasticsearch.client.RequestOptions.DEFAULT.toBuilder()
                .setHttpAsyncResponseConsumerFactory(CappedResponseConsumer.factory(cap))
                .build(), true); // keep the body of a failed answer: the message shows what a proxy said
        this.es = new ElasticsearchAsyncClient(new RestClientTransport(rest, new JacksonJsonpMapper(JSON), options));
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
    }

    public String name() { return name; }

    /** Runs one request with the overall deadline; a late request is cancelled (its connection closed). */
    private <T> T call(Function<ElasticsearchAsyncClient, CompletableFuture<T>> f) throws LogException {
        CompletableFuture<T> fut;
        try {
            fut = f.apply(es);
        } catch (Exception e) {
            throw explain(e);
        }
        try {
            T r = fut.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            // a body of just "null" parses to no response at all
            if (r == null) throw new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") sent an empty answer (null)", null);
            return r;
        } catch (TimeoutException e) {
            fut.cancel(true);
            throw new LogException(LogException.Kind.TIMEOUT, name + " did not answer within " + deadline.toSeconds() + " s (" + hosts() + ")", e);
        } catch (InterruptedException e) {
            fut.cancel(true);
            Thread.currentThread().interrupt();
            throw new LogException(LogException.Kind.CANCELLED, "cancelled", e);
        } catch (ExecutionException e) {
            throw explain(e.getCause() instanceof Exception c ? c : e);
        } catch (java.util.concurrent.CancellationException e) {
            // the client was closed under a running request (a page disposed mid-search): a result, not a crash
            throw new LogException(LogException.Kind.CANCELLED, "cancelled", e);
        }
    }

    /** Cluster health ("green", "yellow", "red"): the connectivity check (GET / answers 405 on some builds). */
    public String health() throws LogException {
        // the typed HealthResponse requires every field the newest server sends (unassigned_primary_shards since 8.16):
        // a valid answer of an older or newer server without one failed the connection test. Only "status" is
        // needed, so the answer is read as plain JSON through the same transport (product check included).
        @SuppressWarnings("unchecked")
        var endpoint = ((co.elastic.clients.transport.endpoints.SimpleEndpoint<co.elastic.clients.elasticsearch.cluster.HealthRequest, ?>)
                co.elastic.clients.elasticsearch.cluster.HealthRequest._ENDPOINT).withResponseDeserializer(co.elastic.clients.json.JsonData._DESERIALIZER);
        co.elastic.clients.json.JsonData d = call(c -> c._transport().performRequestAsync(
                co.elastic.clients.elasticsearch.cluster.HealthRequest.of(b -> b), endpoint, c._transportOptions()));
        jakarta.json.JsonValue v = d.toJson();
        String status = v instanceof jakarta.json.JsonObject o && o.get("status") instanceof jakarta.json.JsonString st ? st.getString() : null;
        if (status == null || !List.of("green", "yellow", "red").contains(status)) {
            throw new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") sent an answer that could not be read (HTTP 200): not what Elasticsearch sends (a cluster health without a green/yellow/red status: "
                    + oneLine(String.valueOf(v)) + ")", null);
        }
        return status;
    }

    Query build(LogQuery q) throws LogException {
        LogQuery.textProblem(q.text()).ifPresent(p -> { throw new BadText(p); });
        BoolQuery.Builder b = new BoolQuery.Builder();
        if (q.from() != null || q.to() != null) {
            b.filter(f -> f.range(r -> r.date(d -> {
                d.field("@timestamp");
                if (q.from() != null) d.gte(q.from().toString());
                if (q.to() != null) d.lte(q.to().toString());
                return d;
            })));
        }
        q.include().forEach((field, values) -> b.filter(f -> f.terms(t -> t.field(field)
                .terms(v -> v.value(values.stream().map(FieldValue::of).toList())))));
        q.exclude().forEach((field, values) -> b.mustNot(f -> f.terms(t -> t.field(field)
                .terms(v -> v.value(values.stream().map(FieldValue::of).toList())))));
        if (!q.text().isBlank()) {
            // lenient: a word against a numeric field is no match instead of a failed search
            b.must(m -> m.simpleQueryString(s -> s.query(q.text()).fields(TEXT_FIELDS).defaultOperator(Operator.And).lenient(true)));
        }
        if (q.audit()) b.filter(f -> f.exists(e -> e.field("audit.action")));
        if (q.minDurationMs() != null || q.maxDurationMs() != null) {
            b.filter(f -> f.range(r -> r.number(n -> {
                n.field("duration_ms");
                if (q.minDurationMs() != null) n.gte(q.minDurationMs());
                if (q.maxDurationMs() != null) n.lte(q.maxDurationMs());
                return n;
            })));
        }
        return Query.of(x -> x.bool(b.build()));
    }

    /** Thrown inside query building for a text problem found before anything is sent. */
    private static final class BadText extends RuntimeException {
        BadText(String m) { super(m, null, false, false); }
    }

    private Query buildChecked(LogQuery q) throws LogException {
        try {
            return build(q);
        } catch (BadText e) {
            throw new LogException(LogException.Kind.BAD_QUERY, e.getMessage(), null);
        }
    }

    private static SortOptions byTime(SortOrder o) {
        return SortOptions.of(s -> s.field(f -> f.field("@timestamp").order(o).unmappedType(FieldType.Date)));
    }

    private static SortOptions byShardDoc(SortOrder o) {
        return SortOptions.of(s -> s.field(f -> f.field("_shard_doc").order(o)));
    }

    private String openPit(String index) throws LogException {
        return call(c -> c.openPointInTime(p -> p.index(index).keepAlive(k -> k.time(KEEP_ALIVE)))).id();
    }

    /** First page (cursor null) or the next one; newest first, with _shard_doc as the tie-breaker. */
    public Page search(LogQuery q, Cursor cursor, int size) throws LogException {
        Query query = buildChecked(q);
        String pit = cursor != null ? cursor.pitId() : openPit(q.index());
        SearchRequest.Builder r = new SearchRequest.Builder()
                .pit(p -> p.id(pit).keepAlive(k -> k.time(KEEP_ALIVE)))
                .query(query).size(size).trackTotalHits(t -> t.enabled(true));
        // slowest first: lines without a duration (connections, lock waits, application lines) after all timed
        // ones; "missing: -1" rather than _last, whose ±Infinity sort value does not survive JSON for search_after
        if (q.order() == LogQuery.Order.SLOWEST) r.sort(SortOptions.of(s -> s.field(f -> f.field("duration_ms").order(SortOrder.Desc)
                .missing(co.elastic.clients.elasticsearch._types.FieldValue.of(-1)).unmappedType(FieldType.Float))));
        r.sort(byTime(SortOrder.Desc)).sort(byShardDoc(SortOrder.Desc));
        if (cursor != null && !cursor.searchAfter().isEmpty()) r.searchAfter(cursor.searchAfter().stream().map(LogClient::fieldValue).toList());
        SearchRequest req = r.build();
        SearchResponse<JsonNode> resp;
        try {
            resp = call(c -> c.search(req, JsonNode.class));
        } catch (LogException e) {
            if (cursor == null) close(new Cursor(pit, List.of()));
            throw e;
        }
        List<LogHit> hits = resp.hits().hits().stream().map(LogClient::hit).toList();
        long total = resp.hits().total() == null ? hits.size() : resp.hits().total().value();
        if (cursor == null && total == 0) {
            // a pattern matching no index opens an empty point in time: say so rather than "0 hits"
            requireIndex(q.index(), pit);
        }
        String nextPit = resp.pitId() != null ? resp.pitId() : pit;
        Cursor next = hits.isEmpty() ? null : new Cursor(nextPit, hits.getLast().sort());
        if (next == null) close(new Cursor(nextPit, List.of()));
        List<String> warnings = partial(resp.shards(), resp.timedOut());
        long timeless = hits.stream().filter(h -> h.timestamp() == null).count();
        // a hit without a readable time still lists; the page says so instead of showing blank times unexplained
        if (timeless > 0) warnings.add(timeless + " of " + hits.size() + " hits have no readable @timestamp (listed without a time)");
        return new Page(hits, total, next, resp.took(), warnings);
    }

    /** What makes an answer partial: failed shards (with the first reason) and a search that timed out. */
    static List<String> partial(co.elastic.clients.elasticsearch._types.ShardStatistics shards, boolean timedOut) {
        List<String> w = new ArrayList<>();
        if (shards != null && shards.failed().intValue() > 0) {
            String why = shards.failures().isEmpty() || shards.failures().getFirst().reason() == null ? ""
                    : ": " + shards.failures().getFirst().reason().reason();
            w.add("partial result: " + shards.failed() + " of " + shards.total() + " shards failed" + why);
        }
        if (timedOut) w.add("partial result: the search timed out on some shards");
        return w;
    }

    private void requireIndex(String pattern, String pit) throws LogException {
        var resolved = call(c -> c.indices().resolveIndex(r -> r.name(pattern)));
        if (resolved.indices().isEmpty() && resolved.aliases().isEmpty() && resolved.dataStreams().isEmpty()) {
            close(new Cursor(pit, List.of()));
            throw new LogException(LogException.Kind.NO_INDEX, "no log index matches " + pattern, null);
        }
    }

    /** Releases the point in time of a paging session (it also expires by itself after 5 minutes). */
    public void close(Cursor c) {
        if (c == null) return;
        try {
            call(x -> x.closePointInTime(p -> p.id(c.pitId())));
        } catch (LogException ignored) {
            // it expires by itself
        }
    }

    /** Hits over time, stacked by level; empty buckets included so gaps show. Bucket totals add up to {@code total}. */
    public Histogram histogram(LogQuery q) throws LogException {
        LogQuery ranged = q.from() == null || q.to() == null ? q.withRange(q.from() == null ? Instant.now().minus(Duration.ofMinutes(15)) : q.from(),
                q.to() == null ? Instant.now() : q.to()) : q;
        Duration interval = interval(Duration.between(ranged.from(), ranged.to()));
        Query query = buildChecked(ranged);
        SearchResponse<Void> r = call(c -> c.search(s -> s.index(q.index()).allowNoIndices(false).size(0).trackTotalHits(t -> t.enabled(true)).query(query)
                .aggregations("t", a -> a.dateHistogram(h -> h.field("@timestamp").fixedInterval(f -> f.time(interval.toSeconds() + "s"))
                                .minDocCount(0).extendedBounds(e -> e.min(FieldDateMath.of(m -> m.expr(ranged.from().toString())))
                                        .max(FieldDateMath.of(m -> m.expr(ranged.to().toString())))))
                        // every level of a bucket (missing level as "none"), so the stack adds up to the bucket
                        .aggregations("level", l -> l.terms(t -> t.field("level").size(50).missing(FieldValue.of("none"))))), Void.class));
        List<Bucket> buckets = new ArrayList<>();
        Aggregate agg = r.aggregations().get("t");
        for (DateHistogramBucket b : agg.dateHistogram().buckets().array()) {
            Map<String, Long> byLevel = new LinkedHashMap<>();
            for (StringTermsBucket t : b.aggregations().get("level").sterms().buckets().array()) byLevel.put(t.key().stringValue(), t.docCount());
            buckets.add(new Bucket(Instant.ofEpochMilli(b.key()), byLevel, b.docCount()));
        }
        return new Histogram(buckets, interval, r.hits().total() == null ? 0 : r.hits().total().value());
    }

    private static final long[] NICE = {1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 43200, 86400};

    /**
     * A fixed interval from the nice list giving 60–120 buckets; where none does (the list has gaps), the one whose
     * bucket count is closest to that band in ratio.
     */
    static Duration interval(Duration range) {
        double secs = Math.max(1, range.toSeconds());
        long best = NICE[NICE.length - 1];
        double bestDistance = Double.MAX_VALUE;
        for (long n : NICE) {
            double buckets = secs / n;
            double distance = buckets > 120 ? Math.log(buckets / 120) : buckets < 60 ? Math.log(60 / buckets) : 0;
            if (distance < bestDistance) {
                bestDistance = distance;
                best = n;
            }
        }
        return Duration.ofSeconds(best);
    }

    /** Fields the statistics panel shows by default. */
    public static final List<String> STAT_FIELDS = List.of("level", "service", "logger", "user_id", "sqlstate");

    /** Top values of the filter fields with counts (Kibana's field statistics). */
    public Map<String, List<Count>> fieldStats(LogQuery q, List<String> fields) throws LogException {
        Query query = buildChecked(q);
        SearchRequest.Builder s = new SearchRequest.Builder().index(q.index()).allowNoIndices(false).size(0).query(query);
        for (String f : fields) s.aggregations(f, a -> a.terms(t -> t.field(f).size(10)));
        SearchRequest req = s.build();
        SearchResponse<Void> r = call(c -> c.search(req, Void.class));
        Map<String, List<Count>> out = new LinkedHashMap<>();
        for (String f : fields) {
            List<Count> c = new ArrayList<>();
            for (StringTermsBucket b : r.aggregations().get(f).sterms().buckets().array()) c.add(new Count(b.key().stringValue(), b.docCount()));
            out.put(f, c);
        }
        return out;
    }

    /** One message of {@link #topMessages}: how often it was logged and when first and last. */
    public record TopMessage(String message, long count, Instant first, Instant last) {}

    /**
     * The {@code n} most frequent messages matching {@code q} (the shift report's top errors): a terms
     * aggregation over {@code message.keyword} with the first and last time of each. Messages longer than the
     * keyword's ignore_above (512) have no keyword and are not counted; {@code otherMessages} is not needed.
     */
    public List<TopMessage> topMessages(LogQuery q, int n) throws LogException {
        Query query = buildChecked(q);
        SearchResponse<Void> r = call(c -> c.search(s -> s.index(q.index()).allowNoIndices(false).size(0).query(query)
                .aggregations("m", a -> a.terms(t -> t.field("message.keyword").size(n))
                        .aggregations("first", f -> f.min(m -> m.field("@timestamp")))
                        .aggregations("last", l -> l.max(m -> m.field("@timestamp")))), Void.class));
        List<TopMessage> out = new ArrayList<>();
        for (StringTermsBucket b : r.aggregations().get("m").sterms().buckets().array()) {
            out.add(new TopMessage(b.key().stringValue(), b.docCount(),
                    Instant.ofEpochMilli((long) b.aggregations().get("first").min().value()),
                    Instant.ofEpochMilli((long) b.aggregations().get("last").max().value())));
        }
        return out;
    }

    /**
     * {@code n} documents before and after a hit in the same service, in time order. Exact also when several
     * documents share the hit's timestamp: inside one point in time the hit's own sort values (timestamp,
     * _shard_doc) are looked up and both searches continue from them with search_after.
     */
    public List<LogHit> surrounding(LogHit hit, int n) throws LogException {
        String pit = openPit(hit.index());
        try {
            Query self = Query.of(x -> x.ids(i -> i.values(hit.id())));
            SearchResponse<JsonNode> me = call(c -> c.search(s -> s.pit(p -> p.id(pit)).size(1).query(self)
                    .sort(byTime(SortOrder.Desc)).sort(byShardDoc(SortOrder.Desc)), JsonNode.class));
            if (me.hits().hits().isEmpty()) throw new LogException(LogException.Kind.OTHER, "the log entry " + hit.id() + " is no longer in " + hit.index(), null);
            List<FieldValue> at = me.hits().hits().getFirst().sort();
            Query sameService = Query.of(x -> x.bool(b -> hit.service() == null
                    ? b.mustNot(m -> m.exists(e -> e.field("service")))
                    : b.filter(f -> f.term(t -> t.field("service").value(hit.service())))));
            SearchResponse<JsonNode> older = call(c -> c.search(s -> s.pit(p -> p.id(pit)).size(n).query(sameService).searchAfter(at)
                    .sort(byTime(SortOrder.Desc)).sort(byShardDoc(SortOrder.Desc)), JsonNode.class));
            SearchResponse<JsonNode> newer = call(c -> c.search(s -> s.pit(p -> p.id(pit)).size(n).query(sameService).searchAfter(at)
                    .sort(byTime(SortOrder.Asc)).sort(byShardDoc(SortOrder.Asc)), JsonNode.class));
            List<LogHit> out = new ArrayList<>(older.hits().hits().stream().map(LogClient::hit).toList().reversed());
            out.add(hit(me.hits().hits().getFirst()));
            out.addAll(newer.hits().hits().stream().map(LogClient::hit).toList());
            return out;
        } finally {
            close(new Cursor(pit, List.of()));
        }
    }

    /** Follows one request or correlation id across every service in the range: first page, oldest first is up to the caller. */
    public Page follow(LogQuery q, String field, String id, int size) throws LogException {
        if (!field.equals("request_id") && !field.equals("correlation_id") && !field.equals("trace_id")) {
            throw new IllegalArgumentException("follow works on request_id, correlation_id or trace_id, not " + field);
        }
        return search(LogQuery.following(q, field, id), null, size);
    }

    /** Documents newer than {@code since}, oldest first (one-shot; {@link #tail} keeps state and dedups). */
    public List<LogHit> newerThan(LogQuery q, Instant since, int max) throws LogException {
        Tail t = new Tail(this, q, since, Duration.ZERO);
        return t.poll(max);
    }

    public Tail tail(LogQuery q, Instant since) { return new Tail(this, q, since, Tail.OVERLAP); }

    /**
     * Live tail: each poll asks for documents from a little before the newest one seen (late shipper batches
     * carry older timestamps), oldest first, and drops ids already returned.
     */
    public static final class Tail {
        static final Duration OVERLAP = Duration.ofSeconds(30);
        private static final int REMEMBER = 20_000;
        private final LogClient client;
        private final LogQuery query;
        private final Duration overlap;
        private final LinkedHashSet<String> seen = new LinkedHashSet<>();
        private Instant newest;

        Tail(LogClient client, LogQuery query, Instant since, Duration overlap) {
            this.client = client;
            this.query = query;
            this.newest = since;
            this.overlap = overlap;
        }

        public synchronized Instant newest() { return newest; }

        public synchronized List<LogHit> poll(int max) throws LogException {
            Instant from = newest.minus(overlap);
            // no upper bound: the tail runs past the range the page was opened with
            LogQuery w = query.withRange(from, null);
            Query q = client.buildChecked(w);
            SearchResponse<JsonNode> r = client.call(c -> c.search(s -> s.index(query.index()).allowNoIndices(false).size(max).query(q)
                    .sort(byTime(SortOrder.Asc)), JsonNode.class));
            List<LogHit> out = new ArrayList<>();
            for (Hit<JsonNode> h : r.hits().hits()) {
                LogHit lh = hit(h);
                if (lh.timestamp() == null) continue;
                if (overlap.isZero() ? !lh.timestamp().isAfter(newest) : !seen.add(lh.id())) continue;
                out.add(lh);
                if (lh.timestamp().isAfter(newest)) newest = lh.timestamp();
            }
            while (seen.size() > REMEMBER) seen.removeFirst();
            return out;
        }
    }

    /**
     * Streams every hit of the query to {@code out} page by page (never the whole result in memory).
     * Returns the rows written; stops early when {@code cancel} is set or the thread is interrupted.
     */
    public long export(LogQuery q, Format format, Writer out, Progress progress, AtomicBoolean cancel) throws LogException, IOException {
        long written = 0;
        long total = -1;
        Cursor c = null;
        if (format == Format.CSV) out.write("timestamp,level,service,logger,user_id,request_id,correlation_id,trace_id,message\n");
        try {
            while (!cancel.get() && !Thread.currentThread().isInterrupted()) {
                Page p = search(q, c, 1000);
                c = p.next();
                if (total < 0) total = p.total();
                if (p.hits().isEmpty()) break;
                for (LogHit h : p.hits()) {
                    if (format == Format.CSV) {
                        out.write(String.join(",", csv(h.timestamp() == null ? "" : h.timestamp().toString()), csv(h.level()), csv(h.service()),
                                csv(h.logger()), csv(h.userId()), csv(h.requestId()), csv(h.correlationId()), csv(h.traceId()), csv(h.message())));
                        out.write('\n');
                    } else {
                        out.write(h.rawJson()); // Jackson writes one line: newlines inside strings are escaped
                        out.write('\n');
                    }
                    written++;
                }
                progress.update(written, total);
            }
        } finally {
            close(c);
            out.flush();
        }
        return written;
    }

    /** UTF-8 to a stream (not closed here). */
    public long export(LogQuery q, Format format, OutputStream out, Progress progress, AtomicBoolean cancel) throws LogException, IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        return export(q, format, w, progress, cancel);
    }

    /** Kept for callers that only track rows written. */
    public long export(LogQuery q, Format format, Writer out, LongConsumer progress, AtomicBoolean cancel) throws LogException, IOException {
        return export(q, format, out, (done, total) -> progress.accept(done), cancel);
    }

    static String csv(String s) {
        if (s == null) return "";
        // a leading = + - @ would run as a formula in a spreadsheet
        String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static FieldValue fieldValue(Object o) {
        return switch (o) {
            case Long l -> FieldValue.of(l);
            case Integer i -> FieldValue.of(i.longValue());
            case Double d -> FieldValue.of(d);
            case Boolean b -> FieldValue.of(b);
            default -> FieldValue.of(String.valueOf(o));
        };
    }

    static LogHit hit(Hit<JsonNode> h) {
        JsonNode s = h.source() == null ? JSON.createObjectNode() : h.source();
        Map<String, Object> fields = new LinkedHashMap<>();
        flatten("", s, fields);
        Instant ts = timestamp(s.path("@timestamp"));
        List<Object> sort = new ArrayList<>();
        for (FieldValue v : h.sort()) sort.add(v.isLong() ? (Object) v.longValue() : v.isDouble() ? (Object) v.doubleValue() : v.isString() ? v.stringValue() : v._get());
        String stack = s.has("stack_trace") ? s.path("stack_trace").asText() : s.path("exception").path("stacktrace").asText(null);
        return new LogHit(h.id(), h.index(), ts, text(s, "level"), text(s, "service"), text(s, "logger"), text(s, "message"),
                text(s, "user_id"), text(s, "request_id"), text(s, "correlation_id"), text(s, "trace_id"), stack, fields, s.toString(), sort);
    }

    /**
     * {@code @timestamp} as Elasticsearch's default date format reads it (strict_date_optional_time||epoch_millis): with
     * a zone or offset, without one (Elasticsearch stores that as UTC, so it is UTC here too), a date alone, or epoch
     * milliseconds. Null when absent or unreadable: the hit still lists, without a time, and the page says how many.
     */
    static Instant timestamp(JsonNode t) {
        if (t == null || t.isMissingNode() || t.isNull()) return null;
        if (t.isIntegralNumber()) return Instant.ofEpochMilli(t.longValue());
        String v = t.asText().trim();
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (RuntimeException withoutZone) {
            // no zone: below
        }
        try {
            return java.time.LocalDateTime.parse(v).toInstant(java.time.ZoneOffset.UTC);
        } catch (RuntimeException notDateTime) {
            // a date alone or epoch millis as a string: below
        }
        try {
            return java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        } catch (RuntimeException notDate) {
            // epoch millis: below
        }
        if (v.matches("-?\\d{1,19}")) return Instant.ofEpochMilli(Long.parseLong(v));
        return null;
    }

    private static String text(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.path(f).asText() : null;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, Object> out) {
        if (n.isObject()) n.properties().forEach(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        else out.put(prefix, n.isValueNode() ? n.asText() : n.toString());
    }

    /** Every failure as a sentence: which cluster, what went wrong, what to do. No stack traces. */
    LogException explain(Exception e) {
        if (e instanceof LogException le) return le;
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (e instanceof ElasticsearchException ee) {
            if (ee.status() == 401) return unauthorized(e);
            if (ee.status() == 403) return new LogException(LogException.Kind.AUTH_FAILED, name + " denied access (HTTP 403): the user or API key lacks a privilege — "
                    + (ee.error().reason() == null ? "" : ee.error().reason()), e);
            var err = ee.error();
            String index = err.metadata().containsKey("index") ? err.metadata().get("index").to(String.class) : null;
            return apiError(ee.status(), err.type(), err.reason(), err.rootCause().isEmpty() ? null : err.rootCause().getFirst().type(),
                    err.rootCause().isEmpty() ? null : err.rootCause().getFirst().reason(), index, e);
        }
        int status = -1;
        if (root instanceof ResponseException re) status = re.getResponse().getStatusLine().getStatusCode();
        else if (e instanceof ResponseException re2) status = re2.getResponse().getStatusLine().getStatusCode();
        else if (e instanceof TransportException te) status = te.statusCode();
        String http = status > 0 ? " (HTTP " + status + ")" : "";
        if (status == 401) return unauthorized(e);
        if (status == 403) return new LogException(LogException.Kind.AUTH_FAILED, name + " denied access (HTTP 403): the user or API key lacks a privilege", e);
        ResponseException rex = root instanceof ResponseException r1 ? r1 : e instanceof ResponseException r2 ? r2 : null;
        if (rex != null) {
            String body = rawBody(rex);
            // an Elasticsearch error document behind a status the typed client did not expect (a 500, say)
            JsonNode err = errorDocument(body);
            if (err != null) {
                JsonNode rc = err.path("root_cause").path(0);
                String index = err.hasNonNull("index") ? err.path("index").asText() : rc.hasNonNull("index") ? rc.path("index").asText() : null;
                return apiError(status, err.path("type").asText(), err.path("reason").asText(null), rc.path("type").asText(null), rc.path("reason").asText(null), index, e);
            }
            if (status == 401 || status == 403) return new LogException(LogException.Kind.AUTH_FAILED, name + " refused the credentials (HTTP " + status + ")", e);
            if (status / 100 == 3) {
                String loc = rex.getResponse().getHeader("Location");
                return new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") answered HTTP " + status + " with a redirect to "
                        + (loc == null ? "nowhere" : oneLine(loc)) + ", not followed: configure the final URL", e);
            }
            // not an Elasticsearch error document (a proxy's error page, say): the status and the page's text
            return new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") answered HTTP " + status + ": " + pageText(body), e);
        }
        if (status == 401 || status == 403) return new LogException(LogException.Kind.AUTH_FAILED, name + " refused the credentials (HTTP " + status + ")", e);
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof org.apache.http.ContentTooLongException) {
            return new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") " + new io.andon.net.SourceError.TooLarge(maxBytes).describe(), e);
        }
        if (root instanceof org.apache.http.MalformedChunkCodingException) {
            return new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") sent a broken answer (broken chunked encoding)", e);
        }
        if (root instanceof java.util.zip.ZipException || msg.contains("GZIP")) {
            return new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") sent a broken answer (not valid gzip although declared so)", e);
        }
        if (root instanceof org.apache.http.HttpException || root instanceof org.apache.http.ParseException) {
            return new LogException(LogException.Kind.UNREACHABLE, name + " at " + hosts() + " sent something that is not an HTTP answer: " + oneLine(msg), e);
        }
        if (root instanceof java.net.SocketException && msg.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
            return new LogException(LogException.Kind.UNREACHABLE, name + " unreachable at " + hosts() + " (connection reset)", e);
        }
        if (msg.contains("Expecting a response body")) {
            return new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") answered" + (status > 0 ? " HTTP " + status : "") + " with an empty body", e);
        }
        if (root instanceof org.apache.http.ConnectionClosedException || root instanceof java.util.NoSuchElementException
                || root instanceof java.io.EOFException || msg.contains("end-of-input")) {
            return new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") sent an empty or cut-off answer"
                    + (root instanceof org.apache.http.ConnectionClosedException ? " (the connection closed in the middle of it)" : ""), e);
        }
        if (root instanceof ConnectException) return new LogException(LogException.Kind.UNREACHABLE, name + " unreachable at " + hosts() + " (connection refused)", e);
        if (root instanceof SocketTimeoutException) return new LogException(LogException.Kind.TIMEOUT, name + " did not answer in time (" + hosts() + ")", e);
        if (root instanceof java.net.UnknownHostException) return new LogException(LogException.Kind.UNREACHABLE, name + ": unknown host " + root.getMessage(), e);
        // the root of an unknown CA is the JDK's path-building exception, not an SSLException: look along the chain
        if (io.andon.net.HttpSource.isTls(e)) {
            return new LogException(LogException.Kind.TLS_FAILED, name + " at " + hosts() + ": TLS handshake failed ("
                    + io.andon.net.HttpSource.tlsDetail(e, nodes.getFirst().getHost()) + ")", e);
        }
        String page = e instanceof TransportException te ? transportBody(te) : "";
        if (msg.contains("X-Elastic-Product")) {
            return new LogException(LogException.Kind.BAD_RESPONSE, name + " at " + hosts() + " did not answer as Elasticsearch"
                    + http + ": a proxy or another server is in the way" + (page.isEmpty() ? "" : ": " + page), e);
        }
        if (msg.contains("response content-type is")) {
            String type = msg.substring(msg.indexOf("content-type is") + "content-type is".length()).replaceFirst("^:?\\s*", "");
            return status >= 300
                    ? new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") answered HTTP " + status + ": " + (page.isEmpty() ? "(" + type + ")" : page), e)
                    : new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") sent an answer that could not be read" + http
                    + ": not JSON but " + oneLine(type) + (page.isEmpty() ? "" : ": " + page), e);
        }
        if (root instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
            return new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") sent an answer that could not be read" + http
                    + ": not valid JSON" + io.andon.net.JsonProblem.detail(jpe), e);
        }
        if (e instanceof TransportException || root instanceof jakarta.json.stream.JsonParsingException || root instanceof co.elastic.clients.json.UnexpectedJsonEventException
                || root instanceof jakarta.json.JsonException || root instanceof co.elastic.clients.util.MissingRequiredPropertyException) {
            return new LogException(LogException.Kind.BAD_RESPONSE, name + " (" + hosts() + ") sent an answer that could not be read" + http
                    + ": not what Elasticsearch sends (" + oneLine(msg.replaceFirst("^node: \\S+, status: \\d+, (\\[[^]]*] )?", "")) + ")", e);
        }
        if (e instanceof IOException) return new LogException(LogException.Kind.UNREACHABLE, name + " (" + hosts() + "): " + oneLine(msg), e);
        return new LogException(LogException.Kind.OTHER, name + ": " + oneLine(msg), e);
    }

    /** An Elasticsearch error document ({"error":{"type":..,"reason":..},"status":..}) in words. */
    private LogException apiError(int status, String type, String reason, String rootType, String rootReason, String index, Exception e) {
        type = type == null ? "" : type;
        reason = reason == null ? "" : reason;
        if ("index_not_found_exception".equals(type)) {
            return new LogException(LogException.Kind.NO_INDEX, "no log index matches " + (index != null ? index : reason.replaceFirst("^no such index \\[(.*)]$", "$1")), e);
        }
        if (status == 401) return new LogException(LogException.Kind.AUTH_FAILED, name + " refused the credentials (HTTP 401): check user/password or API key", e);
        if (status == 403) return new LogException(LogException.Kind.AUTH_FAILED, name + " denied access (HTTP 403): the user or API key lacks a privilege — " + reason, e);
        String cause = rootReason == null || rootReason.isBlank() ? reason : rootReason;
        if (type.contains("circuit_breaking")) {
            return new LogException(LogException.Kind.OTHER, name + " is short of memory and refused the search (circuit breaker): " + oneLine(cause)
                    + " — narrow the time range or try again", e);
        }
        if (type.contains("rejected_execution") || status == 429) {
            return new LogException(LogException.Kind.OTHER, name + " is too busy (HTTP " + status + "): " + oneLine(cause), e);
        }
        // the node holding the open point in time (or a shard's copy) went away: not the query's fault, and a
        // new search (a new point in time on the nodes still up) answers; the view keeps the page, marked stale
        String lower = (cause + " " + reason + " " + type + " " + (rootType == null ? "" : rootType)).toLowerCase(java.util.Locale.ROOT);
        // right after a node (re)starts its shards are not yet assigned: also an outage that passes, not a bad query
        if (lower.contains("no_shard_available") || lower.contains("unavailable_shards") || lower.contains("shard_not_found")) {
            return new LogException(LogException.Kind.UNREACHABLE, name + " has no copy of the logs ready yet (" + oneLine(cause) + "): it is starting or recovering", e);
        }
        if (lower.contains("node not connected") || lower.contains("node_not_connected") || lower.contains("search_context_missing")
                || lower.contains("no search context found") || lower.contains("node_disconnected") || lower.contains("all shards failed") && lower.contains("connect")) {
            return new LogException(LogException.Kind.UNREACHABLE, name + " lost the node holding this search (" + oneLine(cause) + "): search again", e);
        }
        // "parse" and "parsing" (parsing_exception is what a bad query DSL gets)
        if (type.contains("pars") || type.contains("query_shard") || type.contains("search_phase_execution") || type.contains("illegal_argument")
                || type.contains("too_many_buckets")) {
            return new LogException(LogException.Kind.BAD_QUERY, "the search could not be run: " + oneLine(cause), e);
        }
        return new LogException(LogException.Kind.OTHER, name + ": " + type + ": " + oneLine(reason) + (status > 0 ? " (HTTP " + status + ")" : ""), e);
    }

    private static JsonNode errorDocument(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.path("error").isObject() && n.path("error").hasNonNull("type") ? n.path("error") : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    private static String rawBody(ResponseException re) {
        try {
            var entity = re.getResponse().getEntity();
            return entity == null ? "" : org.apache.http.util.EntityUtils.toString(entity, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException unreadable) {
            return "";
        }
    }

    /** The body a transport error kept, reduced to one line of text (empty when there is none). */
    private static String transportBody(TransportException te) {
        try {
            var r = te.response();
            if (r == null || r.body() == null) return "";
            try (var in = r.body().asInputStream()) {
                return pageText(new String(in.readNBytes(4096), StandardCharsets.UTF_8)).replace("(empty body)", "");
            }
        } catch (IOException | RuntimeException unreadable) {
            return "";
        }
    }

    /** An HTML page reduced to its text, on one line. */
    private static String pageText(String body) {
        String text = oneLine(body.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", " "));
        return text.isEmpty() ? "(empty body)" : text;
    }

    private static String oneLine(String s) {
        // Jackson appends the parser's source location: not useful to a person
        int at = s.indexOf(" at [Source");
        if (at > 0) s = s.substring(0, at);
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private LogException unauthorized(Exception e) {
        return new LogException(LogException.Kind.AUTH_FAILED, credentials
                ? name + " refused the credentials (HTTP 401): check user/password or API key"
                : name + " requires credentials (HTTP 401) and none are configured: set user and password or an API key", e);
    }

    private String hosts() {
        return String.join(", ", nodes.stream().map(u -> u.getHost() + ":" + port(u)).toList());
    }

    @Override
    public void close() {
        try {
            rest.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
