package io.andon.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When shifts start, per plant. {@code shifts.yaml} in the console's config folder (beside {@code dashboards/},
 * not inside it: every YAML there is a page):
 * <pre>
 * zone: Asia/Shanghai              # the site's time zone (default: this machine's)
 * shifts:                          # start times; each shift ends where the next starts (default 08:00 16:00 00:00)
 *   - {name: early, start: "08:00"}
 *   - {name: late,  start: "16:00"}
 *   - {name: night, start: "00:00"}
 * plants:                          # per-plant override of zone and/or shifts
 *   P02: {zone: Europe/Berlin, shifts: [{name: day, start: "06:00"}, {name: night, start: "18:00"}]}
 * reports: /srv/andon/reports      # where a running console writes each shift's report (default: config/reports)
 * </pre>
 */
public final class ShiftSchedule {
    public static final String FILE = "shifts.yaml";

    public record Start(String name, LocalTime at) {}

    public record Plan(ZoneId zone, List<Start> starts) {
        public Plan {
            if (starts.isEmpty()) throw new IllegalArgumentException("a shift plan needs at least one start time");
            starts = starts.stream().sorted(Comparator.comparing(Start::at)).toList();
            for (int i = 1; i < starts.size(); i++) {
                if (starts.get(i).at().equals(starts.get(i - 1).at())) throw new IllegalArgumentException("two shifts start at " + starts.get(i).at());
            }
        }
    }

    public static final List<Start> DEFAULT_STARTS = List.of(new Start("night", LocalTime.MIDNIGHT),
            new Start("early", LocalTime.of(8, 0)), new Start("late", LocalTime.of(16, 0)));

    private final Plan site;
    private final Map<String, Plan> plants;
    private final Optional<Path> reportsDir;

    public ShiftSchedule(Plan site, Map<String, Plan> plants, Optional<Path> reportsDir) {
        this.site = site;
        this.plants = Map.copyOf(plants);
        this.reportsDir = reportsDir;
    }

    /** Three shifts 08:00 / 16:00 / 00:00 in this zone. */
    public static ShiftSchedule defaults(ZoneId zone) {
        return new ShiftSchedule(new Plan(zone, DEFAULT_STARTS), Map.of(), Optional.empty());
    }

    /** {@code configDir/shifts.yaml}, or the defaults in this machine's zone when there is none. */
    public static ShiftSchedule load(Path configDir) throws IOException {
        Path f = configDir.resolve(FILE);
        try {
            return parse(Files.readString(f), f.toString());
        } catch (NoSuchFileException e) {
            return defaults(ZoneId.systemDefault());
        }
    }

    public static ShiftSchedule parse(String yaml, String where) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": not YAML (" + e.getMessage() + ")");
        }
        if (root == null || root.isMissingNode() || root.isNull()) return defaults(ZoneId.systemDefault());
        Plan site = plan(root, new Plan(ZoneId.systemDefault(), DEFAULT_STARTS), where);
        Map<String, Plan> plants = new LinkedHashMap<>();
        root.path("plants").properties().forEach(e -> plants.put(e.getKey(), plan(e.getValue(), site, where + ": plant " + e.getKey())));
        Optional<Path> reports = root.hasNonNull("reports") ? Optional.of(Path.of(root.get("reports").asText())) : Optional.empty();
        return new ShiftSchedule(site, plants, reports);
    }

    private static Plan plan(JsonNode n, Plan inherit, String where) {
        ZoneId zone = inherit.zone();
        if (n.hasNonNull("zone")) {
            try {
                zone = ZoneId.of(n.get("zone").asText());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(where + ": unknown time zone '" + n.get("zone").asText() + "'");
            }
        }
        List<Start> starts = inherit.starts();
        if (n.has("shifts")) {
            starts = new ArrayList<>();
            for (JsonNode s : n.get("shifts")) {
                String at = s.path("start").asText("");
                try {
                    starts.add(new Start(s.path("name").asText(at), LocalTime.parse(at)));
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException(where + ": shift start '" + at + "' is not HH:mm");
                }
            }
        }
        try {
            return new Plan(zone, starts);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    public Plan plan(String plant) { return plant == null ? site : plants.getOrDefault(plant, site); }

    public Optional<Path> reportsDir() { return reportsDir; }

    /** Plants with their own plan. */
    public java.util.Set<String> plantsWithOverride() { return plants.keySet(); }

    /** The shift that starts at this local time, or a clear message naming the configured starts. */
    public Shift startingAt(String plant, LocalDateTime start) {
        Plan p = plan(plant);
        Start s = p.starts().stream().filter(x -> x.at().equals(start.toLocalTime())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no shift starts at " + start.toLocalTime() + (plant == null ? "" : " in plant " + plant)
                        + "; shifts start at " + p.starts().stream().map(x -> x.at().toString()).toList() + " (" + p.zone() + ")"));
        return shift(plant, p, start.toLocalDate(), p.starts().indexOf(s));
    }

    /** The shift running at this instant. */
    public Shift at(String plant, Instant t) {
        Plan p = plan(plant);
        ZonedDateTime z = t.atZone(p.zone());
        LocalDate d = z.toLocalDate();
        // the last start at or before t, today or (before the first start) yesterday's last
        for (int i = p.starts().size() - 1; i >= 0; i--) {
            Shift s = shift(plant, p, d, i);
            if (!s.start().isAfter(z)) return s;
        }
        return shift(plant, p, d.minusDays(1), p.starts().size() - 1);
    }

    /** The shift after this one. */
    public Shift next(Shift s) { return at(s.plant(), s.to()); }

    /** The last shift that has ended by {@code t}. */
    public Shift lastEnded(String plant, Instant t) {
        Shift now = at(plant, t);
        return at(plant, now.from().minusSeconds(1));
    }

    private static Shift shift(String plant, Plan p, LocalDate day, int i) {
        Start s = p.starts().get(i);
        ZonedDateTime start = ZonedDateTime.of(day, s.at(), p.zone());
        ZonedDateTime end = i + 1 < p.starts().size() ? ZonedDateTime.of(day, p.starts().get(i + 1).at(), p.zone())
                : ZonedDateTime.of(day.plusDays(1), p.starts().getFirst().at(), p.zone());
        return new Shift(plant, s.name(), start, end);
    }
}
