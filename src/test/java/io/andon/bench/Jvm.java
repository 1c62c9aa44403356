package io.andon.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the benches and process tests read from a console JVM from outside: jcmd, and the console's activity lines. */
public final class Jvm {
    private Jvm() {}

    /** jcmd of the JDK running the tests (a full GC first for GC.class_histogram). */
    public static String jcmd(long pid, String... command) throws Exception {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        c.addAll(List.of(command));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }

    /** The counters of one {@code andon-activity k=v ...} line, as the console's watchdog prints it. */
    public static Map<String, Long> activity(String line) {
        Map<String, Long> m = new HashMap<>();
        for (String kv : line.substring("andon-activity ".length()).strip().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq > 0) m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return m;
    }
}
