package io.andon.server.slo;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads SLO specs: the plant's {@code kind: ServiceLevelObjective} documents (slo-definitions.yaml, with Andon's
 * corrections and its {@code latency} indicator) and Sloth's {@code version: "prometheus/v1"} files, unchanged.
 * Every problem is collected with its file and line; {@link #read} throws them all at once.
 */
public final class SpecReader {
    /** Sloth's window placeholder, with or without the spaces Go templates allow. */
    static final Pattern WINDOW_VAR = Pattern.compile("\\{\\{\\s*\\.window\\s*}}");
    static final String WINDOW = "{{.window}}";
    /** A range selector {@code [5m]} (not a subquery {@code [5m:1m]}): the plant's queries carry their window so. */
    private static final Pattern RANGE = Pattern.compile("\\[(\\d+(?:ms|[smhdwy]))+]");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern DAYS = Pattern.compile("(\\d+)d");
    static final int MIN_DAYS = 7, MAX_DAYS = 90;
    /** {@code le="0.25"} inside a selector of a histogram of the metrics contract (whose buckets Andon knows). */
    private static final Pattern BUCKET_LE = Pattern.compile("(?:http_request|db_query)_duration_seconds_bucket\\s*\\{[^}]*\\ble\\s*=\\s*\"([^\"]+)\"");

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final List<Slo> slos = new ArrayList<>();
    private final Map<String, Slo.Location> names = new TreeMap<>();

    /** All SLOs of the files, sorted by name, or every error found. Warnings land in {@link #warnings}. */
    public static Result read(List<Path> files) throws SloSpecException, IOException {
        SpecReader r = new SpecReader();
        for (Path f : files) r.readFile(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
        return r.result();
    }

    public static Result read(String file, String text) throws SloSpecException, IOException {
        SpecReader r = new SpecReader();
        r.readFile(file, text);
        return r.result();
    }

    public record Result(List<Slo> slos, List<Diagnostic> warnings) {}

    private Result result() throws SloSpecException {
        List<Diagnostic> errors = diagnostics.stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) throw new SloSpecException(diagnostics);
        List<Slo> sorted = new ArrayList<>(slos);
        sorted.sort(java.util.Comparator.comparing(Slo::name));
        return new Result(sorted, diagnostics.stream().filter(d -> !d.isError()).toList());
    }

    private void readFile(String file, String text) {
        List<LocatedYaml.Doc> docs;
        try {
            docs = LocatedYaml.parse(file, text);
        } catch (IOException e) {
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null ? j.getLocation().getLineNr() : 1;
            diagnostics.add(Diagnostic.error(file, line, "not YAML: " + e.getMessage().lines().findFirst().orElse("")));
            return;
        }
        if (docs.isEmpty()) diagnostics.add(Diagnostic.error(file, 1, "no SLO in this file"));
        for (LocatedYaml.Doc d : docs) {
            JsonNode r = d.root();
            if ("prometheus/v1".equals(r.path("version").asText(null))) readSloth(d);
            else if ("ServiceLevelObjective".equals(r.path("kind").asText(null))) readPlant(d);
            else error(d, "", "neither kind: ServiceLevelObjective (the plant's format) nor version: \"prometheus/v1\" (Sloth's)");
        }
    }

    // ----- the plant's format -----

    private void readPlant(LocatedYaml.Doc d) {
        JsonNode spec = d.root().path("spec");
        BigDecimal target = null;
        JsonNode t = spec.path("target");
        if (t.isMissingNode()) error(d, "/spec", "target missing");
        else if (!t.isNumber()) error(d, "/spec/target", "target must be a number between 0 and 1 exclusive, e.g. 0.999");
        else if (t.decimalValue().signum() <= 0 || t.decimalValue().compareTo(BigDecimal.ONE) >= 0) {
            error(d, "/spec/target", "target must be between 0 and 1 exclusive (got " + t.decimalValue().toPlainString()
                    + (t.decimalValue().compareTo(BigDecimal.ONE) > 0 ? ": a percentage? write it as a fraction, e.g. 0.999" : "") + ")");
        } else target = t.decimalValue();
        int days = window(d, "/spec/window", spec.path("window"), null);
        String team = d.root().path("metadata").path("labels").path("team").asText("mes");
        JsonNode title = spec.path("title");
        JsonNode indicators = spec.path("indicators");
        if (!indicators.isArray() || indicators.isEmpty()) {
            error(d, "/spec", "indicators missing: one entry with name and ratio.events (total + success) or latency");
            return;
        }
        for (int i = 0; i < indicators.size(); i++) {
            String p = "/spec/indicators/" + i;
            JsonNode ind = indicators.get(i);
            String name = name(d, p + "/name", ind.path("name"));
            Slo.Sli sli;
            if (ind.has("latency")) sli = latency(d, p + "/latency", ind.path("latency"));
            else if (ind.has("ratio")) sli = ratio(d, p + "/ratio/events", ind.path("ratio").path("events"));
            else {
                error(d, p, "indicator needs ratio.events (total + success) or latency");
                sli = null;
            }
            if (name == null || sli == null || target == null || days < 0) continue;
            String en = title.path("en").asText(name), zh = title.path("zh_CN").asText(en);
            add(new Slo(name, en, zh, spec.path("description").asText(""), target, days, sli, Slo.Alerting.defaults(team),
                    new Slo.Location(d.file(), d.line(p))));
        }
    }

    private Slo.Events ratio(LocatedYaml.Doc d, String p, JsonNode events) {
        if (events.isMissingNode()) {
            error(d, p.replace("/events", ""), "ratio.events missing: total and success queries");
            return null;
        }
        String total = query(d, p + "/total", events.path("total"), "total");
        String good = null, bad = null;
        if (events.has("success")) good = query(d, p + "/success", events.path("success"), "success");
        else if (events.has("bad")) bad = query(d, p + "/bad", events.path("bad"), "bad");
        else error(d, p, "missing query: events.success (good events) or events.bad");
        if (total == null || (good == null && bad == null)) return null;
        return new Slo.Events(total, good, bad);
    }

    private String query(LocatedYaml.Doc d, String p, JsonNode n, String what) {
        String source = n.path("source").asText("prometheus");
        if (!"prometheus".equals(source)) {
            error(d, p + "/source", "source '" + source + "' is not supported: only prometheus");
            return null;
        }
        JsonNode q = n.isTextual() ? n : n.path("query");
        return template(d, q.isTextual() ? p + (n.isTextual() ? "" : "/query") : p, q, what);
    }

    /** The query with {@code {{.window}}} where its range goes; the plant's {@code [5m]} ranges become the placeholder. */
    private String template(LocatedYaml.Doc d, String p, JsonNode q, String what) {
        if (!q.isTextual() || q.asText().isBlank()) {
            error(d, p, "missing query: " + what);
            return null;
        }
        String text = q.asText().strip();
        bucketEdges(d, p, text);
        if (WINDOW_VAR.matcher(text).find()) return WINDOW_VAR.matcher(text).replaceAll(Matcher.quoteReplacement(WINDOW));
        Matcher m = RANGE.matcher(text);
        if (!m.find()) {
            error(d, p, "the " + what + " query has no range for the window: write [{{.window}}] (or [5m]) where it goes");
            return null;
        }
        return RANGE.matcher(text).replaceAll(Matcher.quoteReplacement("[" + WINDOW + "]"));
    }

    private Slo.Events latency(LocatedYaml.Doc d, String p, JsonNode l) {
        String hist = l.path("histogram").asText("");
        if (hist.isBlank()) error(d, p, "latency.histogram missing: the histogram's name without _bucket");
        String sel = l.path("selector").asText("");
        List<Double> buckets = new ArrayList<>();
        if (l.path("buckets").isArray()) l.path("buckets").forEach(b -> buckets.add(b.asDouble()));
        else buckets.addAll(Slo.CONTRACT_BUCKETS);
        JsonNode classes = l.path("classes");
        if (!classes.isArray() || classes.isEmpty()) {
            error(d, p, "latency.classes missing: at least one {selector, threshold}");
            return null;
        }
        List<String> good = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            JsonNode c = classes.get(i);
            String cp = p + "/classes/" + i;
            JsonNode th = c.path("threshold");
            if (!th.isNumber() || th.asDouble() <= 0) {
                error(d, cp + "/threshold", "threshold must be a positive number of seconds (e.g. 0.2)");
                continue;
            }
            String le = le(th.decimalValue());
            if (!buckets.contains(th.asDouble())) {
                warn(d, cp + "/threshold", "threshold " + le + " s is not a bucket edge of " + hist + " " + bucketsText(buckets)
                        + ": Prometheus has no le=\"" + le + "\" bucket, so no request counts as fast (the SLI would be wrong, at best approximate)");
            }
            good.add("(sum(rate(" + hist + "_bucket{" + join(sel, c.path("selector").asText(""), "le=\"" + le + "\"") + "}[" + WINDOW + "])) or vector(0))");
        }
        if (hist.isBlank() || good.size() != classes.size()) return null;
        String goodExpr = good.size() == 1 ? good.getFirst() : String.join("\n    + ", good);
        return new Slo.Events("sum(rate(" + hist + "_count" + (sel.isBlank() ? "" : "{" + sel + "}") + "[" + WINDOW + "]))", goodExpr, null);
    }

    private void bucketEdges(LocatedYaml.Doc d, String p, String query) {
        Matcher m = BUCKET_LE.matcher(query);
        while (m.find()) {
            String le = m.group(1);
            if (le.equals("+Inf")) continue;
            try {
                if (!Slo.CONTRACT_BUCKETS.contains(Double.parseDouble(le))) {
                    warn(d, p, "le=\"" + le + "\" is not a bucket edge of the contract's histograms " + bucketsText(Slo.CONTRACT_BUCKETS)
                            + ": no series has it, the SLI would be wrong (at best approximate)");
                }
            } catch (NumberFormatException e) {
                warn(d, p, "le=\"" + le + "\" is not a number");
            }
        }
    }

    private static String bucketsText(List<Double> b) {
        return b.stream().map(x -> le(BigDecimal.valueOf(x))).toList().toString();
    }

    /** A bucket bound as Prometheus writes it in {@code le}: 0.2, 1, 2.5. */
    static String le(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
    }

    private static String join(String... selectors) {
        return String.join(", ", java.util.Arrays.stream(selectors).filter(s -> !s.isBlank()).toList());
    }

    // ----- Sloth -----

    private void readSloth(LocatedYaml.Doc d) {
        JsonNode r = d.root();
        String service = r.path("service").asText("");
        if (service.isBlank()) error(d, "", "service missing (Sloth prometheus/v1)");
        Map<String, String> labels = strings(r.path("labels"));
        JsonNode list = r.path("slos");
        if (!list.isArray() || list.isEmpty()) {
            error(d, "", "slos missing: a Sloth file needs at least one SLO");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String p = "/slos/" + i;
            JsonNode s = list.get(i);
            String name = name(d, p + "/name", s.path("name"));
            BigDecimal target = null;
            JsonNode o = s.path("objective");
            if (!o.isNumber()) error(d, p, "objective missing: a percentage between 0 and 100 exclusive, e.g. 99.9");
            else if (o.decimalValue().signum() <= 0 || o.decimalValue().compareTo(BigDecimal.valueOf(100)) >= 0) {
                error(d, p + "/objective", "objective must be between 0 and 100 exclusive (a percentage; got " + o.decimalValue().toPlainString() + ")");
            } else target = o.decimalValue().movePointLeft(2);
            JsonNode sli = s.path("sli");
            Slo.Sli ind = null;
            if (sli.has("events")) {
                JsonNode ev = sli.path("events");
                String total = template(d, p + "/sli/events/total_query", ev.path("total_query"), "total_query");
                String bad = template(d, p + "/sli/events/error_query", ev.path("error_query"), "error_query");
                if (total != null && bad != null) ind = new Slo.Events(total, null, bad);
            } else if (sli.has("raw")) {
                String q = template(d, p + "/sli/raw/error_ratio_query", sli.path("raw").path("error_ratio_query"), "error_ratio_query");
                if (q != null) ind = new Slo.Raw(q);
            } else if (sli.has("plugin")) {
                error(d, p + "/sli/plugin", "Sloth SLI plugins are not supported: write the plugin's queries as sli.events");
            } else error(d, p, "sli missing: sli.events (error_query + total_query) or sli.raw");
            JsonNode a = s.path("alerting");
            Map<String, String> alertLabels = new TreeMap<>(labels);
            alertLabels.putAll(strings(s.path("labels")));
            alertLabels.putAll(strings(a.path("labels")));
            Slo.Alerting alerting = new Slo.Alerting(!a.path("page_alert").path("disable").asBoolean(false),
                    !a.path("ticket_alert").path("disable").asBoolean(false), alertLabels,
                    strings(a.path("page_alert").path("labels")), strings(a.path("ticket_alert").path("labels")),
                    a.path("annotations").path("summary").asText(null));
            if (name == null || target == null || ind == null || service.isBlank()) continue;
            // Sloth's SLO id: service-name
            String id = service + "-" + name;
            add(new Slo(id, id, id, s.path("description").asText(""), target, 30, ind, alerting, new Slo.Location(d.file(), d.line(p))));
        }
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        return new TreeMap<>(m);
    }

    // ----- shared -----

    private int window(LocatedYaml.Doc d, String p, JsonNode w, Integer def) {
        if (w.isMissingNode()) {
            if (def != null) return def;
            error(d, p.substring(0, p.lastIndexOf('/')), "window missing: e.g. 30d");
            return -1;
        }
        Matcher m = DAYS.matcher(w.asText());
        if (!m.matches() || Integer.parseInt(m.group(1)) < MIN_DAYS || Integer.parseInt(m.group(1)) > MAX_DAYS) {
            error(d, p, "unknown window '" + w.asText() + "': whole days from " + MIN_DAYS + "d to " + MAX_DAYS
                    + "d (e.g. 28d, 30d); the alerts read 1 h to 3 d windows of it");
            return -1;
        }
        return Integer.parseInt(m.group(1));
    }

    private String name(LocatedYaml.Doc d, String p, JsonNode n) {
        if (!n.isTextual() || !NAME.matcher(n.asText()).matches()) {
            error(d, p, n.isMissingNode() ? "name missing" : "name '" + n.asText() + "' must be lower case letters, digits, - and _");
            return null;
        }
        return n.asText();
    }

    private void add(Slo s) {
        Slo.Location first = names.putIfAbsent(s.name(), s.at());
        if (first != null) {
            diagnostics.add(Diagnostic.error(s.at().file(), s.at().line(), "duplicate SLO name '" + s.name() + "' (first defined at " + first + ")"));
            return;
        }
        slos.add(s);
    }

    private void error(LocatedYaml.Doc d, String path, String msg) { diagnostics.add(Diagnostic.error(d.file(), d.line(path), msg)); }

    private void warn(LocatedYaml.Doc d, String path, String msg) { diagnostics.add(Diagnostic.warning(d.file(), d.line(path), msg)); }
}
