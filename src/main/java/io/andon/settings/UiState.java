package io.andon.settings;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * What the console remembers between runs: window bounds, page, theme, language. Plain properties in the
 * OS's per-user config directory; never secrets (those belong in the keyring, not here).
 */
public final class UiState {
    private final Path file;
    private final Properties p = new Properties();

    public UiState(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("andon: ignoring unreadable " + file + ": " + e.getMessage());
            }
        }
    }

    /** ~/.config/andon (XDG), %APPDATA%\Andon, ~/Library/Application Support/Andon. */
    public static Path configDir() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String home = System.getProperty("user.home");
        if (os.contains("win")) return Path.of(System.getenv().getOrDefault("APPDATA", home), "Andon");
        if (os.contains("mac")) return Path.of(home, "Library", "Application Support", "Andon");
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return Path.of(xdg != null && !xdg.isBlank() ? xdg : home + "/.config", "andon");
    }

    public static UiState load() {
        return new UiState(configDir().resolve("ui.properties"));
    }

    public Optional<String> get(String key) { return Optional.ofNullable(p.getProperty(key)).filter(s -> !s.isBlank()); }

    public Optional<Double> number(String key) {
        try {
            return get(key).map(Double::parseDouble);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void set(String key, Object value) { p.setProperty(key, String.valueOf(value)); }

    /** Written atomically (temp file + move) so a crash never leaves half a file. */
    public void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "Andon console state");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("andon: could not save " + file + ": " + e.getMessage());
        }
    }
}
