package io.andon.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layer rules of docs/architecture.md, enforced on the compiled main classes. */
class LayerRulesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() throws Exception {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.andon");
        requireEveryCompiledClassImported(classes);
    }

    /**
     * An import that found fewer classes than were compiled (wrong package, class path without target/classes)
     * passes every noClasses() rule: count the .class files under target/classes/io/andon and require them all.
     */
    static void requireEveryCompiledClassImported(JavaClasses imported) throws Exception {
        java.nio.file.Path root = java.nio.file.Path.of(io.andon.console.Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        long compiled;
        try (var files = java.nio.file.Files.walk(root.resolve("io/andon"))) {
            compiled = files.filter(f -> f.toString().endsWith(".class")).count();
        }
        long seen = imported.stream().filter(c -> c.getPackageName().startsWith("io.andon") && c.getSource().isPresent()
                && c.getSource().get().getUri().toString().startsWith(root.toUri().toString())).count();
        if (compiled == 0 || seen < compiled) {
            throw new AssertionError("ArchUnit imported " + seen + " of the " + compiled + " classes compiled under " + root
                    + ": the rules below would pass on what they never saw");
        }
    }

    @Test
    void importedEveryCompiledClass() throws Exception {
        requireEveryCompiledClassImported(classes); // load() already did: this names the check in the report
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> requireEveryCompiledClassImported(
                        new ClassFileImporter().importPackages("io.andon.nothing.here")))
                .as("an empty import is refused").isInstanceOf(AssertionError.class);
    }

    @Test
    void serverAndClientsNeverImportJavaFx() {
        noClasses().that().resideInAnyPackage("io.andon.server..", "io.andon.prometheus..",
                        "io.andon.alertmanager..", "io.andon.logs..", "io.andon.net..", "io.andon.stack..",
                        "io.andon.settings..", "io.andon.board..", "io.andon.traces..", "io.andon.util..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "eu.hansolo..", "org.controlsfx..")
                .because("the server jar ships without JavaFX and clients must be testable headless")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void serverNeverImportsConsoleCode() {
        noClasses().that().resideInAPackage("io.andon.server..")
                .should().dependOnClassesThat().resideInAnyPackage("io.andon.ui..", "io.andon.console..",
                        "io.andon.board..", "io.andon.stack..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void serverTracingIsSharedSetupOnly() {
        noClasses().that().resideInAPackage("io.andon.server.tracing..")
                .should().dependOnClassesThat().resideInAnyPackage("io.andon.server.mes..", "io.andon.server.erp..",
                        "io.andon.server.exporter..", "io.andon.traces..")
                .because("the MES and the ERP service share it; the console's trace client (io.andon.traces) reads traces, it does not make them")
                .allowEmptyShould(true)
                .check(classes);
        noClasses().that().resideInAPackage("io.andon.server.erp..")
                .should().dependOnClassesThat().resideInAPackage("io.andon.server.mes..")
                .because("the ERP service is a separate program the MES calls over HTTP")
                .allowEmptyShould(true)
                .check(classes);
    }

    /**
     * The language and the theme live as long as the JVM: a view that listens to them directly stays reachable for as
     * long (every page the wall ever rebuilt). Views follow them through I18n.follow / Appearance.follow or I18n.bind;
     * the properties themselves are touched only in io.andon.ui, where those helpers are.
     */
    @Test
    void viewsFollowLanguageAndThemeWithoutHoldingOn() {
        noClasses().that().resideOutsideOfPackage("io.andon.ui")
                .should().callMethod(io.andon.ui.I18n.class, "localeProperty")
                .orShould().callMethod(io.andon.ui.Appearance.class, "themeProperty")
                .because("a plain listener on a console-wide property keeps its view alive (ConsoleLeakTest)")
                .check(classes);
    }

    @Test
    void viewsDoNotTalkToSourcesDirectly() {
        noClasses().that().resideInAPackage("io.andon.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("okhttp3..", "co.elastic..", "java.sql..",
                        "org.postgresql..", "java.net.http..", "org.apache.http..")
                .because("UI code goes through the clients' services, off the FX thread")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void onlyUiAndConsoleHopOntoTheFxThread() {
        noClasses().that().resideOutsideOfPackages("io.andon.ui..", "io.andon.console..")
                .should().callMethod(javafx.application.Platform.class, "runLater", Runnable.class)
                .allowEmptyShould(true)
                .check(classes);
    }

    /**
     * Indirect hops count too: a class outside ui/console that calls (or takes a method reference to) any method that,
     * itself or through further calls, reaches Platform.runLater (FxTicker.every, a helper that wraps runLater, ...).
     */
    @Test
    void noIndirectFxThreadHopsOutsideUiAndConsole() {
        java.util.Set<com.tngtech.archunit.core.domain.JavaCodeUnit> hopping = fxHoppingCodeUnits(classes);
        org.assertj.core.api.Assertions.assertThat(hopping).as("code that reaches Platform.runLater (the rule must see some)")
                .anyMatch(u -> u.getOwner().getName().equals("io.andon.ui.FxTicker") && u.getName().equals("every"));
        java.util.List<String> offenders = hopping.stream()
                .filter(u -> !u.getOwner().getPackageName().startsWith("io.andon.ui") && !u.getOwner().getPackageName().startsWith("io.andon.console"))
                .map(u -> u.getFullName()).sorted().toList();
        org.assertj.core.api.Assertions.assertThat(offenders).as("code outside io.andon.ui/io.andon.console that reaches Platform.runLater").isEmpty();
    }

    /** Every imported code unit that calls or references Platform.runLater, directly or through other imported code units. */
    static java.util.Set<com.tngtech.archunit.core.domain.JavaCodeUnit> fxHoppingCodeUnits(JavaClasses classes) {
        java.util.Set<com.tngtech.archunit.core.domain.JavaCodeUnit> found = new java.util.HashSet<>();
        for (var c : classes) {
            for (var u : c.getCodeUnits()) {
                boolean direct = u.getCallsFromSelf().stream().anyMatch(LayerRulesTest::isRunLater)
                        || u.getMethodReferencesFromSelf().stream().anyMatch(LayerRulesTest::isRunLater);
                if (direct) found.add(u);
            }
        }
        // to a fixed point: each round adds the code units that call or reference one already found
        for (boolean grew = true; grew; ) {
            grew = false;
            for (var c : classes) {
                for (var u : c.getCodeUnits()) {
                    if (found.contains(u)) continue;
                    java.util.function.Predicate<com.tngtech.archunit.core.domain.JavaAccess<?>> intoFound =
                            a -> a.getTarget().resolveMember().map(m -> found.contains(m)).orElse(false);
                    if (u.getCallsFromSelf().stream().anyMatch(intoFound) || u.getMethodReferencesFromSelf().stream().anyMatch(intoFound)) {
                        grew |= found.add(u);
                    }
                }
            }
        }
        return found;
    }

    private static boolean isRunLater(com.tngtech.archunit.core.domain.JavaAccess<?> a) {
        return a.getTarget().getOwner().getName().equals("javafx.application.Platform") && a.getTarget().getName().equals("runLater");
    }

    /**
     * Each client package stands alone: none of them imports another (the console wires them together). One arrow is
     * allowed: the acknowledgement code in {@code alertmanager} writes the journal where the action is made, so that an
     * ack that Alertmanager refused is never journaled.
     */
    @Test
    void noClientImportsAnother() {
        java.util.List<String> clients = java.util.List.of("io.andon.prometheus", "io.andon.alertmanager", "io.andon.logs", "io.andon.traces", "io.andon.journal");
        for (String from : clients) {
            for (String to : clients) {
                if (from.equals(to) || (from.equals("io.andon.alertmanager") && to.equals("io.andon.journal"))) continue;
                noClasses().that().resideInAPackage(from + "..")
                        .should().dependOnClassesThat().resideInAPackage(to + "..")
                        .because("the clients are independent; only the console and the board combine them")
                        .check(classes);
            }
        }
    }

    @Test
    void clientsDoNotDependOnEachOther() {
        noClasses().that().resideInAPackage("io.andon.prometheus..")
                .should().dependOnClassesThat().resideInAnyPackage("io.andon.alertmanager..", "io.andon.logs..", "io.andon.board..")
                .allowEmptyShould(true)
                .check(classes);
        noClasses().that().resideInAnyPackage("io.andon.logs..", "io.andon.alertmanager..", "io.andon.traces..")
                .should().dependOnClassesThat().resideInAnyPackage("io.andon.board..", "io.andon.ui..", "io.andon.console..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void tracesAreAClientWithoutUi() {
        noClasses().that().resideInAPackage("io.andon.traces..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "eu.hansolo..", "org.controlsfx..", "io.andon.board..",
                        "io.andon.ui..", "io.andon.console..", "io.andon.logs..", "io.andon.alertmanager..", "io.andon.settings..")
                .because("the trace clients and records are headless and stand alone; the console wires them to the rest")
                .check(classes);
    }

    @Test
    void reportIsHeadless() {
        noClasses().that().resideInAPackage("io.andon.report..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "eu.hansolo..", "org.controlsfx..", "io.andon.ui..", "io.andon.console..")
                .because("the shift report runs in the headless CLI and CI: data gathering and PDF layout never need a display; "
                        + "the console hands in its own chart renderer through io.andon.report.ChartRenderer")
                .check(classes);
    }

    @Test
    void journalIsAHeadlessStoreWithoutConsoleCode() {
        noClasses().that().resideInAPackage("io.andon.journal..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "eu.hansolo..", "org.controlsfx..", "io.andon.ui..",
                        "io.andon.console..", "io.andon.board..", "io.andon.logs..", "io.andon.alertmanager..", "io.andon.stack..")
                .because("the acknowledgement code, the console and the shift report all write or read the journal; it depends on none of them")
                .check(classes);
    }
}
