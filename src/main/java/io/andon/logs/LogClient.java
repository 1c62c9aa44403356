package io.andon.logs;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
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
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.Writer;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * The logs page's Elasticsearch client (elasticsearch-java, typed queries only: user text becomes a
 * field value, never JSON). Deep paging uses a point in time with search_after, so it works past 10 000
 * hits and a page does not shift while new logs arrive.
 */
public final class LogClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TEXT_FIELDS = List.of("message", "logger", "stack_trace", "exception.message", "audit.action");

    public record Page(List<LogHit> hits, long total, Cursor next, long tookMs) {}

    /** Where the next page starts: the point in time and the last hit's sort values. */
    public record Cursor(String pitId, List<Object> searchAfter) {}

    public record Bucket(Instant time, Map<String, Long> byLevel, long total) {}

    public record Histogram(List<Bucket> buckets, Duration interval, long total) {}

    public record Count(String value, long count) {}

    private final RestClient rest;
    private final ElasticsearchClient es;
    private final String name;
    private final List<URI> nodes;

    public LogClient(String name, List<Endpoint> nodes) {
        this.name = name;
        this.nodes = nodes.stream().map(Endpoint::url).toList();
        Endpoint first = nodes.getFirst();
        HttpHost[] hosts = nodes.stream().map(e -> new HttpHost(e.url().getHost(), e.url().getPort(), e.url().getScheme())).toArray(HttpHost[]::new);
        var b = RestClient.builder(hosts).setRequestConfigCallback(rc -> rc
                .setConnectTimeout((int) first.connectTimeout().toMillis())
                .setSocketTimeout((int) first.readTimeout().toMillis()));
        switch (first.auth()) {
            case Endpoint.Auth.Basic basic -> {
                BasicCredentialsProvider cp = new BasicCredentialsProvider();
                cp.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(basic.user(), basic.password().reveal()));
                b.setHttpClientConfigCallback(h -> h.setDefaultCredentialsProvider(cp));
            }
            case Endpoint.Auth.Bearer key -> b.setDefaultHeaders(new org.apache.http.Header[]{new BasicHeader("Authorization", "ApiKey " + key.token().reveal())});
            case Endpoint.Auth.None none -> { }
        }
        first.caCertificate().ifPresent(pem -> b.setHttpClientConfigCallback(h -> h.setSSLContext(io.andon.net.SiteCa.load(pem).context())));
        this.rest = b.build();
        this.es = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
    }

    /** Cluster health ("green", "yellow", "red"): this is the connectivity check (GET / is not used). */
    public String health() throws LogException {
        try {
            return es.cluster().health().status().jsonValue();
        } catch (Exception e) {
            throw explain(e);
        }
    }

    Query build(LogQuery q) {
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
            b.must(m -> m.simpleQueryString(s -> s.query(q.text()).fields(TEXT_FIELDS).defaultOperator(Operator.And).lenient(true)));
        }
        if (q.audit()) b.filter(f -> f.exists(e -> e.field("audit.action")));
        return Query.of(x -> x.bool(b.build()));
    }

    /** First page (cursor null) or the next one; newest first, with _shard_doc as the tie-breaker. */
    public Page search(LogQuery q, Cursor cursor, int size) throws LogException {
        try {
            String pit = cursor != null ? cursor.pitId() : es.openPointInTime(p -> p.index(q.index()).keepAlive(k -> k.time("5m")).ignoreUnavailable(true)).id();
            SearchRequest.Builder r = new SearchRequest.Builder()
                    .pit(p -> p.id(pit).keepAlive(k -> k.time("5m")))
                    .query(build(q)).size(size).trackTotalHits(t -> t.enabled(true))
                    .sort(s -> s.field(f -> f.field("@timestamp").order(SortOrder.Desc).unmappedType(co.elastic.clients.elasticsearch._types.mapping.FieldType.Date)))
                    .sort(s -> s.field(f -> f.field("_shard_doc").order(SortOrder.Desc)));
            if (cursor != null && !cursor.searchAfter().isEmpty()) r.searchAfter(cursor.searchAfter().stream().map(LogClient::fieldValue).toList());
            SearchResponse<JsonNode> resp = es.search(r.build(), JsonNode.class);
            List<LogHit> hits = resp.hits().hits().stream().map(LogClient::hit).toList();
            String nextPit = resp.pitId() != null ? resp.pitId() : pit;
            Cursor next = hits.isEmpty() ? null : new Cursor(nextPit, hits.getLast().sort());
            return new Page(hits, resp.hits().total() == null ? hits.size() : resp.hits().total().value(), next, resp.took());
        } catch (Exception e) {
            throw explain(e);
        }
    }

    public void close(Cursor c) {
        if (c == null) return;
        try {
            es.closePointInTime(p -> p.id(c.pitId()));
        } catch (Exception ignored) {
            // it expires by itself
        }
    }

    /** Hits over time, stacked by level; empty buckets included so gaps show. */
    public Histogram histogram(LogQuery q) throws LogException {
        Duration interval = interval(Duration.between(q.from(), q.to()));
        try {
            SearchResponse<Void> r = es.search(s -> s.index(q.index()).ignoreUnavailable(true).size(0).trackTotalHits(t -> t.enabled(true)).query(build(q))
                    .aggregations("t", a -> a.dateHistogram(h -> h.field("@timestamp").fixedInterval(f -> f.time(interval.toSeconds() + "s"))
                                    .minDocCount(0).extendedBounds(e -> e.min(FieldDateMath.of(m -> m.expr(q.from().toString())))
                                            .max(FieldDateMath.of(m -> m.expr(q.to().toString())))))
                            .aggregations("level", l -> l.terms(t -> t.field("level").size(10)))), Void.class);
            List<Bucket> buckets = new ArrayList<>();
            Aggregate agg = r.aggregations().get("t");
            for (DateHistogramBucket b : agg.dateHistogram().buckets().array()) {
                Map<String, Long> byLevel = new LinkedHashMap<>();
                for (StringTermsBucket t : b.aggregations().get("level").sterms().buckets().array()) byLevel.put(t.key().stringValue(), t.docCount());
                buckets.add(new Bucket(Instant.ofEpochMilli(b.key()), byLevel, b.docCount()));
            }
            return new Histogram(buckets, interval, r.hits().total() == null ? 0 : r.hits().total().value());
        } catch (Exception e) {
            throw explain(e);
        }
    }

    /** The finest readable interval that gives at most 120 buckets (so 60–120 for most ranges). */
    static Duration interval(Duration range) {
        long[] nice = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
        long secs = Math.max(1, range.toSeconds());
        for (long n : nice) if (secs / n <= 120) return Duration.ofSeconds(n);
        return Duration.ofDays(1);
    }

    /** Top values of the filter fields with counts (Kibana's field statistics). */
    public Map<String, List<Count>> fieldStats(LogQuery q, List<String> fields) throws LogException {
        try {
            SearchRequest.Builder s = new SearchRequest.Builder().index(q.index()).ignoreUnavailable(true).size(0).query(build(q));
            for (String f : fields) s.aggregations(f, a -> a.terms(t -> t.field(f).size(10)));
            SearchResponse<Void> r = es.search(s.build(), Void.class);
            Map<String, List<Count>> out = new LinkedHashMap<>();
            for (String f : fields) {
                List<Count> c = new ArrayList<>();
                for (StringTermsBucket b : r.aggregations().get(f).sterms().buckets().array()) c.add(new Count(b.key().stringValue(), b.docCount()));
                out.put(f, c);
            }
            return out;
        } catch (Exception e) {
            throw explain(e);
        }
    }

    /** {@code n} documents before and after a hit in the same service, in time order. */
    public List<LogHit> surrounding(LogHit hit, int n) throws LogException {
        try {
            Query sameService = Query.of(x -> x.term(t -> t.field("service").value(hit.service() == null ? "" : hit.service())));
            String ts = hit.timestamp().toString();
            SearchResponse<JsonNode> before = es.search(s -> s.index(hit.index()).size(n).query(x -> x.bool(b -> b.filter(sameService)
                    .filter(f -> f.range(r -> r.date(d -> d.field("@timestamp").lt(ts)))))).sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Desc))), JsonNode.class);
            SearchResponse<JsonNode> after = es.search(s -> s.index(hit.index()).size(n).query(x -> x.bool(b -> b.filter(sameService)
                    .filter(f -> f.range(r -> r.date(d -> d.field("@timestamp").gt(ts)))))).sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Asc))), JsonNode.class);
            List<LogHit> out = new ArrayList<>(before.hits().hits().stream().map(LogClient::hit).toList().reversed());
            out.add(hit);
            out.addAll(after.hits().hits().stream().map(LogClient::hit).toList());
            return out;
        } catch (Exception e) {
            throw explain(e);
        }
    }

    /** Documents newer than {@code since} (live tail), oldest first. */
    public List<LogHit> newerThan(LogQuery q, Instant since, int max) throws LogException {
        try {
            LogQuery w = q.withRange(since, Instant.now().plusSeconds(5));
            SearchResponse<JsonNode> r = es.search(s -> s.index(q.index()).ignoreUnavailable(true).size(max).query(build(w))
                    .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Asc).unmappedType(co.elastic.clients.elasticsearch._types.mapping.FieldType.Date))), JsonNode.class);
            return r.hits().hits().stream().map(LogClient::hit).filter(h -> h.timestamp() != null && h.timestamp().isAfter(since)).toList();
        } catch (Exception e) {
            throw explain(e);
        }
    }

    public enum Format { CSV, NDJSON }

    /**
     * Streams every hit of the query to {@code out} page by page (never the whole result in memory).
     * Returns the number of rows written; stops early when {@code cancel} is set.
     */
    public long export(LogQuery q, Format format, Writer out, LongConsumer progress, AtomicBoolean cancel) throws LogException, IOException {
        long written = 0;
        Cursor c = null;
        if (format == Format.CSV) out.write("timestamp,level,service,logger,user_id,request_id,correlation_id,message\n");
        try {
            while (!cancel.get()) {
                Page p = search(q, c, 1000);
                if (p.hits().isEmpty()) break;
                for (LogHit h : p.hits()) {
                    if (format == Format.CSV) {
                        out.write(csv(h.timestamp() == null ? "" : h.timestamp().toString()) + "," + csv(h.level()) + "," + csv(h.service()) + ","
                                + csv(h.logger()) + "," + csv(h.userId()) + "," + csv(h.requestId()) + "," + csv(h.correlationId()) + "," + csv(h.message()) + "\n");
                    } else {
                        out.write(h.rawJson().replace("\n", " "));
                        out.write('\n');
                    }
                    written++;
                }
                progress.accept(written);
                c = p.next();
            }
        } finally {
            close(c);
            out.flush();
        }
        return written;
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
        Instant ts = null;
        try {
            if (s.hasNonNull("@timestamp")) ts = Instant.parse(s.path("@timestamp").asText());
        } catch (RuntimeException ignored) {
            // unparsable timestamp: shown as blank, the document still lists
        }
        List<Object> sort = new ArrayList<>();
        for (FieldValue v : h.sort()) sort.add(v.isLong() ? (Object) v.longValue() : v.isDouble() ? (Object) v.doubleValue() : v.isString() ? v.stringValue() : v._get());
        String stack = s.has("stack_trace") ? s.path("stack_trace").asText() : s.path("exception").path("stacktrace").asText(null);
        return new LogHit(h.id(), h.index(), ts, text(s, "level"), text(s, "service"), text(s, "logger"), text(s, "message"),
                text(s, "user_id"), text(s, "request_id"), text(s, "correlation_id"), text(s, "trace_id"), stack, fields, s.toString(), sort);
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
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (e instanceof ElasticsearchException ee) {
            String type = ee.error().type();
            String reason = ee.error().reason() == null ? "" : ee.error().reason();
            if ("index_not_found_exception".equals(type)) return new LogException(LogException.Kind.NO_INDEX, "no log index matches " + reason.replaceFirst("^no such index \\[(.*)]$", "$1"), e);
            if (ee.status() == 401 || ee.status() == 403) return new LogException(LogException.Kind.AUTH_FAILED, name + " refused the credentials (" + ee.status() + "): " + reason, e);
            if (type != null && (type.contains("parse") || type.contains("query_shard") || type.contains("search_phase_execution"))) {
                String cause = ee.error().rootCause().isEmpty() ? reason : ee.error().rootCause().getFirst().reason();
                return new LogException(LogException.Kind.BAD_QUERY, "the search could not be run: " + cause, e);
            }
            return new LogException(LogException.Kind.OTHER, name + ": " + type + ": " + reason, e);
        }
        if (e instanceof TransportException || e instanceof IOException) {
            if (root instanceof ResponseException re) {
                int st = re.getResponse().getStatusLine().getStatusCode();
                if (st == 401 || st == 403) return new LogException(LogException.Kind.AUTH_FAILED, name + " refused the credentials (HTTP " + st + ")", e);
            }
            if (e instanceof ResponseException re2) {
                int st = re2.getResponse().getStatusLine().getStatusCode();
                if (st == 401 || st == 403) return new LogException(LogException.Kind.AUTH_FAILED, name + " refused the credentials (HTTP " + st + ")", e);
            }
            if (root instanceof ConnectException) return new LogException(LogException.Kind.UNREACHABLE, name + " unreachable at " + hosts() + " (connection refused)", e);
            if (root instanceof SocketTimeoutException) return new LogException(LogException.Kind.TIMEOUT, name + " did not answer in time (" + hosts() + ")", e);
            if (root instanceof javax.net.ssl.SSLException) return new LogException(LogException.Kind.UNREACHABLE, name + ": TLS failed — unknown CA or wrong host name (" + root.getMessage() + ")", e);
            return new LogException(LogException.Kind.UNREACHABLE, name + " (" + hosts() + "): " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()), e);
        }
        return new LogException(LogException.Kind.OTHER, name + ": " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()), e);
    }

    private String hosts() {
        return String.join(", ", nodes.stream().map(u -> u.getHost() + ":" + u.getPort()).toList());
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
