package io.andon.server;

import java.util.Arrays;

/** Main class of the slim server jar: {@code java -jar andon-server.jar exporter|mes|erp|load|slo [flags]}. */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].startsWith("-")) {
            System.err.println("usage: andon-server exporter|mes|erp|load|slo [flags]   (see docs/server-bundle.md)");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        try {
            switch (argv[0]) {
                case "exporter" -> io.andon.server.exporter.ExporterMain.main(rest);
                case "mes" -> io.andon.server.mes.MesMain.main(rest);
                case "load" -> io.andon.server.mes.load.LoadMain.main(rest);
                case "erp" -> io.andon.server.erp.ErpMain.main(rest);
                case "slo" -> io.andon.server.slo.SloMain.main(rest);
                default -> {
                    System.err.println("andon-server: unknown command '" + argv[0] + "' (exporter, mes, erp, load, slo)");
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            // a wrong flag, a missing password, a non-loopback load target: one line, no stack trace
            System.err.println("andon-server " + argv[0] + ": " + e.getMessage());
            System.exit(2);
        }
    }
}
