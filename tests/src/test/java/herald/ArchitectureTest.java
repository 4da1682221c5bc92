package herald;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layout's rules (docs/contributing.md), on the compiled classes of the functions and the local runtime:
 * imports point down (entry points, then the HTTP adapter, then the capabilities, then events, then identity, then
 * the kernel), no package cycle, entry points only in {@code herald.function}, and the local runtime using nothing
 * of Herald's own code.
 */
class ArchitectureTest {

    private static final JavaClasses HERALD = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("herald");

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching("herald.(*)..").should().beFreeOfCycles().check(HERALD);
    }

    @Test
    void importsPointDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("entry points").definedBy("herald.function..")
                .layer("HTTP adapter").definedBy("herald.http..")
                .layer("capabilities").definedBy("herald.enroll..", "herald.query..", "herald.realtime..",
                        "herald.scripting..", "herald.triggers..", "herald.keys..", "herald.projects..")
                .layer("events").definedBy("herald.events..")
                .layer("identity").definedBy("herald.auth..")
                .layer("kernel").definedBy("herald.kernel..")
                .layer("local runtime").definedBy("herald.local..")
                .whereLayer("entry points").mayNotBeAccessedByAnyLayer()
                .whereLayer("HTTP adapter").mayOnlyBeAccessedByLayers("entry points")
                .whereLayer("capabilities").mayOnlyBeAccessedByLayers("entry points", "HTTP adapter", "capabilities")
                .whereLayer("events").mayOnlyBeAccessedByLayers("entry points", "HTTP adapter", "capabilities")
                .whereLayer("identity").mayOnlyBeAccessedByLayers("entry points", "HTTP adapter", "capabilities",
                        "events")
                .whereLayer("kernel").mayOnlyBeAccessedByLayers("entry points", "HTTP adapter", "capabilities",
                        "events", "identity")
                .whereLayer("local runtime").mayNotBeAccessedByAnyLayer()
                .check(HERALD);
    }

    @Test
    void theLocalRuntimeUsesNothingOfHeraldsCode() {
        noClasses().that().resideInAPackage("herald.local..")
                .should().dependOnClassesThat().resideInAnyPackage("herald.function..", "herald.http..",
                        "herald.enroll..", "herald.query..", "herald.realtime..", "herald.scripting..",
                        "herald.triggers..", "herald.keys..", "herald.projects..", "herald.events..", "herald.auth..",
                        "herald.kernel..")
                .check(HERALD);
    }

    @Test
    void entryPointsLiveInTheFunctionPackageAndAreNamedAfterTheirFunction() {
        classes().that().implement(RequestHandler.class).or().implement(RequestStreamHandler.class)
                .should().resideInAPackage("herald.function").andShould().haveSimpleNameEndingWith("Function")
                .check(HERALD);
    }
}
