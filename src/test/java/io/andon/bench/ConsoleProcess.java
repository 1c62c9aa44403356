package io.andon.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;

/**
 * The console as its own process, started like the installed launcher does (java + class path of jars +
 * io.andon.console.Main), for the RSS and cold-start benches. The app's classes go into one jar because
 * AppCDS ignores class-path directories; the config dir is a private one so nothing of the user's is read.
 */
final class ConsoleProcess {
    private ConsoleProcess() {}

    static final List<String> LAUNCHER_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "-Dfile.encoding=UTF-8");
    private static String classPath;

    static synchronized String classPath(Path work) throws IOException {
        if (classPath != null) return classPath;
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.contains("surefirebooter") && e.endsWith(".jar")) {
                // surefire's manifest-only jar: the real class path is in its manifest
                try (JarFile jf = new JarFile(p.toFile())) {
                    String cp = jf.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String u : cp.trim().split("\\s+")) entries.add(Path.of(java.net.URI.create(u)).toString());
                }
            } else {
                entries.add(p.toString());
            }
        }
        List<String> out = new ArrayList<>();
        for (String e : entries) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                if (p.getFileName().toString().equals("test-classes")) continue;
                Path jar = work.resolve("andon-console.jar");
                Files.createDirectories(work);
                Files.deleteIfExists(jar);
                int rc = ToolProvider.findFirst("jar").orElseThrow().run(System.out, System.err, "--create", "--file", jar.toString(), "-C", p.toString(), ".");
                if (rc != 0) throw new IOException("jar of " + p + " failed: " + rc);
                out.add(jar.toString());
            } else if (!e.contains("surefire") && !e.contains("junit") && !e.contains("testfx") && !e.contains("assertj")) {
                out.add(e);
            }
        }
        classPath = String.join(java.io.File.pathSeparator, out);
        return classPath;
    }

    /** Starts the console; {@code firstLine} completes with the nanoTime of the first output line containing {@code marker}. */
    static Process start(Path work, List<String> jvmFlags, List<String> args, String marker, CompletableFuture<Long> firstLine) throws IOException {
        Path home = Files.createDirectories(work.resolve("home"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(LAUNCHER_FLAGS);
        cmd.addAll(jvmFlags);
        cmd.add("-Duser.home=" + home);
        cmd.addAll(List.of("-cp", classPath(work), "io.andon.console.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        Process p = pb.start();
        Path log = work.resolve("console-" + p.pid() + ".log");
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var w = Files.newBufferedWriter(log)) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (marker != null && line.contains(marker)) firstLine.complete(System.nanoTime());
                    w.write(line);
                    w.newLine();
                    w.flush(); // the soak reads this file while the console runs
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                firstLine.complete(-1L);
            }
        });
        return p;
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Resident set in KiB (VmRSS), 0 when the process is gone. */
    static long rssKib(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", ""));
            }
        } catch (IOException gone) {
            // fall through
        }
        return 0;
    }

    /** User + system CPU time in clock ticks (1/100 s on Linux). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
