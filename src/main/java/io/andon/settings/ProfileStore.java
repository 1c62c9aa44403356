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

    /** Saves (replacing by name); a profile this store could not read back is refused before anything is written. */
    public void save(Profile p) {
        if (p.name() == null || p.name().isBlank()) throw new IllegalArgumentException("a profile needs a name");
        check(file, "", p, "prometheus", p.prometheus());
        for (Profile.Source am : p.alertmanagers()) check(file, "", p, "alertmanager", am);
        check(file, "", p, "elasticsearch", p.elasticsearch());
        checkTraces(file, "", p);
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

    /**
     * Reads a profiles file; every problem is an IllegalArgumentException naming the file, the line where the JSON
     * says it, and the problem in words (not Jackson's type names).
     */
    private static List<Profile> read(Path f) {
        String text;
        try {
            text = Files.readString(f);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(f + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1); // a byte order mark from a Windows editor
        if (text.isBlank()) throw new IllegalArgumentException(f + ": the file is empty (expected a JSON list of profiles)");
        List<Profile> all;
        try {
            all = JSON.readValue(text, new TypeReference<List<Profile>>() {});
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(at(f, e) + "unknown field '" + e.getPropertyName() + "'" + where(e).replaceFirst(", field '[^']*'$", "").replaceFirst("^ at '[^']*'$", ""));
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw new IllegalArgumentException(at(f, e) + (e.getPath().isEmpty() ? "expected a JSON list of profiles" : "wrong type" + where(e))
                    + " (" + found(e) + ")");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String problem = io.andon.net.JsonProblem.truncated(e) ? "the JSON ends too early (cut off?)"
                    : "not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("").replaceAll(" \\(code \\d+\\)", "");
            throw new IllegalArgumentException(at(f, e) + problem);
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            Profile p = all.get(i);
            if (p == null) throw new IllegalArgumentException(f + ": profile " + (i + 1) + " is null");
            if (p.name() == null || p.name().isBlank()) throw new IllegalArgumentException(f + ": profile " + (i + 1) + " has no name");
            if (!names.add(p.name())) throw new IllegalArgumentException(f + lineOf(text, p.name(), true) + ": profile '" + p.name() + "' is there twice");
            check(f, text, p, "prometheus", p.prometheus());
            for (Profile.Source am : p.alertmanagers()) check(f, text, p, "alertmanager", am);
            check(f, text, p, "elasticsearch", p.elasticsearch());
            checkTraces(f, text, p);
        }
        return all;
    }

    /** A source's URL must be one the console can use: said now, with the file and line, rather than at connect time. */
    private static void check(Path f, String text, Profile p, String what, Profile.Source s) {
        if (s == null || !s.hasUrl()) return;
        if (what.equals("elasticsearch") && s.url().contains(",")) {
            // several nodes of one cluster: each one must be a URL of its own
            for (String node : s.url().split(",")) {
                if (node.isBlank()) throw new IllegalArgumentException(f + lineOf(text, s.url(), false) + ": profile '" + p.name() + "': elasticsearch URL list has an empty entry");
                check(f, text, p, what, new Profile.Source(node, s.user(), s.caFile()));
            }
            return;
        }
        String url = s.url().strip();
        String problem;
        try {
            java.net.URI u = new java.net.URI(url);
            problem = !"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) ? "must start with http:// or https://"
                    : u.getHost() == null ? "has no host"
                    : u.getUserInfo() != null ? "must not carry credentials (set the user in the profile, the password in the keyring)"
                    : null;
        } catch (java.net.URISyntaxException e) {
            problem = "is not a URL (" + e.getReason() + ")";
        }
        if (problem != null) {
            // never echo a URL that carries a password
            String shown = url.contains("@") ? "(hidden: it carries credentials)" : "'" + url + "'";
            throw new IllegalArgumentException(f + lineOf(text, url, false) + ": profile '" + p.name() + "': " + what + " URL " + shown + " " + problem);
        }
    }

    /** The trace source: a kind this console reads and a usable URL. */
    private static void checkTraces(Path f, String text, Profile p) {
        if (p.traces() == null) return;
        if (!Profile.Traces.KINDS.contains(p.traces().kind())) {
            throw new IllegalArgumentException(f + lineOf(text, p.traces().kind(), false) + ": profile '" + p.name() + "': trace source kind '"
                    + p.traces().kind() + "' is not one of zipkin, jaeger, tempo");
        }
        check(f, text, p, "traces", p.traces().source());
    }

    private static String at(Path f, com.fasterxml.jackson.core.JsonProcessingException e) {
        var l = e.getLocation();
        return f + (l == null || l.getLineNr() < 1 ? "" : ":" + l.getLineNr()) + ": ";
    }

    /** " in profile 2, field 'alertmanagers'" from Jackson's path. */
    private static String where(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getIndex() >= 0 && sb.isEmpty()) sb.append(" in profile ").append(ref.getIndex() + 1);
            else if (ref.getFieldName() != null) sb.append(sb.isEmpty() ? " at " : ", field ").append("'").append(ref.getFieldName()).append("'");
        }
        return sb.toString();
    }

    private static String found(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        String m = String.valueOf(e.getOriginalMessage());
        Class<?> t = e.getTargetType();
        String want = t == null ? "another type" : java.util.Collection.class.isAssignableFrom(t) ? "a list"
                : t == String.class ? "a string" : t.isRecord() ? "an object" : t.getSimpleName();
        String got = m.contains("from Object value") || m.contains("START_OBJECT") ? "an object" : m.contains("from Array value") || m.contains("START_ARRAY") ? "a list"
                : m.contains("from String value") || m.contains("VALUE_STRING") ? "a string" : m.contains("Number") || m.contains("VALUE_NUMBER") ? "a number"
                : m.contains("Boolean") || m.contains("VALUE_TRUE") || m.contains("VALUE_FALSE") ? "true/false" : "something else";
        return "expected " + want + ", found " + got;
    }

    /** ":line" of the first (or last) line holding this JSON string value, or "" when it cannot be found. */
    private static String lineOf(String text, String value, boolean last) {
        String quoted = "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        int at = last ? text.lastIndexOf(quoted) : text.indexOf(quoted);
        if (at < 0) at = last ? text.lastIndexOf(value) : text.indexOf(value);
        return at < 0 ? "" : ":" + (text.substring(0, at).chars().filter(c -> c == '\n').count() + 1);
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
