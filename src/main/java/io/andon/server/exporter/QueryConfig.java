package io.andon.server.exporter;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Business queries from YAML, so a site adapts them to its own MES schema without Java. Each query returns
 * a {@code value} column and one column per label.
 */
public record QueryConfig(List<Query> queries) {
    public record Query(String metric, String help, String sql, List<String> labels) {
        public List<String> labelsOrEmpty() { return labels == null ? List.of() : labels; }
    }

    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public static QueryConfig load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return validate(file.toString(), YAML.readValue(in, QueryConfig.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var l = e.getLocation();
            throw new IllegalArgumentException(file + (l == null ? "" : ":" + l.getLineNr()) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    public static QueryConfig bundled() {
        String res = "/io/andon/server/exporter/business-queries.yaml";
        try (InputStream in = QueryConfig.class.getResourceAsStream(res)) {
            return validate(res, YAML.readValue(in, QueryConfig.class));
        } catch (IOException e) {
            throw new IllegalStateException(res + ": " + e.getMessage(), e);
        }
    }

    static QueryConfig validate(String file, QueryConfig c) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (Query q : c.queries() == null ? List.<Query>of() : c.queries()) {
            i++;
            String where = "query #" + i + (q.metric() == null ? "" : " '" + q.metric() + "'");
            if (q.metric() == null || !q.metric().matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) problems.add(where + ": 'metric' missing or not a Prometheus name");
            else if (!names.add(q.metric())) problems.add(where + ": duplicate metric");
            if (q.sql() == null || q.sql().isBlank()) problems.add(where + ": 'sql' missing");
            for (String l : q.labelsOrEmpty()) if (!l.matches("[a-zA-Z_][a-zA-Z0-9_]*")) problems.add(where + ": bad label name '" + l + "'");
        }
        if (i == 0) problems.add("no queries");
        if (!problems.isEmpty()) throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
        return c;
    }
}
