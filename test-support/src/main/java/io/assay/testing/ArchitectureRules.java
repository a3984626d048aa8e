package io.assay.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The layering every service keeps, checked by each service's {@code ArchitectureTest} in
 * {@code ./mvnw verify}, each with its reason ({@code because}; docs/service-kit.md, "What the build
 * checks"):
 *
 * <ol>
 *   <li>domain packages import no Kafka, SmallRye, Quarkus, CDI (Jakarta), MicroProfile or Micrometer;</li>
 *   <li>a service's classes use only its own package, the contracts and the service kit of Assay's
 *       code: services talk to each other through topics, never through each other's classes;</li>
 *   <li>no service builds a Kafka client itself: every producer, consumer, admin client and Kafka
 *       Streams instance comes from the kit, which carries all the {@code kafka.*} settings.</li>
 * </ol>
 */
public final class ArchitectureRules {
    private static final String[] FRAMEWORKS = {
        "org.apache.kafka..",
        "io.smallrye..",
        "io.quarkus..",
        "jakarta..",
        "io.micrometer..",
        "org.eclipse.microprofile.."
    };
    private static final Set<String> KAFKA_CLIENTS = Set.of(
            "org.apache.kafka.clients.producer.KafkaProducer",
            "org.apache.kafka.clients.consumer.KafkaConsumer",
            "org.apache.kafka.streams.KafkaStreams",
            "org.apache.kafka.clients.admin.KafkaAdminClient");
    private static final Set<String> CLIENT_FACTORIES =
            Set.of("org.apache.kafka.clients.admin.Admin", "org.apache.kafka.clients.admin.AdminClient");

    private ArchitectureRules() {}

    /** The main classes of the service whose classes are under {@code servicePackage}. */
    public static JavaClasses mainClasses(String servicePackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(servicePackage);
    }

    /**
     * Every rule for one service.
     *
     * @param servicePackage e.g. {@code io.assay.judge}
     * @param domainPackages its plain-Java packages, relative to it, e.g. {@code judging}, {@code scoring}
     */
    public static List<ArchRule> forService(String servicePackage, String... domainPackages) {
        String[] domain = Arrays.stream(domainPackages)
                .map(p -> servicePackage + "." + p + "..")
                .toArray(String[]::new);
        return List.of(
                noClasses()
                        .that()
                        .resideInAnyPackage(domain)
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(FRAMEWORKS)
                        .because("the domain is plain Java: unit-tested without a broker and reused by tools "
                                + "(imports, benches) that run no service"),
                noClasses()
                        .that()
                        .resideInAPackage(servicePackage + "..")
                        .should()
                        .dependOnClassesThat(assayCodeOutside(servicePackage))
                        .because("services meet only through topics (the contracts) and share only the kit; "
                                + "one service importing another couples their releases"),
                noClasses()
                        .that()
                        .resideInAPackage(servicePackage + "..")
                        .should()
                        .callConstructorWhere(newKafkaClient())
                        .orShould()
                        .callMethodWhere(adminFactory())
                        .because("every Kafka client comes from the kit's KafkaClients, which carries all kafka.* "
                                + "settings (security protocol, SASL, TLS) and static membership"));
    }

    /** Checks every rule of {@link #forService} on the service's main classes, reporting every violation at once. */
    public static void check(String servicePackage, String... domainPackages) {
        CompositeArchRule.of(forService(servicePackage, domainPackages)).check(mainClasses(servicePackage));
    }

    private static DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> assayCodeOutside(String own) {
        return DescribedPredicate.describe(
                "Assay code other than " + own + ", io.assay.contracts and io.assay.kit",
                c -> c.getPackageName().startsWith("io.assay.")
                        && !c.getPackageName().equals(own)
                        && !c.getPackageName().startsWith(own + ".")
                        && !c.getPackageName().startsWith("io.assay.contracts")
                        && !c.getPackageName().startsWith("io.assay.kit"));
    }

    private static DescribedPredicate<JavaConstructorCall> newKafkaClient() {
        return DescribedPredicate.describe(
                "a Kafka client constructor",
                call -> KAFKA_CLIENTS.contains(call.getTargetOwner().getName()));
    }

    private static DescribedPredicate<JavaMethodCall> adminFactory() {
        return DescribedPredicate.describe(
                "Admin.create",
                call -> CLIENT_FACTORIES.contains(call.getTargetOwner().getName())
                        && call.getName().equals("create"));
    }
}
