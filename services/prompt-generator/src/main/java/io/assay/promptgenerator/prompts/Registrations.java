package io.assay.promptgenerator.prompts;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.ModelSpec;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** The registered models and benchmark specs, as {@link PromptPlanner} reads them. */
public interface Registrations {

    /** Every registered model by id, in id order. */
    Map<String, ModelSpec> models();

    /** The spec of {@code benchmark}, or {@link BenchmarkSpec#defaults} when it has none. */
    BenchmarkSpec benchmark(String benchmark);

    /** Registrations read from two functions, e.g. {@code Registrations.of(registry::models, registry::benchmark)}. */
    static Registrations of(Supplier<Map<String, ModelSpec>> models, Function<String, BenchmarkSpec> benchmarks) {
        return new Registrations() {
            @Override
            public Map<String, ModelSpec> models() {
                return models.get();
            }

            @Override
            public BenchmarkSpec benchmark(String benchmark) {
                return benchmarks.apply(benchmark);
            }
        };
    }
}
