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

    public static double median(double[] xs) {
        double[] c = xs.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    /** The largest figure, NaN for none. */
    public static double max(double[] xs) {
        return java.util.Arrays.stream(xs).max().orElse(Double.NaN);
    }

    /**
     * The rows of a P6 cold-start table (ConsoleBench, InstallerIT): per variant its median, every run, the ratio
     * to the baseline variant's median and the verdict against the start-up goal ("incomplete" under 5 runs or in a reduced run).
     */
    public static String coldStartRows(java.util.Map<String, double[]> ms, String baseline, double goalMs) {
        double base = median(ms.get(baseline));
        StringBuilder rows = new StringBuilder();
        for (var e : ms.entrySet()) {
            double m = median(e.getValue());
            StringBuilder runs = new StringBuilder();
            for (double x : e.getValue()) runs.append(runs.isEmpty() ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.0f", x));
            rows.append(String.format(java.util.Locale.ROOT, "| %s | %.0f | %s | %.2f× | %s |%n",
                    e.getKey(), m, runs, m / base, Verdict.below(m, goalMs, Verdict.complete(e.getValue().length, 5))));
        }
        return rows.toString().stripTrailing();
    }
}
