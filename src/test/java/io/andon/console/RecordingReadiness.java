package io.andon.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Which recorded series a fresh Prometheus cannot have yet: those of rule groups that have not evaluated since it
 * started, those of the slow (5-minute) groups until they have evaluated twice and hold a sample (the first
 * evaluation falls anywhere in the first 5 minutes and may see a counter once, or before any traffic), and, transitively, those
 * recorded from them (the 1-minute long windows sum the 5-minute slices). Fast groups get no such allowance: a
 * recording of theirs that produces nothing leaves its tiles dark, and that fails. A tile reading one of these may show
 * NO_DATA on a young stack; every other tile the stack feeds must be live.
 */
public final class RecordingReadiness {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordingReadiness() {}

    public static Set<String> notYetRecorded(URI prometheus) throws Exception {
        JsonNode groups = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/rules?type=record"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body()).path("data").path("groups");
        Set<String> missing = new HashSet<>();
        for (JsonNode g : groups) {
            boolean neverRan = g.path("lastEvaluation").asText("0001").startsWith("0001");
            boolean slow = g.path("interval").asDouble() >= 300;
            for (JsonNode r : g.path("rules")) {
                String name = r.path("name").asText();
                if (neverRan || (slow && (iterations(prometheus, g.path("name").asText()) < 2 || !hasSamples(prometheus, name)))) missing.add(name);
            }
        }
        for (boolean grew = true; grew; ) {
            grew = false;
            for (JsonNode g : groups) {
                for (JsonNode r : g.path("rules")) {
                    String name = r.path("name").asText(), query = r.path("query").asText();
                    if (!missing.contains(name) && missing.stream().anyMatch(query::contains)) grew |= missing.add(name);
                }
            }
        }
        return missing;
    }

    /** Evaluations of a rule group so far, from Prometheus's own metric (it scrapes itself); 0 when not seen yet. */
    private static double iterations(URI prometheus, String group) throws Exception {
        String q = java.net.URLEncoder.encode("max(prometheus_rule_group_iterations_total{rule_group=~\".*;" + group + "\"})", java.nio.charset.StandardCharsets.UTF_8);
        JsonNode r = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/query?query=" + q))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonNode v = r.path("data").path("result").path(0).path("value").path(1);
        return v.isMissingNode() ? 0 : Double.parseDouble(v.asText());
    }

    private static boolean hasSamples(URI prometheus, String metric) throws Exception {
        String q = java.net.URLEncoder.encode("count({__name__=\"" + metric + "\"})", java.nio.charset.StandardCharsets.UTF_8);
        JsonNode r = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/query?query=" + q))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
        return r.path("data").path("result").size() > 0;
    }

    /** Whether a tile's query reads none of {@code notYet}. */
    public static boolean fed(String query, Set<String> notYet) {
        return notYet.stream().noneMatch(query::contains);
    }
}
