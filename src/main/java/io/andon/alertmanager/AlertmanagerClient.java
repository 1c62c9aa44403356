package io.andon.alertmanager;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Client of one Alertmanager's API v2. Tolerant of fields it does not know (newer Alertmanagers add some). */
public final class AlertmanagerClient {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private final HttpSource http;

    public AlertmanagerClient(String name, Endpoint endpoint) {
        this.http = new HttpSource(name, endpoint);
    }

    public String name() { return http.name(); }

    /**
     * Which alerts {@code GET /api/v2/alerts} returns: the state switches (null = Alertmanager's default, true)
     * and label matchers, sent as query parameters (okhttp encodes them; a matcher is never spliced into a URL).
     */
    public record AlertQuery(Boolean active, Boolean silenced, Boolean inhibited, List<Silence.Matcher> filter) {
        public static final AlertQuery ALL = new AlertQuery(null, null, null, List.of());

        public AlertQuery {
            filter = filter == null ? List.of() : List.copyOf(filter);
        }

        public AlertQuery withFilter(List<Silence.Matcher> f) { return new AlertQuery(active, silenced, inhibited, f); }
    }

    public List<Alert> alerts() throws SourceException { return alerts(AlertQuery.ALL); }

    public List<Alert> alerts(AlertQuery q) throws SourceException {
        HttpUrl.Builder u = http.url("api/v2/alerts");
        if (q.active() != null) u.addQueryParameter("active", q.active().toString());
        if (q.silenced() != null) u.addQueryParameter("silenced", q.silenced().toString());
        if (q.inhibited() != null) u.addQueryParameter("inhibited", q.inhibited().toString());
        for (Silence.Matcher m : q.filter()) u.addQueryParameter("filter", m.toString());
        JsonNode arr = array(get(u), "alerts");
        List<Alert> out = new ArrayList<>();
        for (JsonNode a : arr) out.add(alert(a));
        return out;
    }

    /** Alertmanager's own groups (its routing tree's group_by), per receiver. */
    public List<AlertGroup> alertGroups() throws SourceException {
        JsonNode arr = array(get(http.url("api/v2/alerts/groups")), "alert groups");
        List<AlertGroup> out = new ArrayList<>();
        for (JsonNode g : arr) {
            List<Alert> alerts = new ArrayList<>();
            for (JsonNode a : g.path("alerts")) alerts.add(alert(a));
            out.add(new AlertGroup(map(g.path("labels")), g.path("receiver").path("name").asText(""), alerts));
        }
        return out;
    }

    public List<Silence> silences() throws SourceException {
        JsonNode arr = array(get(http.url("api/v2/silences")), "silences");
        List<Silence> out = new ArrayList<>();
        for (JsonNode s : arr) {
            List<Silence.Matcher> ms = new ArrayList<>();
            for (JsonNode m : s.path("matchers")) {
                ms.add(new Silence.Matcher(m.path("name").asText(), m.path("value").asText(), m.path("isRegex").asBoolean(),
                        !m.has("isEqual") || m.path("isEqual").asBoolean()));
            }
            out.add(new Silence(s.path("id").asText(), ms, time(s.path("startsAt")), time(s.path("endsAt")),
                    s.path("createdBy").asText(), s.path("comment").asText(), s.path("status").path("state").asText()));
        }
        return out;
    }

    /** Creates a silence; Alertmanager's own validation message comes back as the exception's message. */
    public String createSilence(List<Silence.Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) throws SourceException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode ms = body.putArray("matchers");
        for (Silence.Matcher m : matchers) {
            ms.addObject().put("name", m.name()).put("value", m.value()).put("isRegex", m.isRegex()).put("isEqual", m.isEqual());
        }
        body.put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString()).put("createdBy", createdBy).put("comment", comment);
        Request req = new Request.Builder().url(http.url("api/v2/silences").build())
                .post(RequestBody.create(body.toString(), JSON_TYPE)).build();
        HttpSource.Reply r = http.execute(req, false);
        if (r.status() == 400 || r.status() == 422) {
            throw new SourceException(SourceException.Kind.API_ERROR, http.name() + " rejected the silence: " + plain(r.body()), 400, null);
        }
        JsonNode n = parse(r);
        return n.path("silenceID").asText();
    }

    public void expireSilence(String id) throws SourceException {
        Request req = new Request.Builder().url(http.url("api/v2/silence").addPathSegment(id).build()).delete().build();
        HttpSource.Reply r = http.execute(req, false);
        if (r.status() != 200) {
            throw new SourceException(SourceException.Kind.API_ERROR, http.name() + " could not expire silence " + id + ": " + plain(r.body()), r.status(), null);
        }
    }

    /** The member's view of the HA cluster and its version (the settings page's connection test). */
    public ClusterStatus status() throws SourceException {
        JsonNode n = get(http.url("api/v2/status"));
        if (!n.isObject() || !n.has("cluster")) throw bad("status", n);
        JsonNode c = n.path("cluster");
        List<ClusterStatus.Peer> peers = new ArrayList<>();
        for (JsonNode p : c.path("peers")) peers.add(new ClusterStatus.Peer(p.path("name").asText(""), p.path("address").asText("")));
        return new ClusterStatus(c.path("name").asText(""), c.path("status").asText("unknown"), peers,
                n.path("versionInfo").path("version").asText("unknown"), time(n.path("uptime")));
    }

    private JsonNode get(HttpUrl.Builder url) throws SourceException {
        return parse(http.execute(new Request.Builder().url(url.build()).get().build(), true));
    }

    private JsonNode array(JsonNode n, String what) throws SourceException {
        if (!n.isArray()) throw bad(what, n);
        return n;
    }

    private SourceException bad(String what, JsonNode n) {
        return new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " sent something that is not a list of " + what + ": "
                + HttpSource.snippet(n.toString()), 200, null);
    }

    private JsonNode parse(HttpSource.Reply r) throws SourceException {
        if (r.status() / 100 != 2) {
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " answered HTTP " + r.status() + ": " + readable(r), r.status(), null);
        }
        if (r.body() == null || r.body().isBlank()) {
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " answered HTTP " + r.status() + " with an empty body", r.status(), null);
        }
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n == null || n.isMissingNode()) throw new IllegalArgumentException("empty");
            return n;
        } catch (Exception e) {
            String what = e instanceof com.fasterxml.jackson.core.io.JsonEOFException ? "a cut-off JSON body" : "no valid JSON";
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " sent " + what + " (" + (r.contentType().isEmpty() ? "no content type" : r.contentType())
                    + "): " + readable(r), r.status(), null);
        }
    }

    /** The body for a message: an HTML error page (a proxy's 502) reduced to its text, anything else as a snippet. */
    static String readable(HttpSource.Reply r) {
        String b = r.body() == null ? "" : r.body();
        if (r.contentType().contains("html") || b.stripLeading().startsWith("<")) {
            b = b.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", " ");
        }
        String s = HttpSource.snippet(b);
        return s.isEmpty() ? "(empty body)" : s;
    }

    private static String plain(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isTextual()) return n.asText();
            if (n != null && n.has("message")) return n.path("message").asText();
        } catch (Exception notJson) {
            // Alertmanager 0.25 answers validation errors as plain text
        }
        return HttpSource.snippet(body);
    }

    static Alert alert(JsonNode a) {
        return new Alert(a.path("fingerprint").asText(), map(a.path("labels")), map(a.path("annotations")), time(a.path("startsAt")),
                time(a.path("endsAt")), time(a.path("updatedAt")), a.path("status").path("state").asText("unprocessed"),
                list(a.path("status").path("silencedBy")), list(a.path("status").path("inhibitedBy")),
                names(a.path("receivers")), a.path("generatorURL").asText(""), List.of());
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static List<String> list(JsonNode n) {
        List<String> l = new ArrayList<>();
        n.forEach(x -> l.add(x.asText()));
        return l;
    }

    private static List<String> names(JsonNode n) {
        List<String> l = new ArrayList<>();
        n.forEach(x -> l.add(x.isObject() ? x.path("name").asText() : x.asText()));
        return l;
    }

    private static Instant time(JsonNode n) {
        try {
            return n.isMissingNode() || n.isNull() ? null : Instant.parse(n.asText());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
