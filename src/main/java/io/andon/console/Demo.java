package io.andon.console;

import io.andon.stack.Stack;
import io.andon.stack.StackOptions;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * --demo: starts the real stack (PostgreSQL, Prometheus, Alertmanager, Elasticsearch, and the exporter and
 * simulated MES when they are built) on free loopback ports and hands the console a context pointing at
 * it. Closing the console (or Ctrl-C, via the stack's shutdown hook) stops everything.
 */
final class Demo {
    private Demo() {}

    static ConsoleContext start(Cli cli) {
        Stack stack = new Stack(StackOptions.forDemo());
        try {
            System.out.println("Andon demo: starting services (Elasticsearch takes ~20 s) ...");
            var pg = stack.postgres();
            var am = stack.alertmanager();
            var prom = stack.prometheus();
            List<String> lines = new ArrayList<>();
            lines.add("  PostgreSQL     " + pg.jdbcUrl());
            lines.add("  Prometheus     " + prom.baseUri());
            lines.add("  Alertmanager   " + am.baseUri());
            Optional<URI> exporter = Optional.empty(), mesAdmin = Optional.empty();
            if (present("io.andon.server.exporter.ExporterMain")) {
                exporter = Optional.of(stack.exporter("--db-interval", "5s", "--business-interval", "15s").baseUri());
                lines.add("  Exporter       " + exporter.get() + "/metrics");
            }
            if (present("io.andon.server.mes.MesMain")) {
                // Zipkin and the ERP service first: the MES exports its spans to the one and calls the other
                var zipkin = stack.zipkin();
                lines.add("  Zipkin         " + zipkin.baseUri() + "/zipkin/");
                if (present("io.andon.server.erp.ErpMain")) lines.add("  ERP service    " + stack.external().baseUri());
                String rate = System.getenv().getOrDefault("ANDON_DEMO_RATE", "150");
                List<String> args = new ArrayList<>(List.of("--seed", "--load", "--load-rate", rate));
                cli.scenario().ifPresent(s -> args.addAll(List.of("--scenario", s)));
                mesAdmin = Optional.of(stack.mes(args.toArray(String[]::new)).baseUri());
                lines.add("  Simulated MES  " + mesAdmin.get() + "  (scenario: POST /admin/scenario)");
            }
            var es = stack.elasticsearch();
            lines.add("  Elasticsearch  " + es.baseUri());
            putTemplate(es.baseUri(), stack.serverDir().resolve("elasticsearch/mes-logs-template.json"));
            putTemplate(es.baseUri(), "andon-journal", stack.serverDir().resolve("elasticsearch/andon-journal-template.json"));
            if (mesAdmin.isPresent()) {
                stack.shipper();
                lines.add("  Log shipper    rsyslogd -> " + es.baseUri() + "/mes-logs-*");
            }
            System.out.println("Andon demo: services listening on 127.0.0.1:\n" + String.join("\n", lines)
                    + "\n  working dir    " + stack.workDir() + "\nClose the console window or press Ctrl-C to stop everything.");
            return new ConsoleContext(prom.baseUri(), List.of(am.baseUri()), Optional.of(es.baseUri()), exporter, mesAdmin,
                    Optional.of(ConsoleContext.defaultDashboardsDir()), Duration.ZERO, List.of(stack))
                    .withTraces(new ConsoleContext.Traces(stack.zipkin().baseUri(), "zipkin"));
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private static void putTemplate(URI es, java.nio.file.Path template) {
        putTemplate(es, "mes-logs", template);
    }

    private static void putTemplate(URI es, String name, java.nio.file.Path template) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(es + "/_index_template/" + name))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofFile(template)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) System.err.println("andon demo: index template rejected: " + r.body());
        } catch (Exception e) {
            System.err.println("andon demo: could not install the index template: " + e.getMessage());
        }
    }

    private static boolean present(String cls) {
        try {
            Class.forName(cls, false, Demo.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
