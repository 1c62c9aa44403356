package io.andon.badinput;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK HTTP server on a free loopback port answering every path with one handler: for the bad-input tests that
 * need well-formed HTTP carrying a bad body (raw-socket misbehaviour is {@link MockHttp}'s job).
 */
public final class JdkMockServer implements AutoCloseable {
    public interface Handler {
        void handle(HttpExchange x) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    public JdkMockServer(Handler h) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            try (x) {
                h.handle(x);
            } catch (IOException e) {
                // the client went away: expected for the timeout cases
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    public int port() { return server.getAddress().getPort(); }

    public String url() { return "http://127.0.0.1:" + port(); }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
