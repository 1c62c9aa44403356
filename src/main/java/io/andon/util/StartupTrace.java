package io.andon.util;

/** TEMPORARY P6 instrumentation: -Dandon.startupTrace=true prints ms since JVM start at each mark. */
public final class StartupTrace {
    private StartupTrace() {}
    private static final boolean ON = Boolean.getBoolean("andon.startupTrace");
    private static final long START = ON ? java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime() : 0;

    public static void mark(String what) {
        if (!ON) return;
        long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
        long thr = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
        System.err.println("[startup] " + (System.currentTimeMillis() - START) + " ms " + what + " [" + Thread.currentThread().getName() + "] cpu=" + cpu + " thr=" + thr);
    }
}
