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
                List<String> args = new ArrayList<>(List.of("--seed", "--load"));
                cli.scenario().ifPresent(s -> args.addAll(List.of("--scenario", s)));
                mesAdmin = Optional.of(stack.mes(args.toArray(String[]::new)).baseUri());
                lines.add("  Simulated MES  " + mesAdmin.get() + "  (scenario: POST /admin/scenario)");
            }
            var es = stack.elasticsearch();
            lines.add("  Elasticsearch  " + es.baseUri());
            System.out.println("Andon demo: services listening on 127.0.0.1:\n" + String.join("\n", lines)
                    + "\n  working dir    " + stack.workDir() + "\nClose the console window or press Ctrl-C to stop everything.");
            return new ConsoleContext(prom.baseUri(), List.of(am.baseUri()), Optional.of(es.baseUri()), exporter, mesAdmin,
                    Optional.of(ConsoleContext.defaultDashboardsDir()), Duration.ZERO, List.of(stack));
        } catch (RuntimeException e) {
            stack.close();
            throw e;
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
