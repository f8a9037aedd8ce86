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
 * kafka <- kafka-broker <- {the demo, live, cli}; {kafka, datasets, pipeline} <- live), the wire contract never sees the
 * broker,
 * Flink and Kafka types never appear in model-runtime, and no tensor ever lives in Flink state or events.
 * A wrong import fails the build here.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importAllModules() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.salistream");
    }

    @Test
    void opsAlignDependsOnNoOtherModule() {
        noClasses()
                .that()
                .resideInAPackage("org.salistream.ops..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.salistream.model..",
                        "org.salistream.datasets..",
                        "org.salistream.kafka..",
                        "org.salistream.pipeline..",
                        "org.salistream.trainer..",
                        "org.salistream.cli..")
                .check(classes);
    }

    @Test
    void modelRuntimeSeesOnlyOpsAlignAndNoFlinkOrKafka() {
        noClasses()
                .that()
                .resideInAPackage("org.salistream.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.salistream.datasets..",
                        "org.salistream.kafka..",
                        "org.salistream.pipeline..",
                        "org.salistream.trainer..",
                        "org.salistream.cli..",
                        "org.apache.flink..",
                        "org.apache.kafka..")
                .check(classes);
    }

    @Test
    void datasetsAndKafkaStandAlone() {
        noClasses()
                .that()
                .resideInAPackage("org.salistream.datasets..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.salistream.model..",
                        "org.salistream.ops..",
                        "org.salistream.kafka..",
                        "org.salistream.pipeline..",
                        "org.salistream.trainer..",
                        "ai.djl..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("org.salistream.kafka..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.salistream.model..",
                        "org.salistream.ops..",
                        "org.salistream.datasets..",
                        "org.salistream.pipeline..",
                        "org.salistream.trainer..",
                        "org.apache.flink..",
                        "ai.djl..")
                .check(classes);
    }

    @Test
    void theCodecNeedsOnlyTheJdk() {
        // model-runtime, kafka and datasets share it (binary formats, image decoding), so it must pull none
        // of their worlds into another: the JDK only, javax.imageio included
        noClasses()
                .that()
                .resideInAPackage("org.salistream.codec..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("org.salistream.codec..", "java..", "javax.imageio..")
                .check(classes);
    }

    @Test
    void theWireContractNeverSeesTheBroker() {
        // the contract and its clients run on kafka-clients alone (the Flink job jar carries them); the KRaft
        // broker, its Scala core and the certificate issuer live in kafka/broker (org.salistream.kafka.broker)
        noClasses()
                .that()
                .resideInAPackage("org.salistream.kafka..")
                .and()
                .resideOutsideOfPackage("org.salistream.kafka.broker..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.salistream.kafka.broker..",
                        "kafka..",
                        "org.apache.kafka.server..",
                        "org.apache.kafka.metadata..",
                        "org.apache.kafka.raft..",
                        "org.apache.kafka.storage..",
                        "org.apache.kafka.controller..",
                        "org.apache.kafka.coordinator..",
                        "org.apache.kafka.image..",
                        "org.bouncycastle..",
                        "scala..")
                .check(classes);
    }

    @Test
    void onlyTheDemoAndTheCommandsStartABroker() {
        // pipeline has kafka-broker in provided scope so that the job jar never packs it: only the demo and the
        // commands (sali demo, the benches), which run inside bin/sali, may use it; the job's code path must not
        noClasses()
                .that()
                .resideInAPackage("org.salistream.pipeline..")
                .and()
                .resideOutsideOfPackages("org.salistream.pipeline.demo..", "org.salistream.pipeline.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.salistream.kafka.broker..")
                .check(classes);
    }

    @Test
    void trainerAndPipelineDoNotDependOnEachOther() {
        noClasses()
                .that()
                .resideInAPackage("org.salistream.trainer..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.salistream.pipeline..", "org.salistream.kafka..", "org.salistream.cli..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("org.salistream.pipeline..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.salistream.trainer..", "org.salistream.cli..")
                .check(classes);
    }

    @Test
    void theLiveEdgesAreALeafThatNeedsNoModelCode() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "org.salistream.ops..",
                        "org.salistream.model..",
                        "org.salistream.datasets..",
                        "org.salistream.kafka..",
                        "org.salistream.pipeline..",
                        "org.salistream.trainer..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.salistream.live..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("org.salistream.live..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.salistream.trainer..", "org.salistream.cli..", "org.salistream.ops..", "ai.djl..")
                .check(classes);
    }

    @Test
    void noTensorLivesInFlinkStateOrEvents() {
        noFields()
                .that()
                .areDeclaredInClassesThat()
                .resideInAnyPackage("org.salistream.pipeline.state..", "org.salistream.pipeline.events..")
                .should()
                .haveRawType(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "a DJL type",
                        (com.tngtech.archunit.core.domain.JavaClass c) ->
                                c.getPackageName().startsWith("ai.djl")))
                .check(classes);
        noClasses()
                .that()
                .resideInAnyPackage("org.salistream.pipeline.state..", "org.salistream.pipeline.events..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("ai.djl..")
                .check(classes);
    }

    @Test
    void picocliAndCommandClassesLiveOnlyInEachModulesCliPackage() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.salistream..cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("picocli..")
                .check(classes);
        classes()
                .that()
                .areAnnotatedWith(picocli.CommandLine.Command.class)
                .and()
                .areTopLevelClasses()
                .should()
                .resideInAPackage("org.salistream..cli..")
                .andShould()
                .haveSimpleNameEndingWith("Command")
                .check(classes);
    }
}
