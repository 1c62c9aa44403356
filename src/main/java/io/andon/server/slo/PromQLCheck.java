package io.andon.server.slo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every SLI query of the spec through {@code promtool check rules}, one rule group per query so that promtool's
 * answer ({@code group "q3", rule 1: could not parse expression: …}) maps back to the spec's file and line.
 * promtool is Prometheus's own parser: what it rejects, Prometheus would refuse to load.
 */
public final class PromQLCheck {
    private static final Pattern GROUP = Pattern.compile("group \"q(\\d+)\", rule \\d+, \"[^\"]*\": (.*)");

    private PromQLCheck() {}

    /** Errors for the queries promtool rejects; empty when all pass. Throws when promtool cannot run. */
    public static List<Diagnostic> check(List<Slo> slos, String promtool) throws IOException, InterruptedException {
        List<Slo> owners = new ArrayList<>();
        StringBuilder y = new StringBuilder("groups:\n");
        for (Slo s : slos) {
            List<String> queries = switch (s.sli()) {
                case Slo.Events e -> e.good() != null ? List.of(e.total(), e.good()) : List.of(e.total(), e.bad());
                case Slo.Raw r -> List.of(r.errorRatio());
            };
            for (String q : queries) {
                y.append("  - name: q").append(owners.size()).append("\n    rules:\n      - record: slo:check\n        expr: |\n");
                Generator.at(q, "5m").lines().forEach(l -> y.append("          ").append(l).append('\n'));
                owners.add(s);
            }
        }
        Path f = Files.createTempFile("andon-slo-check", ".yml");
        try {
            Files.writeString(f, y);
            Process p = new ProcessBuilder(promtool, "check", "rules", f.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(promtool + " check rules did not finish in 60 s");
            }
            List<Diagnostic> errors = new ArrayList<>();
            for (String line : out.lines().toList()) {
                Matcher m = GROUP.matcher(line);
                if (!m.find()) continue;
                Slo s = owners.get(Integer.parseInt(m.group(1)));
                errors.add(Diagnostic.error(s.at().file(), s.at().line(), "PromQL of SLO '" + s.name() + "' rejected by promtool: " + m.group(2).strip()));
            }
            if (p.exitValue() != 0 && errors.isEmpty()) throw new IOException(promtool + " check rules failed:\n" + out);
            return errors;
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
