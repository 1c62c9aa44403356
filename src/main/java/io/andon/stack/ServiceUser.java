package io.andon.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL and Elasticsearch refuse to run as root. When the harness runs as root (CI), those two run
 * as the unprivileged system user {@code andon}, created on demand.
 */
final class ServiceUser {
    static final String NAME = "andon";

    private ServiceUser() {}

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Prefix for a command that must not run as root. */
    static List<String> wrap(List<String> cmd) {
        if (!isRoot()) return cmd;
        ensureExists();
        List<String> out = new ArrayList<>(List.of("setpriv", "--reuid=" + NAME, "--regid=" + NAME, "--init-groups", "--"));
        out.addAll(cmd);
        return out;
    }

    static synchronized void ensureExists() {
        if (exec(List.of("id", "-u", NAME)) == 0) return;
        int rc = exec(List.of("useradd", "--system", "--create-home", "--shell", "/usr/sbin/nologin", NAME));
        if (rc != 0) throw new IllegalStateException("could not create the unprivileged user '" + NAME + "' (useradd exit " + rc + ")");
    }

    /** Hands a directory to the service user (no-op when not root). */
    static void own(Path dir) {
        if (!isRoot()) return;
        ensureExists();
        int rc = exec(List.of("chown", "-R", NAME + ":" + NAME, dir.toString()));
        if (rc != 0) throw new IllegalStateException("chown of " + dir + " failed");
    }

    /** True when the service user can create files in the directory (checks every parent's permissions). */
    static boolean canWrite(Path dir) {
        if (!isRoot()) return true;
        ensureExists();
        return exec(List.of("setpriv", "--reuid=" + NAME, "--regid=" + NAME, "--init-groups", "--", "test", "-w", dir.toString())) == 0;
    }

    static boolean canRead(Path path) {
        if (!isRoot()) return Files.isReadable(path);
        ensureExists();
        return exec(List.of("setpriv", "--reuid=" + NAME, "--regid=" + NAME, "--init-groups", "--", "test", "-r", path.toString())) == 0;
    }

    static int exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
