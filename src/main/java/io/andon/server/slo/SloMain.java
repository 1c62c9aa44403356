package io.andon.server.slo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code andon-server slo generate SPEC… --out DIR [--promtool PATH | --no-promtool]}: reads the specs, checks
 * them (located messages on stderr, exit 1 on an error; warnings do not stop it), writes
 * DIR/rules/slo.yml, DIR/tests/slo.generated.test.yml and DIR/dashboards/slo.yaml.
 */
public final class SloMain {
    private SloMain() {}

    public static void main(String[] argv) throws Exception {
        int rc = run(argv, System.out, System.err);
        if (rc != 0) System.exit(rc);
    }

    static final String USAGE = "usage: andon-server slo generate SPEC.yaml… --out DIR [--promtool PATH | --no-promtool]";

    /** Exit code: 0 done, 1 spec errors, 2 usage. */
    public static int run(String[] argv, java.io.PrintStream out, java.io.PrintStream err) throws IOException, InterruptedException {
        if (argv.length == 0 || !argv[0].equals("generate")) {
            err.println(USAGE);
            return 2;
        }
        List<Path> specs = new ArrayList<>();
        Path dir = null;
        String promtool = "promtool";
        for (int i = 1; i < argv.length; i++) {
            switch (argv[i]) {
                case "--out" -> {
                    if (++i >= argv.length) { err.println("--out needs a directory"); return 2; }
                    dir = Path.of(argv[i]);
                }
                case "--promtool" -> {
                    if (++i >= argv.length) { err.println("--promtool needs a path"); return 2; }
                    promtool = argv[i];
                }
                case "--no-promtool" -> promtool = null;
                default -> {
                    if (argv[i].startsWith("--")) { err.println("unknown flag " + argv[i] + "\n" + USAGE); return 2; }
                    specs.add(Path.of(argv[i]));
                }
            }
        }
        if (specs.isEmpty() || dir == null) {
            err.println(USAGE);
            return 2;
        }
        for (Path s : specs) {
            if (!Files.isRegularFile(s)) { err.println(s + ": no such file"); return 2; }
        }
        SpecReader.Result r;
        try {
            r = SpecReader.read(specs);
        } catch (SloSpecException e) {
            err.println(e.getMessage());
            return 1;
        }
        r.warnings().forEach(err::println);
        if (promtool != null) {
            List<Diagnostic> bad;
            try {
                bad = PromQLCheck.check(r.slos(), promtool);
            } catch (IOException e) {
                err.println("cannot check the PromQL with promtool (" + e.getMessage().lines().findFirst().orElse("") + "): install it or pass --no-promtool");
                return 1;
            }
            if (!bad.isEmpty()) {
                bad.forEach(err::println);
                return 1;
            }
        }
        String sources = specs.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "));
        for (Map.Entry<String, String> f : new Generator(r.slos(), sources).files().entrySet()) {
            Path target = dir.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
            out.println("wrote " + target);
        }
        out.println(r.slos().size() + " SLOs: " + r.slos().stream().map(Slo::name).collect(Collectors.joining(", ")));
        return 0;
    }
}
