package io.andon.stack;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The stack without the console: {@code --demo} starts PostgreSQL, Prometheus, Alertmanager and
 * Elasticsearch (and the exporter, simulated MES and log shipper when they are on the class path), prints
 * where each listens and runs until Ctrl-C. {@code --only a,b} starts a subset; {@code --check} starts,
 * prints and stops (a smoke test of the machine).
 */
public final class StackMain {
    static final String EXPORTER_MAIN = "io.andon.server.exporter.ExporterMain";
    static final String MES_MAIN = "io.andon.server.mes.MesMain";
    static final List<String> ALL = List.of("postgres", "prometheus", "alertmanager", "elasticsearch", "exporter", "mes", "shipper", "zipkin", "mes-erp");

    private StackMain() {}

    public static void main(String[] args) throws Exception {
        int rc = run(args, System.out, System.err, true);
        if (rc != 0) System.exit(rc);
    }

    /** Starts what the arguments ask for; {@code wait} = run until the JVM is interrupted (Ctrl-C). */
    static int run(String[] args, PrintStream out, PrintStream err, boolean wait) throws InterruptedException {
        boolean demo = false, check = false;
        Set<String> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--demo" -> demo = true;
                case "--check" -> check = true;
                case "--only" -> {
                    if (i + 1 >= args.length) return usage(err, "--only needs a comma-separated list of services");
                    only = new LinkedHashSet<>();
                    for (String s : args[++i].split(",")) {
                        String n = s.trim().toLowerCase(Locale.ROOT);
                        if (!ALL.contains(n)) return usage(err, "unknown service '" + s.trim() + "'");
                        only.add(n);
                    }
                }
                case "-h", "--help" -> {
                    usage(out, null);
                    return 0;
                }
                default -> {
                    return usage(err, "unknown argument '" + args[i] + "'");
                }
            }
        }
        if (!demo && only == null) return usage(err, "nothing to start: give --demo or --only");
        Set<String> wanted = only != null ? only : new LinkedHashSet<>(ALL);
        Stack stack = new Stack(demo ? StackOptions.forDemo() : StackOptions.forTests());
        try {
            List<String> lines = start(stack, wanted, only != null, err);
            out.println("Andon stack: services listening on 127.0.0.1:");
            lines.forEach(l -> out.println("  " + l));
            out.println("  working dir    " + stack.workDir());
            out.println("  start times    " + stack.startTimes() + " ms");
            if (check || !wait) return 0;
            out.println("Press Ctrl-C to stop everything.");
            out.flush();
            // the stack's shutdown hook stops every service on Ctrl-C
            Thread.currentThread().join();
            return 0;
        } catch (StackException e) {
            err.println("andon stack: " + e.getMessage());
            return 1;
        } finally {
            if (check || !wait) stack.close();
        }
    }

    private static List<String> start(Stack stack, Set<String> wanted, boolean explicit, PrintStream err) {
        List<String> lines = new ArrayList<>();
        if (wanted.contains("postgres")) lines.add("PostgreSQL     " + stack.postgres().jdbcUrl() + "  (superuser " + stack.postgres().superUser() + ")");
        if (wanted.contains("alertmanager")) lines.add("Alertmanager   " + stack.alertmanager().baseUri() + "  -> webhook " + stack.webhookSink().url());
        if (wanted.contains("prometheus")) lines.add("Prometheus     " + stack.prometheus().baseUri());
        if (wanted.contains("exporter")) {
            if (present(EXPORTER_MAIN)) {
                lines.add("Exporter       " + stack.exporter("--db-interval", "5s", "--business-interval", "15s").baseUri() + "/metrics");
            } else {
                err.println("andon stack: " + EXPORTER_MAIN + " is not on the class path; no exporter");
            }
        }
        // Zipkin and the ERP service before the MES: it exports its spans to the one and calls the other
        if (wanted.contains("zipkin")) lines.add("Zipkin         " + stack.zipkin().baseUri() + "/zipkin/");
        if (wanted.contains("mes-erp")) lines.add("ERP service    " + stack.external().baseUri() + "  (traced as mes-erp)");
        boolean mes = false;
        if (wanted.contains("mes")) {
            if (present(MES_MAIN)) {
                String rate = System.getenv().getOrDefault("ANDON_DEMO_RATE", "150");
                lines.add("Simulated MES  " + stack.mes("--seed", "--load", "--load-rate", rate).baseUri());
                mes = true;
            } else {
                err.println("andon stack: " + MES_MAIN + " is not on the class path; no simulated MES");
            }
        }
        if (wanted.contains("elasticsearch") || wanted.contains("shipper")) {
            Elasticsearch es = stack.elasticsearch();
            lines.add("Elasticsearch  " + es.baseUri());
            installTemplate(es, stack.serverDir().resolve("elasticsearch/mes-logs-template.json"), err);
            installTemplate(es, "andon-journal", stack.serverDir().resolve("elasticsearch/andon-journal-template.json"), err);
        }
        if (wanted.contains("shipper")) {
            if (!Files.isRegularFile(stack.serverDir().resolve("rsyslog/andon-shipper.conf"))) {
                err.println("andon stack: no src/server/rsyslog/andon-shipper.conf; no log shipper");
            } else if (mes || explicit) { // the demo ships only what the simulated MES writes
                stack.shipper();
                lines.add("Log shipper    rsyslogd -> " + stack.elasticsearch().baseUri());
            }
        }
        return lines;
    }

    /** The shipper writes into mes-logs-*: the project's index template must be there first, as at a site. */
    private static void installTemplate(Elasticsearch es, Path template, PrintStream err) {
        installTemplate(es, "mes-logs", template, err);
    }

    private static void installTemplate(Elasticsearch es, String name, Path template, PrintStream err) {
        if (!Files.isRegularFile(template)) return;
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(es.baseUri() + "/_index_template/" + name))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofFile(template)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) err.println("andon stack: index template rejected (" + r.statusCode() + "): " + r.body());
        } catch (Exception e) {
            err.println("andon stack: could not install the index template: " + e.getMessage());
        }
    }

    static boolean present(String cls) {
        try {
            Class.forName(cls, false, StackMain.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static int usage(PrintStream to, String problem) {
        if (problem != null) to.println("andon stack: " + problem);
        to.println("usage: StackMain --demo | --only " + String.join(",", ALL) + " [--check]");
        to.println("  --demo   every service, 5 s scrape interval, until Ctrl-C");
        to.println("  --only   just these services (1 s scrape interval)");
        to.println("  --check  start, print where each listens, stop");
        return problem == null ? 0 : 2;
    }
}
