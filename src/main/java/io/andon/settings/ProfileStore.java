package io.andon.settings;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Profiles in {@code profiles.json} of the config dir; import and export of the same JSON (never with secrets). */
public final class ProfileStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path file;

    public ProfileStore(Path configDir) {
        this.file = configDir.resolve("profiles.json");
    }

    public List<Profile> list() {
        if (!Files.exists(file)) return List.of();
        return read(file);
    }

    public Optional<Profile> get(String name) {
        return list().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public void save(Profile p) {
        List<Profile> all = new ArrayList<>(list());
        all.removeIf(x -> x.name().equals(p.name()));
        all.add(p);
        write(file, all);
    }

    public void exportTo(Path target) { write(target, list()); }

    /** Adds (or replaces by name) the profiles of an exported file; returns how many. */
    public int importFrom(Path source) {
        List<Profile> in = read(source);
        for (Profile p : in) save(p);
        return in.size();
    }

    private static List<Profile> read(Path f) {
        try {
            return JSON.readValue(f.toFile(), new TypeReference<List<Profile>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var l = e.getLocation();
            throw new IllegalArgumentException(f + (l == null ? "" : ":" + l.getLineNr()) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
        }
    }

    private static void write(Path f, List<Profile> all) {
        try {
            Files.createDirectories(f.toAbsolutePath().getParent());
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), all);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
