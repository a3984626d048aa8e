package io.assay.aggregator.rest;

import io.assay.aggregator.leaderboard.CallTally;
import io.assay.aggregator.messaging.LeaderboardReader;
import io.assay.contracts.LeaderboardSnapshot.LastError;
import io.assay.contracts.ModelSpec;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every model, registered or seen in evaluation calls, with how its calls ended per benchmark: what
 * {@code assay models list} prints, so a model whose calls all fail is seen with its cause.
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
    private final LeaderboardReader reader;

    /** Serves what {@code reader} reads (the registry and the call tallies). */
    public ModelResource(LeaderboardReader reader) {
        this.reader = reader;
    }

    /** Registered models and models seen in calls (a retired one), by modelId. */
    @GET
    public List<ModelCalls> models() {
        Map<String, ModelSpec> registered = reader.models();
        Map<String, Map<String, CallTally>> byModel = new TreeMap<>();
        reader.tallies()
                .forEach((benchmark, models) -> models.forEach((model, tally) ->
                        byModel.computeIfAbsent(model, m -> new TreeMap<>()).put(benchmark, tally)));
        TreeSet<String> ids = new TreeSet<>(registered.keySet());
        ids.addAll(byModel.keySet());
        List<ModelCalls> out = new ArrayList<>();
        for (String id : ids) {
            ModelSpec spec = registered.get(id);
            Map<String, CallTally> benchmarks = byModel.getOrDefault(id, Map.of());
            CallTally total = benchmarks.values().stream().reduce(CallTally.EMPTY, CallTally::plus);
            out.add(new ModelCalls(
                    id,
                    spec == null ? null : spec.provider().wireName(),
                    spec != null && spec.simulated(),
                    spec == null,
                    spec == null ? null : spec.baseUrl(),
                    spec == null ? null : spec.providerModel(),
                    spec == null ? null : spec.credentialEnv(),
                    total.answered(),
                    total.failed(),
                    total.failures(),
                    total.lastError(),
                    benchmarks));
        }
        return out;
    }

    /**
     * One model and its evaluation calls.
     *
     * @param modelId the model
     * @param provider its provider ({@code sim}, {@code openai}, {@code replay}), {@code null} when retired
     * @param simulated whether its answers are simulated
     * @param retired seen in calls but no longer registered
     * @param baseUrl its endpoint, when it has one
     * @param providerModel the provider's name for it
     * @param credentialEnv the name of the variable holding its key (never the key)
     * @param answered calls answered on every benchmark
     * @param failed calls failed on every benchmark
     * @param failures failed calls by {@code ModelError.kind}, every benchmark
     * @param lastError its most recent failure on any benchmark, {@code null} when none
     * @param benchmarks the same per benchmark
     */
    public record ModelCalls(
            String modelId,
            String provider,
            boolean simulated,
            boolean retired,
            String baseUrl,
            String providerModel,
            String credentialEnv,
            long answered,
            long failed,
            Map<String, Long> failures,
            LastError lastError,
            Map<String, CallTally> benchmarks) {}
}
