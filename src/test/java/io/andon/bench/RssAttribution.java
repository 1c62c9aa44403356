package io.andon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a console process's resident memory goes (issue 21, P5): the VM's own account (NMT summary, when the process
 * runs with -XX:NativeMemoryTracking=summary), the mappings of /proc/PID/smaps summed per file (anonymous memory,
 * Mesa, fonts, the AOT cache, the modules image...), and the threads by name. Written next to the bench's sections
 * (target/benchmarks/wall-diag/) so a figure in the table can be explained.
 */
final class RssAttribution {
    private RssAttribution() {}

    record Mapping(String name, long rssKib, long sharedKib, long privateDirtyKib, int count) {}

    static void write(long pid, String runName) throws Exception {
        StringBuilder out = new StringBuilder("# " + runName + " (pid " + pid + ")\n\n");
        out.append(Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup"))).append('\n');
        out.append("## threads by name\n");
        threads(pid).forEach((n, c) -> out.append(String.format(Locale.ROOT, "%4d  %s%n", c, n)));
        out.append("\n## mappings by file (KiB): rss, of it shared-clean+shared-dirty, private dirty, mappings\n");
        List<Mapping> maps = mappings(pid);
        long total = maps.stream().mapToLong(Mapping::rssKib).sum();
        for (Mapping m : maps.stream().sorted(Comparator.comparingLong(Mapping::rssKib).reversed()).limit(40).toList()) {
            out.append(String.format(Locale.ROOT, "%8d %8d %8d %4d  %s%n", m.rssKib(), m.sharedKib(), m.privateDirtyKib(), m.count(), m.name()));
        }
        out.append(String.format(Locale.ROOT, "%8d total%n", total));
        out.append("\n## anonymous mappings by size (64 MiB-reserved glibc arenas show as pairs summing to 65536 KiB)\n");
        out.append(anonymousBySize(pid)).append('\n');
        out.append("## jcmd VM.native_memory summary\n").append(Jvm.jcmd(pid, "VM.native_memory", "summary"));
        out.append("\n## jcmd GC.heap_info\n").append(Jvm.jcmd(pid, "GC.heap_info"));
        out.append("\n## loaded classes by package (first three names; jcmd VM.classes)\n").append(classesByPackage(pid));
        // last, as they change the process: how much of the resident memory is glibc malloc's free memory kept in its arenas
        long before = rssKib(pid);
        out.append("\n## jcmd System.trim_native_heap (malloc_trim: free memory glibc keeps in its arenas)\n").append(Jvm.jcmd(pid, "System.trim_native_heap"));
        out.append(String.format(Locale.ROOT, "VmRSS before %d KiB, after %d KiB%n", before, rssKib(pid)));
        Jvm.jcmd(pid, "GC.run");
        out.append("\n## jcmd GC.heap_info after a full GC (the live set)\n").append(Jvm.jcmd(pid, "GC.heap_info"));
        out.append("\n## what the live set is (jcmd GC.class_histogram, largest 20)\n")
                .append(Jvm.jcmd(pid, "GC.class_histogram").lines().limit(24).collect(java.util.stream.Collectors.joining("\n"))).append('\n');
        Path dir = Path.of(System.getProperty("andon.project.dir", "."), "target/benchmarks/wall-diag");
        Files.createDirectories(dir);
        Path f = dir.resolve(runName.replaceAll("[^A-Za-z0-9=.-]+", "_").replaceAll("^_|_$", "") + ".txt");
        Files.writeString(f, out.toString());
        System.out.println("RSS attribution: " + f);
    }

    /** Thread names with their trailing numbers cut (pools summed) → count. */
    static Map<String, Integer> threads(long pid) throws IOException {
        Map<String, Integer> byName = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    byName.merge(Files.readString(t.resolve("comm")).trim().replaceAll("[-#]?\\d+$", ""), 1, Integer::sum);
                } catch (IOException gone) {
                    // the thread ended between list and read
                }
            }
        }
        return byName;
    }

    /** /proc/PID/smaps summed per mapped file name ("[anon]" for anonymous memory). */
    static List<Mapping> mappings(long pid) throws IOException {
        Map<String, long[]> sums = new TreeMap<>();
        long[] cur = null;
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
            if (l.matches("[0-9a-f]+-[0-9a-f]+ .*")) { // a mapping's header line; its fields follow
                String[] f = l.trim().split("\\s+", 6);
                String name = f.length == 6 ? f[5] : "[anon]";
                cur = sums.computeIfAbsent(name, k -> new long[4]);
                cur[3]++;
            } else if (cur != null) {
                String[] f = l.split("\\s+");
                switch (f[0]) {
                    case "Rss:" -> cur[0] += Long.parseLong(f[1]);
                    case "Shared_Clean:", "Shared_Dirty:" -> cur[1] += Long.parseLong(f[1]);
                    case "Private_Dirty:" -> cur[2] += Long.parseLong(f[1]);
                    default -> { }
                }
            }
        }
        List<Mapping> out = new ArrayList<>();
        sums.forEach((n, v) -> out.add(new Mapping(n, v[0], v[1], v[2], (int) v[3])));
        return out;
    }

    /** Anonymous mappings with RSS, largest first: the Java heap, the arenas, the thread stacks show by their sizes. */
    private static String anonymousBySize(long pid) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<long[]> anon = new ArrayList<>(); // size, rss
        long[] cur = null;
        boolean isAnon = false;
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
            String[] f = l.trim().split("\\s+", 6);
            if (f[0].matches("[0-9a-f]+-[0-9a-f]+")) {
                isAnon = f.length < 6;
                cur = null;
            } else if (isAnon && f[0].equals("Size:")) {
                cur = new long[]{Long.parseLong(f[1]), 0};
                anon.add(cur);
            } else if (isAnon && cur != null && f[0].equals("Rss:")) {
                cur[1] = Long.parseLong(f[1]);
            }
        }
        anon.sort(Comparator.comparingLong((long[] a) -> a[1]).reversed());
        for (long[] a : anon.stream().limit(25).toList()) sb.append(String.format(Locale.ROOT, "size %8d KiB  rss %8d KiB%n", a[0], a[1]));
        long arenas = anon.stream().filter(a -> a[0] >= 60_000 && a[0] <= 65_536).count();
        sb.append(String.format(Locale.ROOT, "anonymous mappings of 60-64 MiB (glibc malloc arenas, or other reservations): %d%n", arenas));
        return sb.toString();
    }

    private static String classesByPackage(long pid) throws Exception {
        Map<String, Integer> n = new TreeMap<>();
        int total = 0;
        for (String l : Jvm.jcmd(pid, "VM.classes").split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s([a-zA-Z_$][\\w$]*(?:\\.[\\w$]+)+)\\s*$").matcher(l);
            if (!m.find()) continue;
            String[] parts = m.group(1).split("\\.");
            n.merge(String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, parts.length - 1))), 1, Integer::sum);
            total++;
        }
        StringBuilder sb = new StringBuilder();
        n.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(40)
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%6d  %s%n", e.getValue(), e.getKey())));
        return sb.append(String.format(Locale.ROOT, "%6d  total%n", total)).toString();
    }

    static long rssKib(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.substring(6).trim().split("\\s+")[0]);
        }
        return -1;
    }
}
