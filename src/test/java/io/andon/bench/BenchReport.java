package io.andon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Writes one benchmark's section of docs/benchmarks.md (target/benchmarks/NAME.md; `andon.sh bench` joins them). */
public final class BenchReport {
    private BenchReport() {}

    public static void write(String name, String markdown) throws IOException {
        Path dir = Path.of(System.getProperty("andon.project.dir", "."), "target/benchmarks");
        Files.createDirectories(dir);
        String header = "<!-- " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version() + ", load average " + loadAverage() + " -->\n";
        Files.writeString(dir.resolve(name + ".md"), header + markdown);
        System.out.println(markdown);
    }

    /** The 1/5/15 min load average when the section was written: these machines are shared, this says how much. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static double median(double[] xs) {
        double[] c = xs.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }
}
