package org.salistream.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The design's dependency rules, checked on the compiled classes of every module: dependencies point one
 * way (ops-align <- model-runtime <- {trainer, pipeline}; datasets <- {trainer, pipeline}; kafka <- pipeline;
 * {kafka, datasets, pipeline} <- live),
 * Flink and Kafka types never appear in model-runtime, and no tensor ever lives in Flink state or events.
 * A wrong import fails the build here.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importAllModules() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.salistream");
    }

    @Test
    void opsAlignDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("org.salistream.ops..")
                .should().dependOnClassesThat().resideInAnyPackage("org.salistream.model..", "org.salistream.datasets..",
                        "org.salistream.kafka..", "org.salistream.pipeline..", "org.salistream.trainer..",
                        "org.salistream.cli..")
                .check(classes);
    }

    @Test
    void modelRuntimeSeesOnlyOpsAlignAndNoFlinkOrKafka() {
        noClasses().that().resideInAPackage("org.salistream.model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.salistream.datasets..", "org.salistream.kafka..",
                        "org.salistream.pipeline..", "org.salistream.trainer..", "org.salistream.cli..",
                        "org.apache.flink..", "org.apache.kafka..")
                .check(classes);
    }

    @Test
    void datasetsAndKafkaStandAlone() {
        noClasses().that().resideInAPackage("org.salistream.datasets..")
                .should().dependOnClassesThat().resideInAnyPackage("org.salistream.model..", "org.salistream.ops..",
                        "org.salistream.kafka..", "org.salistream.pipeline..", "org.salistream.trainer..", "ai.djl..")
                .check(classes);
        noClasses().that().resideInAPackage("org.salistream.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("org.salistream.model..", "org.salistream.ops..",
                        "org.salistream.datasets..", "org.salistream.pipeline..", "org.salistream.trainer..",
                        "org.apache.flink..", "ai.djl..")
                .check(classes);
    }

    @Test
    void trainerAndPipelineDoNotDependOnEachOther() {
        noClasses().that().resideInAPackage("org.salistream.trainer..")
                .should().dependOnClassesThat().resideInAnyPackage("org.salistream.pipeline..", "org.salistream.kafka..",
                        "org.salistream.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("org.salistream.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage("org.salistream.trainer..", "org.salistream.cli..")
                .check(classes);
    }

    @Test
    void theLiveEdgesAreALeafThatNeedsNoModelCode() {
        noClasses().that().resideInAnyPackage("org.salistream.ops..", "org.salistream.model..", "org.salistream.datasets..",
                        "org.salistream.kafka..", "org.salistream.pipeline..", "org.salistream.trainer..")
                .should().dependOnClassesThat().resideInAPackage("org.salistream.live..")
                .check(classes);
        noClasses().that().resideInAPackage("org.salistream.live..")
                .should().dependOnClassesThat().resideInAnyPackage("org.salistream.trainer..", "org.salistream.cli..",
                        "org.salistream.ops..", "ai.djl..")
                .check(classes);
    }

    @Test
    void noTensorLivesInFlinkStateOrEvents() {
        noFields().that().areDeclaredInClassesThat()
                .resideInAnyPackage("org.salistream.pipeline.state..", "org.salistream.pipeline.events..")
                .should().haveRawType(com.tngtech.archunit.base.DescribedPredicate.describe("a DJL type",
                        (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().startsWith("ai.djl")))
                .check(classes);
        noClasses().that().resideInAnyPackage("org.salistream.pipeline.state..", "org.salistream.pipeline.events..")
                .should().dependOnClassesThat().resideInAPackage("ai.djl..")
                .check(classes);
    }

    @Test
    void picocliAndCommandClassesLiveOnlyInEachModulesCliPackage() {
        noClasses().that().resideOutsideOfPackage("org.salistream..cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(classes);
        classes().that().areAnnotatedWith(picocli.CommandLine.Command.class).and().areTopLevelClasses()
                .should().resideInAPackage("org.salistream..cli..")
                .andShould().haveSimpleNameEndingWith("Command")
                .check(classes);
    }
}
