package io.andon.alertmanager;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.andon.net.Endpoint;
import io.andon.net.HttpSource;
import io.andon.net.SourceException;
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

    public List<Alert> alerts() throws SourceException {
        JsonNode arr = get("api/v2/alerts");
        List<Alert> out = new ArrayList<>();
        for (JsonNode a : arr) out.add(alert(a));
        return out;
    }

    public List<Silence> silences() throws SourceException {
        JsonNode arr = get("api/v2/silences");
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

    public JsonNode status() throws SourceException { return get("api/v2/status"); }

    private JsonNode get(String path) throws SourceException {
        return parse(http.execute(new Request.Builder().url(http.url(path).build()).get().build(), true));
    }

    private JsonNode parse(HttpSource.Reply r) throws SourceException {
        if (r.status() / 100 != 2) {
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " answered HTTP " + r.status() + ": " + HttpSource.snippet(r.body()), r.status(), null);
        }
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n == null || n.isMissingNode()) throw new IllegalArgumentException("empty");
            return n;
        } catch (Exception e) {
            throw new SourceException(SourceException.Kind.BAD_RESPONSE, http.name() + " sent no valid JSON (" + r.contentType() + "): "
                    + HttpSource.snippet(r.body()), r.status(), null);
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
