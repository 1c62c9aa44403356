package io.andon.badinput;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bad HTTP server on 127.0.0.1 (a free port), written on a raw {@link ServerSocket} rather than the JDK's
 * HttpServer because the cases need what a well-behaved server cannot do: reset a connection, stop in the middle
 * of the headers, break chunked framing, declare gzip and send text. Each connection reads one request and hands
 * it to the current {@link Behaviour}; the connection is closed afterwards. {@link #close()} closes every socket,
 * so a trickling behaviour ends with the test.
 */
public final class MockHttp implements AutoCloseable {
    /** One parsed request. */
    public record Request(String method, String target, Map<String, String> headers, byte[] body) {
        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

        public String bodyText() { return new String(body, StandardCharsets.UTF_8); }
    }

    @FunctionalInterface
    public interface Behaviour {
        void serve(Request req, Exchange ex) throws Exception;
    }

    /** The response side of one connection, raw. */
    public final class Exchange {
        private final Socket socket;
        private final OutputStream out;

        Exchange(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** A complete response with Content-Length and {@code Connection: close}. */
        public void respond(int status, String type, byte[] body, String... headers) throws IOException {
            StringBuilder h = new StringBuilder();
            if (type != null) h.append("Content-Type: ").append(type).append("\r\n");
            for (String x : headers) h.append(x).append("\r\n");
            h.append("Content-Length: ").append(body.length).append("\r\n");
            write(statusLine(status) + h + "Connection: close\r\n\r\n");
            write(body);
        }

        public void respond(int status, String type, String body, String... headers) throws IOException {
            respond(status, type, body.getBytes(StandardCharsets.UTF_8), headers);
        }

        /** Status line and headers only (plus {@code Connection: close}); the caller writes the body its own way. */
        public void head(int status, String... headers) throws IOException {
            StringBuilder h = new StringBuilder(statusLine(status));
            for (String x : headers) h.append(x).append("\r\n");
            write(h + "Connection: close\r\n\r\n");
        }

        public void write(String s) throws IOException { write(s.getBytes(StandardCharsets.UTF_8)); }

        public void write(byte[] b) throws IOException {
            out.write(b);
            out.flush();
            bytesSent.addAndGet(b.length);
        }

        /** Closes with RST instead of FIN: what a crashing proxy or a firewall does. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        public void close() throws IOException { socket.close(); }

        /** Sleeps, but ends at once when the mock is closed (the test is over). */
        public void pause(long ms) throws InterruptedException {
            long end = System.nanoTime() + ms * 1_000_000;
            while (!closed && System.nanoTime() < end) Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            if (closed) throw new InterruptedException("mock closed");
        }
    }

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicInteger completed = new AtomicInteger();
    private volatile Behaviour behaviour;
    private volatile boolean closed;

    public MockHttp(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("mock-http-accept").start(this::acceptLoop);
    }

    /** The behaviour for the next requests; the counters start again from zero. */
    public void behaviour(Behaviour b) {
        this.behaviour = b;
        requests.set(0);
        bytesSent.set(0);
        completed.set(0);
    }

    public int port() { return server.getLocalPort(); }

    public String url() { return "http://127.0.0.1:" + port(); }

    /** Requests read so far (retries count). */
    public int requests() { return requests.get(); }

    /** Bytes this server managed to write: a client that stops reading at its cap keeps this far below 50 MB. */
    public long bytesSent() { return bytesSent.get(); }

    /** Behaviours that ran to their end without the client going away. */
    public int completed() { return completed.get(); }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread.ofVirtual().name("mock-http-conn").start(() -> handle(s));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void handle(Socket s) {
        try (s) {
            Request req = read(s.getInputStream());
            requests.incrementAndGet();
            behaviour.serve(req, new Exchange(s));
            completed.incrementAndGet();
        } catch (Exception e) {
            // the client went away, a reset, the mock closed: all part of the cases
        } finally {
            open.remove(s);
        }
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) { // up to the blank line after the headers
            int c = in.read();
            if (c < 0) throw new EOFException("no request");
            head.write(c);
            last4 = (last4 << 8) | c;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = new byte[0];
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    line(in);
                    break;
                }
                b.write(in.readNBytes(size));
                line(in);
            }
            body = b.toByteArray();
        }
        return new Request(first[0], first.length > 1 ? first[1] : "/", headers, body);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new EOFException();
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    static String statusLine(int status) {
        String reason = switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 307 -> "Temporary Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
        return "HTTP/1.1 " + status + " " + reason + "\r\n";
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

}
