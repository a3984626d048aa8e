package io.assay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The CLI takes the service kit and the aggregator without any of their dependencies (cli/pom.xml): Quarkus, JBoss
 * Logging, Micrometer, Kafka Streams are not on its class path. A kit class that logs through JBoss Logging fails to
 * load there ({@code NoClassDefFoundError}), while these tests, whose class path has everything, pass. So every kit
 * and aggregator class the CLI reaches, directly or through another such class, must need none of them.
 */
class CliClassPathTest {
    private static final List<String> LEFT_OUT = List.of(
            "org.jboss.logging.",
            "io.quarkus.",
            "io.micrometer.",
            "io.smallrye.",
            "io.vertx.",
            "jakarta.",
            "org.eclipse.microprofile.",
            "io.opentelemetry.",
            "org.apache.kafka.streams.");

    @Test
    void theKitAndAggregatorClassesTheCliReachesNeedNothingItLeavesOut() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("io.assay");
        Deque<JavaClass> unvisited = new ArrayDeque<>();
        classes.stream()
                .filter(c -> c.getPackageName().startsWith("io.assay.cli"))
                .forEach(unvisited::add);
        Set<String> reached = new TreeSet<>();
        Set<String> seen = new HashSet<>();
        Set<String> problems = new TreeSet<>();
        while (!unvisited.isEmpty()) {
            JavaClass from = unvisited.pop();
            boolean borrowed = !from.getPackageName().startsWith("io.assay.cli");
            for (Dependency dependency : from.getDirectDependenciesFromSelf()) {
                String target =
                        dependency.getTargetClass().getBaseComponentType().getName();
                if (borrowed && LEFT_OUT.stream().anyMatch(target::startsWith)) {
                    problems.add(from.getName() + " needs " + target);
                }
                if ((target.startsWith("io.assay.kit.") || target.startsWith("io.assay.aggregator."))
                        && seen.add(target)
                        && classes.contain(target)) {
                    reached.add(target);
                    unvisited.add(classes.get(target));
                }
            }
        }

        assertThat(reached).as("the kit's client settings, at least").contains("io.assay.kit.kafka.KafkaSettings");
        assertThat(problems)
                .as("kit or aggregator classes the CLI reaches: %s", reached)
                .isEmpty();
    }
}
