package io.andon.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * History for the harness Prometheus: OpenMetrics turned into TSDB blocks by promtool, then moved into the data
 * dir while Prometheus is stopped (it loads them on start). Shared by the benches that need weeks of samples.
 */
final class PromBackfill {
    private PromBackfill() {}

    /** {@code promtool tsdb create-blocks-from openmetrics}; its output in the error when it fails or hangs. */
    static void createBlocks(Path openMetrics, Path blocks) throws Exception {
        Files.createDirectories(blocks);
        Process p = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics", "--quiet", openMetrics.toString(), blocks.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("promtool failed:\n" + out);
    }

    /** Moves every block into {@code dataDir} (Prometheus stopped); returns how many. */
    static int moveBlocks(Path blocks, Path dataDir) throws Exception {
        int n = 0;
        try (var dirs = Files.list(blocks)) {
            for (Path b : dirs.toList()) {
                moveTree(b, dataDir.resolve(b.getFileName()));
                n++;
            }
        }
        return n;
    }

    private static void moveTree(Path from, Path to) throws Exception {
        // the blocks must belong to Prometheus's user like the rest of its data dir
        Files.move(from, to);
        Object owner = Files.getAttribute(to.getParent(), "posix:owner");
        Object group = Files.getAttribute(to.getParent(), "posix:group");
        try (var all = Files.walk(to)) {
            for (Path q : all.toList()) {
                Files.setAttribute(q, "posix:owner", owner);
                Files.setAttribute(q, "posix:group", group);
            }
        }
    }
}
