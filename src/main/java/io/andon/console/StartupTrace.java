package io.andon.console;

import java.lang.management.ManagementFactory;

/**
 * {@code -Dandon.startupTrace=true}: prints to stderr, at each step of the start (main, toolkit up, window shown,
 * first data, snapshot), the milliseconds since the JVM started and the CPU the process used so far — the
 * breakdown behind P6 (docs/benchmarks.md). Off, it costs one boolean test.
 */
final class StartupTrace {
    private StartupTrace() {}

    private static final boolean ON = Boolean.getBoolean("andon.startupTrace");

    static void mark(String what) {
        if (!ON) return;
        long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1_000_000 : -1;
        System.err.println("[startup] " + sinceStart + " ms " + what + " [" + Thread.currentThread().getName() + "] process cpu " + cpu + " ms");
    }
}
