package io.andon.stack;

import com.sun.net.httpserver.HttpServer;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tiny child-JVM service for the harness's own tests: serves /health/live on {@code --port} like the
 * exporter and the simulated MES, and keeps a grandchild process ({@code sleep}) so that a kill can be
 * checked to end the whole tree. /child answers the grandchild's pid; /secret whether the DB password
 * arrived in the environment (never its value). {@code --never-ready} answers 503 forever (a hung start).
 */
public final class ProbeMain {
    public static void main(String[] args) throws Exception {
        int port = -1;
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals("--port")) port = Integer.parseInt(args[i + 1]);
        if (port <= 0) throw new IllegalArgumentException("--port missing");
        Process grandchild = new ProcessBuilder("sleep", "600").start();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        boolean neverReady = java.util.Arrays.asList(args).contains("--never-ready");
        server.createContext("/health/live", ex -> answer(ex, neverReady ? 503 : 200, neverReady ? "starting" : "ok"));
        server.createContext("/child", ex -> answer(ex, 200, String.valueOf(grandchild.pid())));
        server.createContext("/secret", ex -> answer(ex, 200, System.getenv("ANDON_DB_PASSWORD") == null ? "absent" : "present"));
        server.start();
        System.out.println("probe listening on 127.0.0.1:" + port);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int code, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }
}
