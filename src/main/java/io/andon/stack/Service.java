package io.andon.stack;

import java.net.URI;
import java.nio.file.Path;

/** A service of the stack: a real process on 127.0.0.1 (or an in-JVM server) that can be stopped and restarted. */
public interface Service {
    String name();

    int port();

    default URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    boolean isRunning();

    /** Starts (again) on the same port with the same data; returns when ready. */
    void start();

    /** Graceful stop. */
    void stop();

    /** SIGKILL of the whole process tree (chaos tests). */
    void kill();

    default void restart() {
        stop();
        start();
    }

    Path logFile();
}
