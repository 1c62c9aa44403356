package io.andon.console;

import io.andon.board.DashboardRepository;
import io.andon.board.PageSpec;
import io.andon.settings.Profile;
import io.andon.settings.ProfileStore;
import io.andon.settings.UiState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The console's command line checked against this machine before JavaFX starts: the profile exists, the URLs are
 * URLs, the page exists with the sources it needs, the snapshot file can be written. A problem is an
 * {@link IllegalArgumentException} whose message is the one line the user sees (Main prints it, exit code 2).
 * No JavaFX here: nothing of the toolkit is loaded before the line is printed.
 */
final class CliCheck {
    private CliCheck() {}

    /**
     * The console's sources for this command line (not for --demo, whose stack makes them): --prometheus wins; else
     * --profile, else the profile used last time; else the defaults. A named profile that doesn't exist is an error.
     */
    static ConsoleContext check(Cli cli) {
        cli.snapshot().ifPresent(CliCheck::writable);
        Optional<Profile> profile = Optional.empty();
        if (cli.profile().isPresent()) {
            ProfileStore store = new ProfileStore(UiState.configDir());
            profile = store.get(cli.profile().get());
            if (profile.isEmpty()) {
                List<String> names = store.list().stream().map(Profile::name).toList();
                throw new IllegalArgumentException("--profile '" + cli.profile().get() + "': no such profile ("
                        + (names.isEmpty() ? "none saved yet" : "saved: " + String.join(", ", names)) + "; profiles are made on the Settings page)");
            }
        }
        // every URL option (and ANDON_* variable) is checked even when a profile supplies the sources
        ConsoleContext fromCli = ConsoleContext.fromCli(cli);
        if (cli.demo()) {
            cli.page().ifPresent(p -> page(p, fromCli.dashboardsDir(), true, true, true));
            return null;
        }
        ConsoleContext ctx = fromCli;
        if (cli.prometheusUrl().isEmpty()) {
            // --snapshot renders the defaults, not what the last interactive session remembered (as AndonApp did)
            Optional<String> remembered = cli.snapshot().isPresent() ? Optional.empty() : UiState.load().get("profile");
            if (profile.isEmpty() && remembered.isPresent()) profile = new ProfileStore(UiState.configDir()).get(remembered.get());
            if (profile.isPresent()) {
                ctx = ConsoleContext.fromProfile(profile.get(), io.andon.settings.SecretStore.forUser(UiState.configDir()));
            }
        }
        ConsoleContext c = ctx;
        cli.page().ifPresent(p -> page(p, c.dashboardsDir(), !c.alertmanagers().isEmpty(), c.elasticsearch().isPresent(), c.traces().isPresent()));
        return ctx;
    }

    /** The page exists (a dashboard, or a built-in page whose source is configured). */
    private static void page(String id, Optional<Path> dashboards, boolean alerts, boolean logs, boolean traces) {
        // without a dashboards directory the pages are the bundled ones: their names from the index as text, since
        // the YAML parser's start (about a second of CPU) would delay the toolkit, which starts only after this check
        if (!hasDashboards(dashboards) && bundledIds().contains(id)) return;
        List<String> known = new ArrayList<>();
        try {
            for (PageSpec s : new DashboardRepository(dashboards).load()) known.add(s.id());
        } catch (DashboardRepository.DashboardException e) {
            throw new IllegalArgumentException("dashboard configuration: " + e.getMessage());
        }
        if (known.contains(id)) return;
        String needs = switch (id) {
            case "alerts" -> alerts ? null : "the alerts page needs an Alertmanager (--alertmanager URL or a profile with one)";
            case "logs" -> logs ? null : "the logs page needs Elasticsearch (--elasticsearch URL or a profile with it)";
            case "traces" -> traces ? null : "the traces page needs a trace source (--traces URL or a profile with one)";
            case "settings" -> null;
            default -> "";
        };
        if (needs == null) return;
        if (!needs.isEmpty()) throw new IllegalArgumentException("--page '" + id + "': " + needs);
        known.addAll(List.of("alerts", "logs", "traces", "settings"));
        throw new IllegalArgumentException("--page '" + id + "': no such page (" + String.join(", ", known) + ")");
    }

    private static boolean hasDashboards(Optional<Path> dir) {
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) return false;
        try (var files = Files.list(dir.get())) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".yaml"));
        } catch (IOException e) {
            return true; // the full load meets the same problem and reports it
        }
    }

    /** The bundled page ids: index.yaml's "- name" lines (each bundled page's id is its file name; CliCheckTest). */
    static List<String> bundledIds() {
        try (var in = CliCheck.class.getResourceAsStream("/io/andon/dashboards/index.yaml")) {
            if (in == null) return List.of();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> l.startsWith("- ")).map(l -> l.substring(2).strip()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * --snapshot must name a file this user can write, checked by writing it: an existing file is left alone when
     * writable, a new one is created and removed again (root passes permission checks but not a read-only mount).
     */
    private static void writable(Path file) {
        String v = file.toString();
        if (Files.isDirectory(file)) throw new IllegalArgumentException("--snapshot '" + v + "': is a directory (a PNG file to write, e.g. page.png)");
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--snapshot '" + v + "': directory " + parent + " does not exist (a PNG file in an existing directory)");
        }
        if (Files.exists(file)) {
            if (!Files.isWritable(file)) throw new IllegalArgumentException("--snapshot '" + v + "': cannot be overwritten (no write permission)");
            return;
        }
        try {
            Files.createFile(file);
            Files.delete(file);
        } catch (IOException | SecurityException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileSystemException fe && fe.getReason() != null ? fe.getReason()
                    : "the file system takes no new files there"; // e.g. /proc answers ENOENT, which says nothing to a user
            throw new IllegalArgumentException("--snapshot '" + v + "': cannot be written in " + parent + " (" + why + ")");
        }
    }
}
