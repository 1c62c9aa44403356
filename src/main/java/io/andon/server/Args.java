package io.andon.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Command-line flags of the server programs: {@code --name value} pairs and bare switches. */
public final class Args {
    private final Map<String, String> values = new HashMap<>();

    public Args(String[] argv, Set<String> switches) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "'");
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (switches.contains(name)) {
                values.put(name, "true");
            } else {
                if (i + 1 >= argv.length) throw new IllegalArgumentException("--" + name + " needs a value");
                values.put(name, argv[++i]);
            }
        }
    }

    public String get(String name, String def) { return values.getOrDefault(name, def); }

    public String require(String name) {
        String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("--" + name + " is required");
        return v;
    }

    public int getInt(String name, int def) { return values.containsKey(name) ? Integer.parseInt(values.get(name)) : def; }

    public boolean flag(String name) { return Boolean.parseBoolean(values.getOrDefault(name, "false")); }

    public Duration duration(String name, Duration def) {
        String v = values.get(name);
        if (v == null) return def;
        try {
            return io.andon.util.Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + ": " + e.getMessage());
        }
    }

    /**
     * The database password: from {@code --db-password-file} or the ANDON_DB_PASSWORD environment variable,
     * never from the command line (visible in ps) and never logged.
     */
    public String dbPassword() {
        String file = values.get("db-password-file");
        if (file != null) {
            try {
                return Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --db-password-file " + file + ": " + e.getMessage());
            }
        }
        String env = System.getenv("ANDON_DB_PASSWORD");
        if (env == null) throw new IllegalArgumentException("database password missing: set ANDON_DB_PASSWORD or --db-password-file");
        return env;
    }
}
