package io.andon.board;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Dashboard pages from YAML: the bundled ones (io/andon/dashboards/, ordered by index.yaml), each
 * replaced by a file of the same name in the user's dashboards directory, plus any new files there.
 * A broken file is reported with its name, line and problem.
 */
public final class DashboardRepository {
    private static final String BUNDLED = "/io/andon/dashboards/";
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private final Optional<Path> userDir;

    public DashboardRepository(Optional<Path> userDir) {
        this.userDir = userDir;
    }

    public List<PageSpec> load() throws DashboardException {
        Map<String, PageSpec> pages = new LinkedHashMap<>();
        for (String name : bundledIndex()) {
            Optional<Path> override = userDir.map(d -> d.resolve(name + ".yaml")).filter(Files::isRegularFile);
            PageSpec p = override.isPresent() ? parse(override.get()) : parseBundled(name);
            pages.put(p.id(), p);
        }
        if (userDir.isPresent() && Files.isDirectory(userDir.get())) {
            try (Stream<Path> s = Files.list(userDir.get())) {
                for (Path f : s.filter(x -> x.toString().endsWith(".yaml")).sorted().toList()) {
                    String base = f.getFileName().toString().replaceFirst("\\.yaml$", "");
                    if (!bundledIndex().contains(base)) {
                        PageSpec p = parse(f);
                        pages.put(p.id(), p);
                    }
                }
            } catch (IOException e) {
                throw new DashboardException(userDir.get() + ": cannot list dashboards: " + e.getMessage());
            }
        }
        return List.copyOf(pages.values());
    }

    private List<String> bundledIndex() throws DashboardException {
        try (InputStream in = DashboardRepository.class.getResourceAsStream(BUNDLED + "index.yaml")) {
            if (in == null) throw new DashboardException("bundled dashboards index missing");
            return List.of(YAML.readValue(in, String[].class));
        } catch (IOException e) {
            throw new DashboardException("bundled dashboards index unreadable: " + e.getMessage());
        }
    }

    private PageSpec parseBundled(String name) throws DashboardException {
        String res = BUNDLED + name + ".yaml";
        try (InputStream in = DashboardRepository.class.getResourceAsStream(res)) {
            if (in == null) throw new DashboardException(res + ": missing");
            return validate(res, YAML.readValue(in, PageSpec.class));
        } catch (JsonProcessingException e) {
            throw located(res, e);
        } catch (IOException e) {
            throw new DashboardException(res + ": " + e.getMessage());
        }
    }

    public static PageSpec parse(Path file) throws DashboardException {
        try {
            return validate(file.toString(), YAML.readValue(file.toFile(), PageSpec.class));
        } catch (JsonProcessingException e) {
            throw located(file.toString(), e);
        } catch (IOException e) {
            throw new DashboardException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static DashboardException located(String file, JsonProcessingException e) {
        var loc = e.getLocation();
        String where = loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
        return new DashboardException(file + where + ": " + e.getOriginalMessage().lines().findFirst().orElse("invalid YAML"));
    }

    static PageSpec validate(String file, PageSpec p) throws DashboardException {
        List<String> problems = new ArrayList<>();
        if (p.id() == null || !p.id().matches("[a-z0-9][a-z0-9-]*")) problems.add("page 'id' missing or not lower-case letters, digits, '-'");
        if (p.title() == null || p.title().en() == null) problems.add("page 'title.en' missing");
        try {
            p.refreshInterval();
        } catch (IllegalArgumentException e) {
            problems.add("refresh: " + e.getMessage());
        }
        Set<String> ids = new HashSet<>();
        int n = 0;
        for (TileSpec t : p.tiles()) {
            n++;
            String where = "tile #" + n + (t.id() == null ? "" : " '" + t.id() + "'");
            if (t.id() == null) problems.add(where + ": 'id' missing");
            else if (!ids.add(t.id())) problems.add(where + ": duplicate id");
            if (t.title() == null || t.title().en() == null) problems.add(where + ": 'title.en' missing");
            if (t.query() == null || t.query().isBlank()) problems.add(where + ": 'query' missing");
            if (t.skin() == null) problems.add(where + ": 'skin' missing (one of " + java.util.Arrays.toString(TileSpec.Skin.values()) + ")");
            if (t.decimals() < 0 || t.decimals() > 6) problems.add(where + ": 'decimals' must be 0..6");
            var th = t.thresholds();
            if (th != null && th.warn() != null && th.crit() != null) {
                boolean below = th.direction() == TileSpec.Thresholds.Direction.BELOW;
                if (below ? th.crit() > th.warn() : th.crit() < th.warn()) {
                    problems.add(where + ": thresholds out of order (direction " + th.direction() + ": crit " + th.crit() + ", warn " + th.warn() + ")");
                }
            }
            try {
                t.sparkline();
            } catch (IllegalArgumentException e) {
                problems.add(where + ": sparkline: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw new DashboardException(file + ": " + String.join("; ", problems));
        return p;
    }

    public static final class DashboardException extends Exception {
        public DashboardException(String message) { super(message); }
    }
}
