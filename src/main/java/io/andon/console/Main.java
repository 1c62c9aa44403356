package io.andon.console;

import javafx.application.Application;

/**
 * Entry point. Deliberately not a JavaFX Application: --help/--version must work without a display, and every
 * problem with the command line is reported (one line, exit code 2) before the toolkit starts.
 */
public final class Main {
    /** Exit code for a command line that cannot be used (as the shell's builtins use it). */
    static final int USAGE_ERROR = 2;

    private Main() {}

    public static void main(String[] args) {
        StartupTrace.mark("main");
        // `andon COMMAND …`: a command takes its own arguments and rules, none of the console's options
        if (args.length > 0 && !args[0].isEmpty() && !args[0].startsWith("-")) {
            System.exit(command(args[0], java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        console(args);
    }

    /** A subcommand's exit code. Add a command here; the console's options and checks don't apply to it. */
    static int command(String name, String[] args) {
        return switch (name) {
            case "report" -> {
                // the shift report runs headless and never starts JavaFX: charts and page images are drawn off-screen
                System.setProperty("java.awt.headless", "true");
                yield ReportCli.run(args, System.out, System.err);
            }
            default -> {
                System.err.println("andon: unknown command '" + name + "' (the console takes options only: see andon --help)");
                yield USAGE_ERROR;
            }
        };
    }

    private static void console(String[] args) {
        Cli cli;
        ConsoleContext context;
        try {
            cli = Cli.parse(args);
            if (cli.help()) {
                System.out.print(Cli.USAGE);
                return;
            }
            if (cli.version()) {
                System.out.println("Andon " + Version.get() + " (Java " + Runtime.version() + ")");
                return;
            }
            context = CliCheck.check(cli);
            StartupTrace.mark("command line checked");
        } catch (IllegalArgumentException e) {
            System.err.println("andon: " + e.getMessage());
            System.exit(USAGE_ERROR);
            return;
        }
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null
                && System.getProperty("os.name").startsWith("Linux")) {
            System.err.println("andon: no display. Run it on a desktop, or headless under Xvfb:\n"
                    + "  xvfb-run -a -s \"-screen 0 1920x1080x24\" andon " + String.join(" ", args));
            System.exit(3);
            return;
        }
        // before any other thread runs (setenv is not thread-safe) and before the toolkit reads it
        Rendering.apply();
        StartupTrace.mark("renderer chosen");
        if (cli.demo()) {
            // start the stack before the window exists: progress goes to the terminal, no frozen window
            try {
                context = Demo.start(cli);
            } catch (RuntimeException e) {
                System.err.println("andon demo: " + e.getMessage());
                System.exit(1);
                return;
            }
        }
        AndonApp.setContext(context);
        Prewarm.start();
        AndonApp.launchWith(cli);
    }

    static void launch(Class<? extends Application> app, String[] args) {
        Application.launch(app, args);
    }
}
