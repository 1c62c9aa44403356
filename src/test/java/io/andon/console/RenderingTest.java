package io.andon.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The renderer is chosen before the toolkit starts: Prism's software pipeline and no GTK GL without a GPU. */
class RenderingTest {
    @TempDir
    Path dir;

    @Test
    void withoutAGpuTheSoftwarePipelineAndNoGtkGl() {
        assertThat(Rendering.choose(true, false, null, Map.of())).isEqualTo(new Rendering.Choice("sw", "disable"));
        // what the user set wins
        assertThat(Rendering.choose(true, false, "es2", Map.of())).isEqualTo(Rendering.Choice.NONE);
        assertThat(Rendering.choose(true, false, null, Map.of("GDK_GL", "always"))).isEqualTo(new Rendering.Choice("sw", null));
        // a GPU keeps es2; other systems are left to JavaFX
        assertThat(Rendering.choose(true, true, null, Map.of())).isEqualTo(Rendering.Choice.NONE);
        assertThat(Rendering.choose(false, false, null, Map.of())).isEqualTo(Rendering.Choice.NONE);
    }

    @Test
    void aGpuIsADrmNodeOrNvidiasDevice() throws Exception {
        assertThat(Rendering.gpuPresent(dir)).as("no /dev/dri").isFalse();
        Files.createDirectories(dir.resolve("dri/by-path"));
        assertThat(Rendering.gpuPresent(dir)).as("an empty /dev/dri").isFalse();
        Files.createFile(dir.resolve("dri/renderD128"));
        assertThat(Rendering.gpuPresent(dir)).isTrue();
        Path nv = Files.createDirectories(dir.resolve("nv"));
        Files.createFile(nv.resolve("nvidia0"));
        assertThat(Rendering.gpuPresent(nv)).isTrue();
    }

    /**
     * The console as a process on this display: with no GPU it must never map Mesa's libLLVM (43 MiB resident, the
     * largest library of the wall's RSS) and must render with Prism's software pipeline without trying es2 first.
     */
    @Test
    void theConsoleOnThisDisplayMapsNoSoftwareGl() throws Exception {
        assertThat(System.getenv("DISPLAY")).as("this test needs a display (run under xvfb-run, as andon.sh test does)").isNotBlank();
        boolean gpu = Rendering.gpuPresent(Path.of("/dev"));
        Path png = dir.resolve("wall.png"), out = dir.resolve("out.txt");
        Process p = CliProcessTest.console(List.of("--enable-native-access=ALL-UNNAMED", "-Dprism.verbose=true"),
                        List.of("--wall", "--prometheus", "http://127.0.0.1:9", "--snapshot", png.toString(), "--lang", "en"), dir)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean llvm = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Path maps = Path.of("/proc", Long.toString(p.pid()), "maps");
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                llvm |= Files.readString(maps).contains("libLLVM");
            } catch (java.io.IOException gone) {
                break;
            }
            Thread.sleep(50);
        }
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the console did not exit after its snapshot");
        }
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(png).exists();
        if (gpu) {
            assertThat(log).as("a GPU keeps es2").contains("ES2Pipeline");
        } else {
            assertThat(llvm).as("Mesa's libLLVM mapped by the console; its output:\n" + log).isFalse();
            assertThat(log).contains("Initialized prism pipeline: com.sun.prism.sw.SWPipeline").doesNotContain("ES2 native library");
        }
    }
}
