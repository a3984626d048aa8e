package io.assay.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart under {@code helm/assay}, linted and rendered by Helm itself (helm-java embeds it): with
 * the default values and with {@code values-production.yaml}, and with single values switched.
 */
class ChartTest {
    private static final Path CHART =
            Path.of(System.getProperty("assay.chart", "assay")).toAbsolutePath();
    private static final Path PRODUCTION = CHART.resolve("values-production.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The monitoring files the chart links to ({@code files/rules}, {@code files/dashboards}). */
    private static final Path DEPLOY = CHART.resolve("../../deploy").normalize();

    private static final List<String> SERVICES = List.of("prompt-generator", "model-invoker", "judge", "aggregator");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(KEY|PASSWORD|SECRET|TOKEN|CREDENTIAL).*");

    @Test
    void lintStrictPassesWithTheDefaultAndTheProductionValues() throws IOException {
        // Given the chart as shipped, and a copy whose values.yaml is the production overlay merged in
        // (helm-java's lint takes no values file)
        Path production = chartWithValues(PRODUCTION);

        // When helm lint --strict runs on both
        for (Path chart : List.of(CHART, production)) {
            LintResult lint = new Helm(chart).lint().strict().call();

            // Then neither has an error or a warning
            assertThat(lint.isFailed()).as(chart + ": " + lint.getMessages()).isFalse();
            assertThat(lint.getMessages())
                    .as(chart.toString())
                    .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
        }
    }

    @Test
    void everyServiceContainerHasProbesAndResourcesWithEitherValues() {
        for (List<JsonNode> manifests : List.of(render(t -> t), render(t -> t.withValuesFile(PRODUCTION)))) {
            // Given the rendered workloads: one per service
            List<JsonNode> deployments = workloads(manifests);
            assertThat(deployments)
                    .extracting(d -> d.at("/metadata/name").asText())
                    .containsExactlyInAnyOrderElementsOf(
                            SERVICES.stream().map(s -> "assay-" + s).toList());

            // Then each container has liveness, readiness and startup probes on the health endpoints, and resources
            for (JsonNode container : containers(deployments)) {
                String name = container.at("/name").asText();
                assertThat(container.at("/livenessProbe/httpGet/path").asText())
                        .as(name)
                        .isEqualTo("/q/health/live");
                assertThat(container.at("/readinessProbe/httpGet/path").asText())
                        .as(name)
                        .isEqualTo("/q/health/ready");
                assertThat(container.at("/startupProbe/httpGet/path").asText())
                        .as(name)
                        .isEqualTo("/q/health/started");
                assertThat(container.at("/resources/requests/memory").isMissingNode())
                        .as(name)
                        .isFalse();
                assertThat(container.at("/resources/limits/memory").isMissingNode())
                        .as(name)
                        .isFalse();
                assertThat(container.at("/resources/requests/cpu").isMissingNode())
                        .as(name)
                        .isFalse();
            }
        }
        // and the topic Job's container, which runs once, has resources
        List<JsonNode> jobs = ofKind(withJob(i -> i), "Job");
        assertThat(jobs).hasSize(1);
        for (JsonNode container : containers(jobs)) {
            assertThat(container.at("/resources/limits/memory").isMissingNode()).isFalse();
        }
    }

    @Test
    void noSecretValueIsWrittenToAConfigMapAndSecretsAreReadFromSecretRefs() {
        // Given the production values: SASL login and provider keys, each naming a Secret
        List<JsonNode> manifests = render(t -> t.withValuesFile(PRODUCTION));

        // Then no ConfigMap entry is named like a secret, and the only password in one is a reference to the
        // environment
        for (JsonNode cm : ofKind(manifests, "ConfigMap")) {
            cm.at("/data").fields().forEachRemaining(e -> {
                assertThat(e.getKey()).as(cm.at("/metadata/name").asText()).doesNotMatch(SECRET_NAME);
                Matcher password = Pattern.compile("password=\"([^\"]*)\"")
                        .matcher(e.getValue().asText());
                while (password.find()) {
                    assertThat(password.group(1)).isEqualTo("${ASSAY_KAFKA_PASSWORD}");
                }
            });
        }
        // and every secret-looking variable of a container comes from a secretKeyRef
        List<JsonNode> secretEnv = new ArrayList<>();
        List<JsonNode> workloads = new ArrayList<>(workloads(manifests));
        workloads.addAll(ofKind(withJob(i -> i.withValuesFile(PRODUCTION).set("topics.create", "job")), "Job"));
        for (JsonNode container : containers(workloads)) {
            for (JsonNode env : container.path("env")) {
                if (SECRET_NAME.matcher(env.at("/name").asText()).matches()) {
                    assertThat(env.has("value")).as(env.toString()).isFalse();
                    assertThat(env.at("/valueFrom/secretKeyRef/name").asText())
                            .as(env.toString())
                            .isNotEmpty();
                    secretEnv.add(env);
                }
            }
        }
        assertThat(secretEnv)
                .extracting(e -> e.at("/name").asText())
                .contains("ASSAY_KAFKA_PASSWORD", "ASSAY_KEY_OPENAI", "ASSAY_KEY_ANTHROPIC");
    }

    @Test
    void aSecretPutIntoPlainConfigurationIsRefused() {
        // When a provider key is given as plain extra environment
        // Then rendering fails, rather than writing it into a ConfigMap
        assertThatThrownBy(() -> render(t -> t.set("extraEnv.OPENAI_API_KEY", "sk-not-a-real-key")))
                .hasMessageContaining("OPENAI_API_KEY")
                .hasMessageContaining("providerSecrets");
    }

    @Test
    void theAggregatorIsAStatefulSetWhosePodsKeepTheirNamesAndSoTheirApplicationIds() {
        // When the aggregator is given two replicas
        List<JsonNode> manifests = render(t -> t.set("services.aggregator.replicas", 2));

        // Then it is a StatefulSet of two (stable pod names: each replica's application id is
        // assay-aggregator-<pod name>), started in parallel, and every other service a Deployment
        List<JsonNode> sets = ofKind(manifests, "StatefulSet");
        assertThat(sets).extracting(s -> s.at("/metadata/name").asText()).containsExactly("assay-aggregator");
        JsonNode aggregator = sets.get(0);
        assertThat(aggregator.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(aggregator.at("/spec/serviceName").asText()).isEqualTo("assay-aggregator");
        assertThat(aggregator.at("/spec/podManagementPolicy").asText()).isEqualTo("Parallel");
        assertThat(aggregator
                        .at("/spec/template/spec/containers/0/env/0/valueFrom/fieldRef/fieldPath")
                        .asText())
                .isEqualTo("metadata.name");
        assertThat(property("aggregator", "assay.application-id"))
                .isEqualTo("assay-aggregator-${assay.instance-id:local}");
        assertThat(ofKind(manifests, "Deployment"))
                .extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("assay-prompt-generator", "assay-model-invoker", "assay-judge");
    }

    @Test
    void imagesAndReplicasComeFromTheValues() {
        // Given a registry, a tag and a replica count set as values
        List<JsonNode> manifests = render(t -> t.set("image.registry", "registry.test/team")
                .set("image.tag", "9.8.7")
                .set("services.judge.replicas", 2)
                .set("services.prompt-generator.replicas", 3));

        // Then every service runs <registry>/assay/<service>:<tag> with the replicas asked for (1 by default)
        for (JsonNode deployment : workloads(manifests)) {
            String service = deployment.at("/metadata/name").asText().substring("assay-".length());
            assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
                    .isEqualTo("registry.test/team/assay/" + service + ":9.8.7");
            int expected = Map.of("judge", 2, "prompt-generator", 3).getOrDefault(service, 1);
            assertThat(deployment.at("/spec/replicas").asInt()).as(service).isEqualTo(expected);
        }
        // and the production file's registry and tag are the ones rendered from it
        assertThat(containers(workloads(render(t -> t.withValuesFile(PRODUCTION)))))
                .extracting(c -> c.at("/image").asText())
                .allMatch(image -> image.startsWith("ghcr.io/acme/assay/") && image.endsWith(":0.1.0"));
    }

    @Test
    void kedaScaledObjectsAppearOnlyWhenEnabledAndTargetTheLagOfEveryServiceButTheAggregator() {
        // Given the defaults: no KEDA objects, and fixed replicas
        assertThat(ofKind(render(t -> t), "ScaledObject")).isEmpty();

        // When KEDA is enabled
        List<JsonNode> manifests = render(t -> t.set("keda.enabled", true));

        // Then prompt-generator, model-invoker and judge scale on the lag of their own consumer groups on
        // their input, and KEDA owns their replica count (the aggregator keeps one replica)
        List<JsonNode> scaled = ofKind(manifests, "ScaledObject");
        assertThat(scaled)
                .extracting(s -> s.at("/spec/scaleTargetRef/name").asText())
                .containsExactlyInAnyOrder("assay-prompt-generator", "assay-model-invoker", "assay-judge");
        assertThat(scaled)
                .extracting(s -> s.at("/spec/triggers/0/type").asText())
                .containsOnly("kafka");
        assertThat(scaled)
                .extracting(s -> s.at("/spec/triggers/0/metadata/consumerGroup").asText() + "@"
                        + s.at("/spec/triggers/0/metadata/topic").asText())
                .containsExactlyInAnyOrder(
                        property("model-invoker", "mp.messaging.incoming.\"assay.prompts\".group.id") + "@"
                                + Topics.Names.PROMPTS,
                        // The kit names a Kafka Streams application after its service: assay-<assay.service>.
                        "assay-" + property("judge", "assay.service") + "@" + Topics.Names.RESPONSES,
                        "assay-" + property("prompt-generator", "assay.service") + "@" + Topics.Names.ITEMS);
        for (JsonNode deployment : workloads(manifests)) {
            String name = deployment.at("/metadata/name").asText();
            boolean byKeda = !name.equals("assay-aggregator");
            assertThat(deployment.at("/spec/replicas").isMissingNode()).as(name).isEqualTo(byKeda);
        }
    }

    @Test
    void theServiceMonitorAppearsOnlyWhenEnabled() {
        assertThat(ofKind(render(t -> t), "ServiceMonitor")).isEmpty();
        List<JsonNode> monitors = ofKind(render(t -> t.set("serviceMonitor.enabled", true)), "ServiceMonitor");
        assertThat(monitors).hasSize(1);
        assertThat(monitors.get(0).at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        // The dashboards group by service=<name>, which the ServiceMonitor takes from the Services' name label
        assertThat(monitors.get(0)
                        .at("/spec/endpoints/0/relabelings/0/targetLabel")
                        .asText())
                .isEqualTo("service");
        assertThat(monitors.get(0)
                        .at("/spec/endpoints/0/relabelings/0/sourceLabels/0")
                        .asText())
                .isEqualTo("__meta_kubernetes_service_label_app_kubernetes_io_name");
    }

    @Test
    void theTopicJobCreatesEveryContractTopicWithItsCleanupPolicy() {
        // When the default values render the topic Job (a Helm hook, which helm template leaves out)
        List<JsonNode> jobs = ofKind(withJob(i -> i), "Job");
        assertThat(jobs).hasSize(1);
        String script = containers(jobs).get(0).at("/command/2").asText();

        // Then it creates exactly Topics.ALL, compacted where the contract says so, with the partitions of Topics
        Map<String, String> created = new java.util.TreeMap<>();
        Matcher m = Pattern.compile(
                        "--topic (\\S+)\\s+\\\\\\s+--partitions (\\d+).*?cleanup\\.policy=(\\w+)", Pattern.DOTALL)
                .matcher(script);
        while (m.find()) {
            assertThat(Integer.parseInt(m.group(2))).isEqualTo(Topics.PARTITIONS);
            created.put(m.group(1), m.group(3));
        }
        assertThat(created).isEqualTo(expectedPolicies());
    }

    @Test
    void strimziKafkaTopicsMatchTheContractTopics() {
        // When topics are created as Strimzi KafkaTopic resources (the production values)
        List<JsonNode> manifests = render(t -> t.withValuesFile(PRODUCTION));

        // Then there is one per contract topic with its cleanup policy, and no topic Job
        assertThat(ofKind(withJob(i -> i.withValuesFile(PRODUCTION)), "Job")).isEmpty();
        Map<String, String> topics = ofKind(manifests, "KafkaTopic").stream()
                .collect(Collectors.toMap(
                        t -> t.at("/spec/topicName").asText(),
                        t -> t.at("/spec/config/cleanup.policy").asText()));
        assertThat(topics).isEqualTo(expectedPolicies());
        assertThat(ofKind(manifests, "KafkaTopic"))
                .allMatch(t -> t.at("/spec/partitions").asInt() == Topics.PARTITIONS);
    }

    @Test
    void theAlertRulesAndDashboardsAreTheDeployFilesUnchangedAndAppearOnlyWhenEnabled() throws IOException {
        // Given the chart with its defaults, nothing for the operator or the Grafana sidecar
        assertThat(ofKind(render(t -> t), "PrometheusRule")).isEmpty();
        assertThat(ofKind(render(t -> t), "ConfigMap"))
                .noneMatch(c -> c.at("/metadata/labels/grafana_dashboard").isTextual());

        // When both are switched on
        List<JsonNode> manifests = render(t -> t.set("prometheusRule.enabled", true)
                .set("prometheusRule.labels.release", "kube-prometheus-stack")
                .set("grafanaDashboards.enabled", true));

        // Then the PrometheusRule's spec is the rules file Prometheus loads outside Kubernetes
        List<JsonNode> rules = ofKind(manifests, "PrometheusRule");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(rules.get(0).at("/spec"))
                .isEqualTo(YAML.readTree(
                        DEPLOY.resolve("prometheus/rules/assay-alerts.yml").toFile()));

        // And each dashboard is a ConfigMap labelled for the sidecar, holding the file's JSON unchanged
        List<JsonNode> dashboards = ofKind(manifests, "ConfigMap").stream()
                .filter(c -> c.at("/metadata/labels/grafana_dashboard").asText().equals("1"))
                .toList();
        List<Path> files;
        try (Stream<Path> list = Files.list(DEPLOY.resolve("grafana/dashboards"))) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(dashboards).hasSameSizeAs(files).isNotEmpty();
        for (Path f : files) {
            String file = f.getFileName().toString();
            JsonNode map = dashboards.stream()
                    .filter(c -> c.at("/data").has(file))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap holds " + file));
            assertThat(JSON.readTree(map.at("/data").get(file).asText()))
                    .as(file)
                    .isEqualTo(JSON.readTree(f.toFile()));
        }
    }

    @Test
    void tracesAreExportedOnlyWhenACollectorIsNamed() throws IOException {
        // Given the kit's property naming the collector, as an environment variable (MicroProfile's form)
        java.util.Properties kit = new java.util.Properties();
        try (java.io.Reader r = Files.newBufferedReader(
                CHART.resolve("../../service-kit/src/main/resources/META-INF/microprofile-config.properties"))) {
            kit.load(r);
        }
        assertThat(kit).containsKey("assay.traces.otlp-endpoint");
        String env = "ASSAY_TRACES_OTLP_ENDPOINT";

        // Then by default no service's ConfigMap names one
        assertThat(ofKind(render(t -> t), "ConfigMap"))
                .noneMatch(cm -> cm.at("/data").has(env));

        // When a collector is named, Then every service's ConfigMap passes it on
        List<JsonNode> maps = ofKind(
                render(t -> t.set("traces.otlpEndpoint", "http://otel-collector.observability:4318")), "ConfigMap");
        for (String service : SERVICES) {
            assertThat(maps)
                    .filteredOn(cm -> cm.at("/metadata/name").asText().equals("assay-" + service))
                    .singleElement()
                    .satisfies(cm -> assertThat(cm.at("/data/" + env).asText())
                            .isEqualTo("http://otel-collector.observability:4318"));
        }
    }

    @Test
    void theIngressServesTheAggregatorOnlyWhenEnabled() {
        assertThat(ofKind(render(t -> t), "Ingress")).isEmpty();

        // When the production values switch it on with a host and TLS
        List<JsonNode> ingresses = ofKind(render(t -> t.withValuesFile(PRODUCTION)), "Ingress");

        // Then every path goes to the aggregator's Service on its http port
        assertThat(ingresses).hasSize(1);
        JsonNode ingress = ingresses.get(0);
        assertThat(ingress.at("/spec/rules/0/host").asText()).isEqualTo("assay.example.com");
        assertThat(ingress.at("/spec/rules/0/http/paths/0/path").asText()).isEqualTo("/");
        assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText())
                .isEqualTo("assay-aggregator");
        assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/port/name")
                        .asText())
                .isEqualTo("http");
        assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("assay-tls");
    }

    @Test
    void networkPoliciesAdmitHttpFromTheListedPeersOnlyWhenEnabled() {
        assertThat(ofKind(render(t -> t), "NetworkPolicy")).isEmpty();

        // When the production values switch them on (Prometheus's namespace; the ingress controller's for the
        // aggregator)
        List<JsonNode> policies = ofKind(render(t -> t.withValuesFile(PRODUCTION)), "NetworkPolicy");

        // Then each service's pods admit HTTP from the monitoring namespace, and the aggregator's also from the ingress
        assertThat(policies)
                .extracting(p -> p.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name")
                        .asText())
                .containsExactlyInAnyOrderElementsOf(SERVICES);
        for (JsonNode p : policies) {
            String name = p.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name")
                    .asText();
            assertThat(p.at("/spec/policyTypes")).as(name).hasSize(1);
            assertThat(p.at("/spec/ingress/0/ports/0/port").asText()).as(name).isEqualTo("http");
            List<String> from = new ArrayList<>();
            p.at("/spec/ingress/0/from")
                    .forEach(peer -> from.add(peer.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                            .asText()));
            assertThat(from)
                    .as(name)
                    .isEqualTo(
                            name.equals("aggregator") ? List.of("monitoring", "ingress-nginx") : List.of("monitoring"));
        }

        // And with no peers listed, pods of the release's namespace are admitted
        List<JsonNode> open = ofKind(render(t -> t.set("networkPolicy.enabled", true)), "NetworkPolicy");
        assertThat(open)
                .hasSize(4)
                .allMatch(p -> p.at("/spec/ingress/0/from/0/podSelector").isObject());
    }

    /** A key of a service's application.properties: the consumer group KEDA must watch is the one the service uses. */
    private static String property(String service, String key) {
        Path file =
                CHART.resolve("../../services").resolve(service).resolve("src/main/resources/application.properties");
        try (java.io.Reader reader = Files.newBufferedReader(file)) {
            java.util.Properties properties = new java.util.Properties();
            properties.load(reader);
            return properties.getProperty(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> expectedPolicies() {
        return Topics.ALL.stream()
                .collect(Collectors.toMap(
                        Topic::name, t -> t.compacted() ? "compact" : "delete", (a, b) -> a, java.util.TreeMap::new));
    }

    private static List<JsonNode> render(UnaryOperator<TemplateCommand> options) {
        return parse(options.apply(new Helm(CHART).template().withName("assay").withNamespace("assay"))
                .call());
    }

    private static List<JsonNode> parse(String yaml) {
        List<JsonNode> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            docs.forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    manifests.add(d);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return manifests;
    }

    /**
     * Renders with the topic Job as a plain resource ({@code topics.hook=false}): helm template, and so
     * helm-java, leaves hooks out of its output. The Job's body is the same either way.
     */
    private static List<JsonNode> withJob(UnaryOperator<TemplateCommand> options) {
        return render(t -> options.apply(t).set("topics.hook", false));
    }

    private static List<JsonNode> ofKind(List<JsonNode> manifests, String kind) {
        return manifests.stream()
                .filter(m -> m.at("/kind").asText().equals(kind))
                .toList();
    }

    /** The services' pods' owners: Deployments, and the aggregator's StatefulSet. */
    private static List<JsonNode> workloads(List<JsonNode> manifests) {
        List<JsonNode> workloads = new ArrayList<>(ofKind(manifests, "Deployment"));
        workloads.addAll(ofKind(manifests, "StatefulSet"));
        return workloads;
    }

    private static List<JsonNode> containers(List<JsonNode> workloads) {
        List<JsonNode> containers = new ArrayList<>();
        workloads.forEach(w -> w.at("/spec/template/spec/containers").forEach(containers::add));
        return containers;
    }

    /** A copy of the chart under target/ whose values.yaml is the default merged with {@code overlay}. */
    private static Path chartWithValues(Path overlay) throws IOException {
        Path copy = Path.of(
                        "target", "chart-" + overlay.getFileName().toString().replace(".yaml", ""), "assay")
                .toAbsolutePath();
        try (Stream<Path> files = Files.walk(CHART, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(CHART.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        ObjectNode values =
                (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
        merge(values, (ObjectNode) YAML.readTree(overlay.toFile()));
        YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
        return copy;
    }

    private static void merge(ObjectNode base, ObjectNode overlay) {
        overlay.fields().forEachRemaining(e -> {
            JsonNode existing = base.get(e.getKey());
            if (existing instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        });
    }
}
