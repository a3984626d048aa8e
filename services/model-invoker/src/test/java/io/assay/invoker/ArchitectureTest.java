package io.assay.invoker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import io.assay.invoker.providers.OpenAiProvider;
import io.assay.invoker.providers.OpenAiWire;
import io.assay.invoker.providers.ReplayProvider;
import io.assay.invoker.providers.SimProvider;
import io.assay.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The invoker keeps the layering of every service (rules and reasons in {@link ArchitectureRules}). */
class ArchitectureTest {

    @Test
    void invokingIsPlainJavaAndKafkaComesOnlyFromTheKit() {
        ArchitectureRules.check("io.assay.invoker", "service", "providers", "sim", "limits", "cache");
    }

    @Test
    void theGenericInvokerKnowsNoConcreteProvider() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.assay.invoker.service..",
                        "io.assay.invoker.cache..",
                        "io.assay.invoker.limits..",
                        "io.assay.invoker.messaging..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(OpenAiProvider.class, OpenAiWire.class, ReplayProvider.class, SimProvider.class)
                .because("adding a provider must not change the generic invoker: what it needs from one is "
                        + "on ModelProvider, and the wiring (config/) builds the concrete ones")
                .check(ArchitectureRules.mainClasses("io.assay.invoker"));
    }
}
