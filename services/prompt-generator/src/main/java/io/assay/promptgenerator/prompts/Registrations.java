package io.assay.promptgenerator.prompts;

import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.ModelSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The registered models and benchmark specs, and the benchmarks' latest {@code irt} rankings, as
 * {@link PromptPlanner} reads them.
 */
public interface Registrations {

    /** Every registered model by id, in id order. */
    Map<String, ModelSpec> models();

    /** The spec of {@code benchmark}, or {@link BenchmarkSpec#defaults} when it has none. */
    BenchmarkSpec benchmark(String benchmark);

    /**
     * The models of {@code benchmark}'s latest published {@code irt} view, best first; empty when none is
     * known. Read only for a policy that chooses its anchors ({@code Evaluation#choosesAnchors}).
     */
    List<String> irtRanking(String benchmark);

    /** Registrations read from two functions, e.g. {@code Registrations.of(registry::models, registry::benchmark)}; no rankings. */
    static Registrations of(Supplier<Map<String, ModelSpec>> models, Function<String, BenchmarkSpec> benchmarks) {
        return of(models, benchmarks, benchmark -> List.of());
    }

    /** Registrations read from three functions. */
    static Registrations of(
            Supplier<Map<String, ModelSpec>> models,
            Function<String, BenchmarkSpec> benchmarks,
            Function<String, List<String>> irtRankings) {
        return new Registrations() {
            @Override
            public Map<String, ModelSpec> models() {
                return models.get();
            }

            @Override
            public BenchmarkSpec benchmark(String benchmark) {
                return benchmarks.apply(benchmark);
            }

            @Override
            public List<String> irtRanking(String benchmark) {
                return irtRankings.apply(benchmark);
            }
        };
    }
}
