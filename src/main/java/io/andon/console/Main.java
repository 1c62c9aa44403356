package io.andon.console;

import javafx.application.Application;

/**
 * Entry point. Deliberately not a JavaFX Application: --help/--version must work without a display,
 * and JavaFX on the class path needs a plain launcher class.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        StartupTrace.mark("main");
        // subcommand: the shift report runs headless and never starts JavaFX (ReportCli)
        if (args.length > 0 && args[0].equals("report")) {
            // charts and page images are drawn off-screen: no X server is looked for, none is needed
            System.setProperty("java.awt.headless", "true");
            System.exit(ReportCli.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        Cli cli;
        try {
            cli = Cli.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("andon: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cli.help()) {
            System.out.print(Cli.USAGE);
            return;
        }
        if (cli.version()) {
            System.out.println("Andon " + Version.get() + " (Java " + Runtime.version() + ")");
            return;
        }
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null
                && System.getProperty("os.name").startsWith("Linux")) {
            System.err.println("andon: no display. Run it on a desktop, or headless under Xvfb:\n"
                    + "  xvfb-run -a -s \"-screen 0 1920x1080x24\" andon " + String.join(" ", args));
            System.exit(3);
            return;
        }
        if (cli.demo()) {
            // start the stack before the window exists: progress goes to the terminal, no frozen window
            try {
                AndonApp.setContext(Demo.start(cli));
            } catch (RuntimeException e) {
                System.err.println("andon demo: " + e.getMessage());
                System.exit(1);
                return;
            }
        }
        Prewarm.start();
        AndonApp.launchWith(cli);
    }

    static void launch(Class<? extends Application> app, String[] args) {
        Application.launch(app, args);
    }
}
