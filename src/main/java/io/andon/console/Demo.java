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
            // Elasticsearch before the MES's load: its start takes the CPU for ~20 s, and requests the MES served then
            // were slow enough to burn the latency SLO of a freshly started demo (its 30-day window held minutes)
            var es = stack.elasticsearch();
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
            lines.add("  Elasticsearch  " + es.baseUri());
            putTemplate(es.baseUri(), stack.serverDir().resolve("elasticsearch/mes-logs-template.json"));
            putTemplate(es.baseUri(), "andon-journal", stack.serverDir().resolve("elasticsearch/andon-journal-template.json"));
            if (mesAdmin.isPresent()) {
                stack.shipper();
                lines.add("  Log shipper    rsyslogd -> " + es.baseUri() + "/mes-logs-*");
            }
            System.out.println("Andon demo: services listening on 127.0.0.1:\n" + String.join("\n", lines)
                    + "\n  working dir    " + stack.workDir() + "\nClose the console window or press Ctrl-C to stop everything.");
            int rate = Integer.parseInt(System.getenv().getOrDefault("ANDON_DEMO_RATE", "150"));
            java.nio.file.Path dashboards = siteDashboards(stack.workDir().resolve("dashboards"), ConsoleContext.defaultDashboardsDir(), rate);
            return new ConsoleContext(prom.baseUri(), List.of(am.baseUri()), Optional.of(es.baseUri()), exporter, mesAdmin,
                    Optional.of(dashboards), Duration.ZERO, List.of(stack))
                    .withTraces(new ConsoleContext.Traces(stack.zipkin().baseUri(), "zipkin"));
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * The demo's site configuration (issue 23): the plant's throughput targets (1000 q/s, 100 writes/s) are site
     * configuration, and the demo's site is this machine under the demo's load. Its System page states the load it
     * is measured against ("demo target 136"), WARN below half of it (the machine is shared, the load open-loop):
     * a demo starts all green, and a scenario stands out. The user's own dashboards are copied in first and win.
     */
    static java.nio.file.Path siteDashboards(java.nio.file.Path dir, java.nio.file.Path userDir, int rate) {
        try {
            java.nio.file.Files.createDirectories(dir);
            if (java.nio.file.Files.isDirectory(userDir)) {
                try (var files = java.nio.file.Files.list(userDir)) {
                    for (var f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                        java.nio.file.Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            var system = dir.resolve("system.yaml");
            if (java.nio.file.Files.exists(system)) return dir;
            String page;
            try (var in = Demo.class.getResourceAsStream("/io/andon/dashboards/system.yaml")) {
                page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            long q = Math.round(rate * 10.0 / 11), w = Math.max(1, Math.round(rate / 11.0)); // the load's mix: 10 queries : 1 write
            String demo = page
                    .replace("title: {en: Queries / s (target 1000), zh_CN: 查询 / 秒（目标 1000）}",
                            "title: {en: Queries / s (demo target " + q + "), zh_CN: 查询 / 秒（演示目标 " + q + "）}")
                    .replace("max: 1500\n    target: 1000\n    thresholds: {direction: below, steps: [{value: 800, state: warn}]}",
                            "max: " + q * 3 / 2 + "\n    target: " + q + "\n    thresholds: {direction: below, steps: [{value: " + q / 2 + ", state: warn}]}")
                    .replace("title: {en: Writes / s (target 100), zh_CN: 写入 / 秒（目标 100）}",
                            "title: {en: Writes / s (demo target " + w + "), zh_CN: 写入 / 秒（演示目标 " + w + "）}")
                    .replace("max: 150\n    target: 100\n    thresholds: {direction: below, steps: [{value: 80, state: warn}]}",
                            "max: " + Math.max(2, w * 3 / 2) + "\n    target: " + w + "\n    thresholds: {direction: below, steps: [{value: " + Math.max(1, w / 2) + ", state: warn}]}");
            if (demo.equals(page) || demo.contains("target: 1000") || demo.contains("target: 100\n")) {
                System.err.println("andon demo: the bundled System page changed shape; its throughput targets stay the plant's");
                return dir;
            }
            java.nio.file.Files.writeString(system, "# Demo site: throughput targets follow the demo's load (ANDON_DEMO_RATE=" + rate + " requests/s), written by the demo\n" + demo);
            return dir;
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("andon demo: could not write the demo's site dashboards (" + e.getMessage() + "); the plant's targets apply");
            return userDir;
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
