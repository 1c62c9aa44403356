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
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.andon");
    }

    @Test
    void serverAndClientsNeverImportJavaFx() {
        noClasses().that().resideInAnyPackage("io.andon.server..", "io.andon.prometheus..",
                        "io.andon.alertmanager..", "io.andon.logs..", "io.andon.net..", "io.andon.stack..",
                        "io.andon.settings..", "io.andon.board..", "io.andon.traces..")
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
    void journalIsAHeadlessStoreWithoutConsoleCode() {
        noClasses().that().resideInAPackage("io.andon.journal..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "eu.hansolo..", "org.controlsfx..", "io.andon.ui..",
                        "io.andon.console..", "io.andon.board..", "io.andon.logs..", "io.andon.alertmanager..", "io.andon.stack..")
                .because("the acknowledgement code, the console and the shift report all write or read the journal; it depends on none of them")
                .check(classes);
    }
}
