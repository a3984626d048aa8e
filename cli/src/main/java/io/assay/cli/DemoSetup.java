package io.assay.cli;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Provider;
import io.assay.contracts.SamplingParams;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the demo registers: four simulated models with well-separated latent skills and a generated
 * benchmark. The models are simulators, not language models, and are labelled so everywhere.
 */
public final class DemoSetup {
    private DemoSetup() {}

    /** The demo's simulated models, strongest first. */
    public static List<ModelSpec> models(Instant now) {
        return List.of(
                        sim("sim-alpha", "Simulated model (skill 1.5)", 1.5, 700, 25, 101),
                        sim("sim-bravo", "Simulated model (skill 0.5)", 0.5, 450, 15, 102),
                        sim("sim-charlie", "Simulated model (skill -0.5)", -0.5, 300, 10, 103),
                        sim("sim-delta", "Simulated model (skill -1.5)", -1.5, 200, 5, 104))
                .stream()
                .map(m -> withTime(m, now))
                .toList();
    }

    /** The generated benchmark's spec: one prompt format, reference judging, equal category weights. */
    public static BenchmarkSpec benchmark(String name, Instant now) {
        return new BenchmarkSpec(
                name,
                "DyVal-style generated reasoning items (arithmetic, logic, reachability)",
                List.of(BenchmarkSpec.DEFAULT_TEMPLATE),
                1,
                false,
                List.of(JudgeSpec.REFERENCE_AUTO),
                Map.of("arithmetic", 1.0, "logic", 1.0, "reachability", 1.0),
                List.of(),
                now);
    }

    private static ModelSpec sim(String id, String name, double skill, int chars, int latencyMs, long seed) {
        return new ModelSpec(
                id,
                name,
                Provider.SIM,
                null,
                null,
                null,
                new SamplingParams(0.0, null, 1024, null, null, null, null),
                null,
                null,
                new ModelSpec.Price(0.0, 0.0),
                new ModelSpec.Limits(16, null, null),
                List.of(),
                new ModelSpec.SimSpec(skill, chars, latencyMs, 0.02, seed),
                null);
    }

    private static ModelSpec withTime(ModelSpec m, Instant now) {
        return new ModelSpec(
                m.modelId(),
                m.displayName(),
                m.provider(),
                m.baseUrl(),
                m.providerModel(),
                m.credentialEnv(),
                m.params(),
                m.knowledgeCutoff(),
                m.previousVersion(),
                m.price(),
                m.limits(),
                m.benchmarks(),
                m.sim(),
                now);
    }
}
