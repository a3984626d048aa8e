package io.assay.kit.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.CloudEvents;
import io.assay.contracts.EventType;
import io.assay.contracts.Samples;
import io.assay.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ConfigRegistryTest {
    private static final String MODELS = Topics.MODELS.name();
    private static final String BENCHMARKS = Topics.BENCHMARKS.name();

    private final ConfigRegistry registry = new ConfigRegistry();

    @Test
    void aValidSpecUnderItsIdIsRegisteredAndATombstoneRetiresIt() {
        assertThat(registry.apply(MODELS, "sim-a", model("sim-a", 1.0))).isEmpty();
        assertThat(registry.model("sim-a")).isPresent();
        assertThat(registry.simulated("sim-a")).isTrue();

        assertThat(registry.apply(MODELS, "sim-a", null)).isEmpty();
        assertThat(registry.models()).isEmpty();
    }

    @Test
    void aSpecUnderAnotherKeyOrAnInvalidOneIsRefusedAndTheLastValidOneStays() {
        // Given a registered model
        registry.apply(MODELS, "sim-a", model("sim-a", 1.0));
        long version = registry.version();

        // When it is republished under another key, and then as invalid JSON
        Optional<ConfigRegistry.Rejection> misKeyed = registry.apply(MODELS, "sim-b", model("sim-a", 2.0));
        Optional<ConfigRegistry.Rejection> broken =
                registry.apply(MODELS, "sim-a", "{not json".getBytes(StandardCharsets.UTF_8));

        // Then both are refused with a reason and nothing changed
        assertThat(misKeyed)
                .get()
                .extracting(ConfigRegistry.Rejection::reasonClass)
                .isEqualTo("key-mismatch");
        assertThat(broken)
                .get()
                .extracting(ConfigRegistry.Rejection::reasonClass)
                .isEqualTo("invalid");
        assertThat(registry.models()).containsOnlyKeys("sim-a");
        assertThat(registry.model("sim-a").orElseThrow().sim().skill()).isEqualTo(1.0);
        assertThat(registry.version()).isEqualTo(version);
        assertThat(ConfigRegistry.check(MODELS, null, model("sim-a", 1.0))).isPresent();
    }

    @Test
    void aSpecOfAnUnknownMajorVersionIsRefused() {
        Headers v2 =
                new RecordHeaders().add(CloudEvents.TYPE, "io.assay.model-spec.v2".getBytes(StandardCharsets.UTF_8));

        Optional<ConfigRegistry.Rejection> refused = registry.apply(MODELS, "sim-a", model("sim-a", 1.0), v2);

        assertThat(refused)
                .get()
                .extracting(ConfigRegistry.Rejection::reason)
                .asString()
                .startsWith("unsupported event version");
        assertThat(registry.models()).isEmpty();
        assertThat(ConfigRegistry.check(MODELS, "sim-a", model("sim-a", 1.0), v2))
                .isPresent();
    }

    @Test
    void aSpecItsModelCheckRefusesIsNotRegisteredAndTheLastAcceptedOneStays() {
        // Given a registry whose check refuses every credential name but ASSAY_KEY_A
        ConfigRegistry checked = new ConfigRegistry(spec -> "ASSAY_KEY_A".equals(spec.credentialEnv())
                ? Optional.empty()
                : Optional.of("credentialEnv " + spec.credentialEnv() + " is not exposed"));
        String accepted = "{\"modelId\":\"m\",\"provider\":\"openai\",\"baseUrl\":\"http://h/v1\","
                + "\"providerModel\":\"p\",\"credentialEnv\":\"ASSAY_KEY_A\"}";
        assertThat(checked.apply(MODELS, "m", accepted.getBytes(StandardCharsets.UTF_8)))
                .isEmpty();

        // When the same model is republished naming KAFKA_SASL_PASSWORD
        byte[] hostile = accepted.replace("ASSAY_KEY_A", "KAFKA_SASL_PASSWORD").getBytes(StandardCharsets.UTF_8);
        Optional<ConfigRegistry.Rejection> rejection = checked.apply(MODELS, "m", hostile);

        // Then it is refused with the check's reason (the validator's dead letter), and the accepted spec stays
        assertThat(rejection)
                .contains(new ConfigRegistry.Rejection(
                        ConfigRegistry.REFUSED, "credentialEnv KAFKA_SASL_PASSWORD is not exposed"));
        assertThat(checked.refusal(MODELS, "m", hostile, null)).isEqualTo(rejection);
        assertThat(checked.model("m").orElseThrow().credentialEnv()).isEqualTo("ASSAY_KEY_A");
        // and a registry without a check (the other services) takes it as schema-valid
        assertThat(ConfigRegistry.check(MODELS, "m", hostile)).isEmpty();
    }

    @Test
    void anUnregisteredBenchmarkHasItsDefaults() {
        assertThat(registry.registered("dyval")).isEmpty();
        assertThat(registry.benchmark("dyval").benchmark()).isEqualTo("dyval");

        registry.apply(
                BENCHMARKS, "dyval", "{\"benchmark\":\"dyval\",\"samplesPerItem\":2}".getBytes(StandardCharsets.UTF_8));

        assertThat(registry.benchmark("dyval").samplesOrDefault()).isEqualTo(2);
    }

    @Test
    void aLookupWaitsForARegistrationReadLater() throws Exception {
        CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> {
            try {
                return registry.awaitModel("sim-late", Duration.ofSeconds(10)).isPresent();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);

        registry.apply(MODELS, "sim-late", model("sim-late", 0.0));

        assertThat(found.get()).isTrue();
        assertThat(registry.awaitModel("never", Duration.ofMillis(50))).isEmpty();
    }

    @Test
    void theContractsSampleSpecsAreRegisteredAndItsInvalidOnesRefused() {
        for (EventType type : List.of(EventType.MODEL_SPEC, EventType.BENCHMARK_SPEC)) {
            String topic = type == EventType.MODEL_SPEC ? MODELS : BENCHMARKS;
            for (Samples.Sample sample : Samples.valid(type)) {
                assertThat(registry.apply(topic, sample.key(), sample.bytes()))
                        .as(sample.name())
                        .isEmpty();
            }
            for (Samples.Sample sample : Samples.invalid(type)) {
                assertThat(registry.apply(topic, sample.key(), sample.bytes()))
                        .as(sample.name())
                        .isPresent();
            }
        }
        assertThat(registry.models())
                .hasSize(Samples.valid(EventType.MODEL_SPEC).size());
        assertThat(registry.benchmarks())
                .hasSize(Samples.valid(EventType.BENCHMARK_SPEC).size());
    }

    private static byte[] model(String id, double skill) {
        return ("{\"modelId\":\"" + id + "\",\"provider\":\"sim\",\"sim\":{\"skill\":" + skill + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
