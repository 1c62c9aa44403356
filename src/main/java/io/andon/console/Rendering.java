package io.andon.console;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Picks JavaFX's renderer before the toolkit starts. On a Linux PC with no GPU device, Prism's es2 pipeline can only
 * run on Mesa's software GL, or (as under Xvfb) fails and falls back to Prism's own software renderer anyway; trying
 * it, and GTK's GLX probe when it opens the display, map Mesa's libLLVM: 43 MiB resident, plus its relocations. So
 * without a GPU device the console asks for Prism's software pipeline directly and tells GTK not to touch GL
 * (346 → 288 MiB resident for the wall under Xvfb, docs/benchmarks-manual.md). A wall with a GPU keeps es2; a
 * {@code -Dprism.order} or {@code GDK_GL} given by the user is left as it is.
 */
final class Rendering {
    private Rendering() {}

    /** What to set: a Prism pipeline order and a GDK_GL value, each null for "leave it". */
    record Choice(String prismOrder, String gdkGl) {
        static final Choice NONE = new Choice(null, null);
    }

    static Choice choose(boolean linux, boolean gpu, String prismOrder, Map<String, String> env) {
        if (!linux || gpu || prismOrder != null) return Choice.NONE;
        return new Choice("sw", env.containsKey("GDK_GL") ? null : "disable");
    }

    /** A device a GL driver renders with: DRM nodes (Intel, AMD, nouveau, nvidia-drm) or NVIDIA's own. */
    static boolean gpuPresent(Path dev) {
        try (var nodes = Files.list(dev.resolve("dri"))) {
            if (nodes.anyMatch(p -> p.getFileName().toString().matches("renderD\\d+|card\\d+"))) return true;
        } catch (java.io.IOException | SecurityException e) {
            // no /dev/dri: look for NVIDIA's device below
        }
        return Files.exists(dev.resolve("nvidia0"));
    }

    /** Applies {@link #choose} to this process. If libc refuses the variable, the software pipeline still applies. */
    static void apply() {
        Choice c = choose(System.getProperty("os.name", "").startsWith("Linux"), gpuPresent(Path.of("/dev")),
                System.getProperty("prism.order"), System.getenv());
        if (c.prismOrder() != null) System.setProperty("prism.order", c.prismOrder());
        if (c.gdkGl() != null) setenv("GDK_GL", c.gdkGl());
    }

    /**
     * GTK reads GDK_GL from the process environment when Glass opens the display, later than this runs; Java has no
     * setenv of its own, so libc's is called. Refused or failed: GTK probes GL as before, nothing else changes.
     */
    private static void setenv(String name, String value) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            try (Arena arena = Arena.ofConfined()) {
                int ignored = (int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 0);
            }
        } catch (Throwable e) {
            // as refused
        }
    }
}
