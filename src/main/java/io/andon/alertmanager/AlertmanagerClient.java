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
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // two values for one key, or text after the JSON: no way to tell which is the answer
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AlertmanagerClient.class);
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

    /**
     * A list read from Alertmanager: the items that could be read and, one line each, those that could not (a silence
     * without matchers, a label whose value is null, a time that is not RFC 3339). One odd item never costs the list.
     */
    public record Listing<T>(List<T> items, List<String> unreadable) {
        public Listing {
            items = List.copyOf(items);
            unreadable = List.copyOf(unreadable);
        }

        /** "2 silences could not be read: …" (empty when all were read). */
        public String summary(String what) {
            if (unreadable.isEmpty()) return "";
            return unreadable.size() + " " + what + " could not be read: " + String.join("; ", unreadable.subList(0, Math.min(3, unreadable.size())))
                    + (unreadable.size() > 3 ? "; …" : "");
        }
    }

    public List<Alert> alerts() throws SourceException { return alerts(AlertQuery.ALL); }

    /** The alerts that could be read; the unreadable ones are logged (use {@link #readAlerts} to show them). */
    public List<Alert> alerts(AlertQuery q) throws SourceException {
        return logged(readAlerts(q), "alerts").items();
    }

    public Listing<Alert> readAlerts(AlertQuery q) throws SourceException {
        HttpUrl.Builder u = http.url("api/v2/alerts");
        if (q.active() != null) u.addQueryParameter("active", q.active().toString());
        if (q.silenced() != null) u.addQueryParameter("silenced", q.silenced().toString());
        if (q.inhibited() != null) u.addQueryParameter("inhibited", q.inhibited().toString());
        for (Silence.Matcher m : q.filter()) u.addQueryParameter("filter", m.toString());
        JsonNode arr = array(get(u), "alerts");
        List<Alert> out = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        int i = 0;
        for (JsonNode a : arr) {
            i++;
            try {
                out.add(alert(a));
            } catch (IllegalArgumentException e) {
                unreadable.add(describe("alert", i, a, e));
            }
        }
        noneReadable("alerts", arr, unreadable);
        return new Listing<>(out, unreadable);
    }

    /** Alertmanager's own groups (its routing tree's group_by), per receiver. */
    public List<AlertGroup> alertGroups() throws SourceException {
        return logged(readAlertGroups(), "alerts in groups").items();
    }

    /** The groups; an unreadable group or alert inside one is reported and skipped. */
    public Listing<AlertGroup> readAlertGroups() throws SourceException {
        JsonNode arr = array(get(http.url("api/v2/alerts/groups")), "alert groups");
        List<AlertGroup> out = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        int gi = 0;
        for (JsonNode g : arr) {
            gi++;
            try {
                if (!g.isObject()) throw new IllegalArgumentException("a group that is not an object: " + HttpSource.snippet(g.toString()));
                Map<String, String> labels = map(g.path("labels"));
                List<Alert> alerts = new ArrayList<>();
                int i = 0;
                for (JsonNode a : g.path("alerts")) {
                    i++;
                    try {
                        alerts.add(alert(a));
                    } catch (IllegalArgumentException e) {
                        unreadable.add("group " + gi + " " + labels + ": " + describe("alert", i, a, e));
                    }
                }
                out.add(new AlertGroup(labels, g.path("receiver").path("name").asText(""), alerts));
            } catch (IllegalArgumentException e) {
                unreadable.add("group " + gi + ": " + e.getMessage());
            }
        }
        noneReadable("alert groups", arr, unreadable);
        return new Listing<>(out, unreadable);
    }

    public List<Silence> silences() throws SourceException {
        return logged(readSilences(), "silences").items();
    }

    /** The silences; one that cannot be read (no matchers, a nameless matcher, a bad time) is reported and skipped. */
    public Listing<Silence> readSilences() throws SourceException {
        JsonNode arr = array(get(http.url("api/v2/silences")), "silences");
        List<Silence> out = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        int i = 0;
        for (JsonNode s : arr) {
            i++;
            try {
                out.add(silence(s));
            } catch (IllegalArgumentException e) {
                unreadable.add(describe("silence", i, s, e));
            }
        }
        noneReadable("silences", arr, unreadable);
        return new Listing<>(out, unreadable);
    }

    /** Every item unreadable: nothing is left to show, so the answer itself is bad (the caller keeps its last list). */
    private void noneReadable(String what, JsonNode arr, List<String> unreadable) throws SourceException {
        if (!arr.isEmpty() && unreadable.size() == arr.size()) throw bad(what, unreadable.getFirst(), arr);
    }

    private <T> Listing<T> logged(Listing<T> l, String what) {
        if (!l.unreadable().isEmpty()) LOG.warn("{}: {}", http.name(), l.summary(what));
        return l;
    }

    private static String describe(String kind, int i, JsonNode n, IllegalArgumentException e) {
        String id = n.path("fingerprint").isTextual() ? " " + n.path("fingerprint").asText() : n.path("id").isTextual() ? " " + n.path("id").asText() : "";
        // the message of silence() already names the silence
        return e.getMessage().startsWith(kind + " ") ? e.getMessage() : kind + " " + i + id + ": " + e.getMessage();
    }

    /**
     * One silence. Its matchers are what it mutes, so they are read strictly: a silence shown without its matchers
     * (or with a nameless one) would look like it mutes everything, or nothing.
     */
    private static Silence silence(JsonNode s) {
        if (!s.isObject()) throw new IllegalArgumentException("a silence that is not an object: " + HttpSource.snippet(s.toString()));
        String id = s.path("id").asText("");
        JsonNode matchers = s.path("matchers");
        if (!matchers.isArray() || matchers.isEmpty()) {
            throw new IllegalArgumentException("silence " + id + " has no list of matchers: " + HttpSource.snippet(matchers.toString()));
        }
        List<Silence.Matcher> ms = new ArrayList<>();
        for (JsonNode m : matchers) {
            if (!m.path("name").isTextual() || m.path("name").asText().isEmpty() || !m.path("value").isTextual()) {
                throw new IllegalArgumentException("silence " + id + " has a matcher without name or value: " + HttpSource.snippet(m.toString()));
            }
            ms.add(new Silence.Matcher(m.path("name").asText(), m.path("value").asText(), m.path("isRegex").asBoolean(),
                    !m.has("isEqual") || m.path("isEqual").asBoolean()));
        }
        return new Silence(id, ms, time(s.path("startsAt"), "startsAt"), time(s.path("endsAt"), "endsAt"),
                s.path("createdBy").asText(), s.path("comment").asText(), s.path("status").path("state").asText());
    }

    /** Creates a silence; Alertmanager's own validation message comes back as the exception's message. */
    public String createSilence(List<Silence.Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) throws SourceException {
        return postSilence(null, matchers, startsAt, endsAt, createdBy, comment);
    }

    /**
     * Updates a silence by its id. Alertmanager (0.25, checked on the real server) keeps the id when matchers and
     * start are unchanged and the silence is active; otherwise it expires the old one and answers a new id.
     */
    public String updateSilence(Silence s, Instant endsAt, String createdBy, String comment) throws SourceException {
        return postSilence(s.id(), s.matchers(), s.startsAt(), endsAt, createdBy, comment);
    }

    private String postSilence(String id, List<Silence.Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) throws SourceException {
        ObjectNode body = JSON.createObjectNode();
        if (id != null) body.put("id", id);
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
        String newId = n.path("silenceID").asText("");
        // without the id nobody can expire it later: say so rather than return ""
        if (newId.isBlank()) {
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " answered without a silence ID: " + HttpSource.snippet(n.toString()), r.status(), null);
        }
        return newId;
    }

    public void expireSilence(String id) throws SourceException {
        Request req = new Request.Builder().url(http.url("api/v2/silence").addPathSegment(id).build()).delete().build();
        HttpSource.Reply r = http.execute(req, false);
        // two consoles ending the same ack (a keeper's dedupe, an un-ack): the second finds it done, which is the goal
        if (r.status() != 200 && r.body() != null && r.body().contains("already expired")) return;
        if (r.status() != 200) {
            throw new SourceException(SourceException.Kind.API_ERROR, http.name() + " could not expire silence " + id + ": " + plain(r.body()), r.status(), null);
        }
    }

    /** The member's view of the HA cluster and its version (the settings page's connection test). */
    public ClusterStatus status() throws SourceException {
        JsonNode n = get(http.url("api/v2/status"));
        if (!n.isObject() || !n.path("cluster").isObject()) throw bad("status", "not a status object with a cluster", n);
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
        if (!n.isArray()) throw bad(what, "not a list of " + what, n);
        return n;
    }

    private SourceException bad(String what, String problem, JsonNode n) {
        return new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " sent unreadable " + what + " (" + problem + "): "
                + HttpSource.snippet(n.toString()), 200, null);
    }

    private JsonNode parse(HttpSource.Reply r) throws SourceException {
        if (r.status() / 100 != 2) {
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " answered HTTP " + r.status() + ": " + HttpSource.readable(r), r.status(), null);
        }
        if (r.body() == null || r.body().isBlank()) {
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " answered HTTP " + r.status() + " with an empty body", r.status(), null);
        }
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n == null || n.isMissingNode()) throw new IllegalArgumentException("empty");
            return n;
        } catch (Exception e) {
            String what = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && io.andon.net.JsonProblem.truncated(j) ? "a cut-off JSON body"
                    : "no valid JSON" + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? io.andon.net.JsonProblem.detail(j) : "");
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " sent " + what + " (" + (r.contentType().isEmpty() ? "no content type" : r.contentType())
                    + "): " + HttpSource.readable(r), r.status(), null);
        }
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
        // a number or a string in the list would otherwise become an alert with no name, no labels, no state
        if (!a.isObject()) throw new IllegalArgumentException("an alert that is not an object: " + HttpSource.snippet(a.toString()));
        return new Alert(a.path("fingerprint").asText(), map(a.path("labels")), map(a.path("annotations")), time(a.path("startsAt"), "startsAt"),
                time(a.path("endsAt"), "endsAt"), time(a.path("updatedAt"), "updatedAt"), a.path("status").path("state").asText("unprocessed"),
                list(a.path("status").path("silencedBy")), list(a.path("status").path("inhibitedBy")),
                names(a.path("receivers")), a.path("generatorURL").asText(""), List.of());
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.properties().forEach(e -> {
            // asText() of null is "null" and of an object "": both invented values
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new IllegalArgumentException("label '" + e.getKey() + "' is not a string: " + HttpSource.snippet(e.getValue().toString()));
            }
            m.put(e.getKey(), e.getValue().asText());
        });
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

    /** A time the status page shows only (uptime): one that cannot be read is left out rather than failing the connection test. */
    private static Instant time(JsonNode n) {
        try {
            return time(n, "time");
        } catch (IllegalArgumentException e) {
            LOG.warn("unreadable time in an Alertmanager status: {}", e.getMessage());
            return null;
        }
    }

    /**
     * An RFC 3339 time (with Z or an offset); absent or null is "not set" (null). A value that is there but cannot be
     * read makes its item unreadable: shown as "no time" it would look like an alert without a start.
     */
    static Instant time(JsonNode n, String field) {
        if (n.isMissingNode() || n.isNull()) return null;
        String t = n.asText();
        try {
            return java.time.OffsetDateTime.parse(t).toInstant();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(field + " is not an RFC 3339 time: '" + HttpSource.snippet(t) + "'");
        }
    }
}
