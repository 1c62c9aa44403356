package io.andon.board;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.andon.prometheus.PromQL;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Dashboard pages from YAML, one file per page: the bundled ones (io/andon/dashboards/, ordered by
 * index.yaml), each replaced by a file of the same name in one of the given directories (a later directory
 * wins), plus any new files there. A broken file is reported with its name, line, column and problem — all
 * problems of the file at once, so a site fixes them in one go.
 */
public final class DashboardRepository {
    private static final String BUNDLED = "/io/andon/dashboards/";
    private static final String LOCATIONS = "andon.locations";
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(new SimpleModule().setDeserializerModifier(new Locating()))
            .build();

    private final List<Path> dirs;

    /** Bundled pages overridden and extended by these directories, in order (later wins). */
    public DashboardRepository(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    public DashboardRepository(Optional<Path> userDir) {
        this(userDir.map(List::of).orElse(List.of()));
    }

    public List<PageSpec> load() throws DashboardException {
        List<String> index = bundledIndex();
        Map<String, Path> files = new LinkedHashMap<>(); // page file name (no .yaml) -> the winning file
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.filter(x -> x.getFileName().toString().endsWith(".yaml") && !x.getFileName().toString().equals("index.yaml"))
                        .sorted().toList()) {
                    files.put(f.getFileName().toString().replaceFirst("\\.yaml$", ""), f);
                }
            } catch (IOException e) {
                throw new DashboardException(dir + ": cannot list dashboards: " + e.getMessage());
            }
        }
        Map<String, PageSpec> pages = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(index);
        files.keySet().stream().filter(n -> !index.contains(n)).forEach(names::add);
        for (String name : names) {
            Path override = files.get(name);
            String where = override != null ? override.toString() : BUNDLED.substring(1) + name + ".yaml";
            PageSpec p = override != null ? parse(override) : parseBundled(name);
            String before = origin.put(p.id(), where);
            if (before != null) throw new DashboardException(where + ": page id '" + p.id() + "' is already used by " + before);
            pages.put(p.id(), p);
        }
        return List.copyOf(pages.values());
    }

    private static List<String> bundledIndex() throws DashboardException {
        try (InputStream in = DashboardRepository.class.getResourceAsStream(BUNDLED + "index.yaml")) {
            if (in == null) throw new DashboardException("bundled dashboards index missing");
            return List.of(YAML.readValue(in, String[].class));
        } catch (IOException e) {
            throw new DashboardException("bundled dashboards index unreadable: " + e.getMessage());
        }
    }

    /** The names of the bundled pages, in their order. */
    public static List<String> bundledNames() throws DashboardException { return bundledIndex(); }

    static PageSpec parseBundled(String name) throws DashboardException {
        String res = BUNDLED + name + ".yaml";
        try (InputStream in = DashboardRepository.class.getResourceAsStream(res)) {
            if (in == null) throw new DashboardException(res + ": missing");
            return read(res.substring(1), in.readAllBytes());
        } catch (IOException e) {
            throw new DashboardException(res + ": " + e.getMessage());
        }
    }

    public static PageSpec parse(Path file) throws DashboardException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DashboardException(file + ": cannot read: " + e.getMessage());
        }
        return read(file.toString(), bytes);
    }

    private static PageSpec read(String file, byte[] bytes) throws DashboardException {
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            throw new DashboardException(file + ": empty file (a page needs id, title and tiles)");
        }
        Map<Object, JsonLocation> locations = new IdentityHashMap<>();
        PageSpec page;
        try {
            page = YAML.readerFor(PageSpec.class).withAttribute(LOCATIONS, locations).readValue(bytes);
        } catch (JsonProcessingException e) {
            String where = at(e.getLocation());
            if (e instanceof UnrecognizedPropertyException u) {
                // records are built from buffered properties, so Jackson reports the end of the object: point at the key
                where = keyLocation(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), u.getPropertyName()).orElse(where);
            }
            throw new DashboardException(file + where + ": " + e.getOriginalMessage().lines().findFirst().orElse("invalid YAML") + path(e));
        } catch (IOException e) {
            throw new DashboardException(file + ": " + e.getMessage());
        }
        if (page == null) throw new DashboardException(file + ": empty file (a page needs id, title and tiles)");
        List<String> problems = validate(page, locations::get);
        if (!problems.isEmpty()) {
            throw new DashboardException(problems.stream().map(p -> file + p).collect(Collectors.joining("\n")));
        }
        return page;
    }

    private static Optional<String> keyLocation(String text, String key) {
        var m = java.util.regex.Pattern.compile("(^|[\\s{,-])(" + java.util.regex.Pattern.quote(key) + ")\\s*:", java.util.regex.Pattern.MULTILINE).matcher(text);
        if (!m.find()) return Optional.empty();
        int pos = m.start(2);
        int line = 1, col = 1;
        for (int i = 0; i < pos; i++) {
            if (text.charAt(i) == '\n') { line++; col = 1; } else col++;
        }
        return Optional.of(":" + line + ":" + col);
    }

    /** Jackson's path to the bad value, e.g. " (at tiles[3].skin)", for messages without a useful line. */
    private static String path(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m) || m.getPath().isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        for (var ref : m.getPath()) {
            if (ref.getFieldName() != null) sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            else if (ref.getIndex() >= 0) sb.append('[').append(ref.getIndex()).append(']');
        }
        return " (at " + sb + ")";
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
    }

    /** Every problem of a page, each as ":line:col: what" (location of the page or tile it concerns). */
    static List<String> validate(PageSpec p, Function<Object, JsonLocation> loc) {
        List<String> problems = new ArrayList<>();
        String pageAt = at(loc.apply(p)) + ": ";
        if (p.id() == null || !p.id().matches("[a-z0-9][a-z0-9_-]*")) problems.add(pageAt + "page 'id' missing or not lower-case letters, digits, '-', '_'");
        if (p.title() == null || p.title().en() == null || p.title().en().isBlank()) problems.add(pageAt + "page 'title.en' missing");
        try {
            if (!p.refreshInterval().isPositive()) problems.add(pageAt + "refresh must be positive");
        } catch (IllegalArgumentException e) {
            problems.add(pageAt + "refresh: " + e.getMessage());
        }
        if (p.datasource() != null && !p.datasource().matches("[A-Za-z0-9_.-]+")) problems.add(pageAt + "datasource name '" + p.datasource() + "' is not a plain name");
        if (p.tiles().isEmpty()) problems.add(pageAt + "page has no tiles");
        Set<String> ids = new HashSet<>();
        int n = 0;
        for (TileSpec t : p.tiles()) {
            n++;
            String where = at(loc.apply(t)) + ": tile #" + n + (t.id() == null ? "" : " '" + t.id() + "'") + ": ";
            if (t.id() == null || t.id().isBlank()) problems.add(where + "'id' missing");
            else if (!ids.add(t.id())) problems.add(where + "duplicate id");
            if (t.title() == null || t.title().en() == null || t.title().en().isBlank()) problems.add(where + "'title.en' missing");
            if (t.gate() != null) problems.add(where + "gate '" + t.gate() + "' is not one of the page's gates " + p.gates().keySet());
            if (t.cap() != null && (t.cap().value() == null || t.cap().text() == null || t.cap().text().en() == null)) {
                problems.add(where + "cap needs a 'value' and a 'text' ({en: ..., zh_CN: ...})");
            }
            if (t.query() == null || t.query().isBlank()) {
                problems.add(where + "'query' missing");
            } else {
                try {
                    Map<String, String> dummy = new LinkedHashMap<>();
                    PromQL.variables(t.query()).forEach(v -> dummy.put(v, "x"));
                    PromQL.render(t.query(), dummy);
                } catch (IllegalArgumentException e) {
                    problems.add(where + "query: " + e.getMessage());
                }
            }
            if (t.idealBurn() != null) {
                try {
                    if (!t.idealBurnWindow().orElseThrow().isPositive()) problems.add(where + "idealBurn must be a positive duration such as 30d");
                } catch (RuntimeException e) {
                    problems.add(where + "idealBurn: " + e.getMessage() + " (the SLO window, such as 30d)");
                }
            }
            if (t.exemplars() != null) {
                if (t.exemplars().isBlank()) {
                    problems.add(where + "'exemplars' is empty (leave it out, or give the histogram series whose exemplars to show)");
                } else {
                    try {
                        if (!PromQL.variables(t.exemplars()).isEmpty()) problems.add(where + "exemplars: page variables are not supported here");
                        PromQL.render(t.exemplars(), Map.of());
                    } catch (IllegalArgumentException e) {
                        problems.add(where + "exemplars: " + e.getMessage());
                    }
                }
            }
            if (t.skin() == null) problems.add(where + "'skin' missing (one of " + java.util.Arrays.toString(TileSpec.Skin.values()) + ")");
            if (t.unitKind() == null) problems.add(where + "unknown unit '" + t.unit() + "' (one of " + TileSpec.Unit.names() + ")");
            if (t.decimals() < 0 || t.decimals() > 6) problems.add(where + "'decimals' must be 0..6");
            String order = t.thresholdsOrNone().orderProblem();
            if (order != null) problems.add(where + order);
            if (t.min() != null && t.max() != null && !(t.min() < t.max())) problems.add(where + "'min' must be below 'max'");
            if (t.legendLabel() != null && !t.legendLabel().matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                problems.add(where + "legendLabel '" + t.legendLabel() + "' is not a label name");
            }
            if ((t.skin() == TileSpec.Skin.DONUT_CHART || t.skin() == TileSpec.Skin.BARS) && t.legendLabel() == null) problems.add(where + "a " + t.skin() + " needs 'legendLabel' (the label naming each slice or bar)");
            try {
                t.sparkline().ifPresent(d -> {
                    if (!d.isPositive()) throw new IllegalArgumentException("must be positive");
                });
            } catch (IllegalArgumentException e) {
                problems.add(where + "sparkline: " + e.getMessage());
            }
        }
        return problems;
    }

    /** Remembers where in the file each page and tile starts, for messages that point at it. */
    private static final class Locating extends BeanDeserializerModifier {
        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription desc, JsonDeserializer<?> d) {
            Class<?> c = desc.getBeanClass();
            return c == PageSpec.class || c == TileSpec.class ? new Located(d) : d;
        }
    }

    private static final class Located extends DelegatingDeserializer {
        Located(JsonDeserializer<?> d) { super(d); }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> d) { return new Located(d); }

        @Override
        @SuppressWarnings("unchecked")
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonLocation start = p.currentTokenLocation();
            Object v = super.deserialize(p, ctxt);
            if (v != null && ctxt.getAttribute(LOCATIONS) instanceof Map<?, ?> m) ((Map<Object, JsonLocation>) m).put(v, start);
            return v;
        }
    }

    public static final class DashboardException extends Exception {
        public DashboardException(String message) { super(message); }
    }
}
