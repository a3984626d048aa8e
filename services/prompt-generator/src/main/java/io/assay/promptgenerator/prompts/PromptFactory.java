package io.assay.promptgenerator.prompts;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Choices;
import io.assay.contracts.Ids;
import io.assay.contracts.Json;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Variant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the evaluate requests for one item, one model and one variant.
 *
 * <p>What the item and model fingerprints cover, and why: docs/revisions.md.
 */
public final class PromptFactory {
    private final PromptRenderer renderer;

    /** A factory rendering with {@code renderer}. */
    public PromptFactory(PromptRenderer renderer) {
        this.renderer = renderer;
    }

    /**
     * The request asking {@code model} to answer {@code variant} of {@code item}; with {@code shuffleChoices}
     * its variant carries the item's choice order, which the messages, the choices and the simulation hints
     * follow.
     */
    public PromptRequest evaluate(BenchmarkItem item, ModelSpec model, PlannedVariant variant, Instant now) {
        SamplingParams params = model.paramsOrDefault();
        Variant asked = variant.forItem(item);
        List<Integer> permutation = asked.permutation();
        String requestId = Ids.requestId(
                item.benchmark(), item.itemId(), item.revisionOrDefault(), model.modelId(), asked, params);
        return new PromptRequest(
                requestId,
                Purpose.EVALUATE,
                item.benchmark(),
                item.itemId(),
                item.revisionOrDefault(),
                model.modelId(),
                asked,
                renderer.render(item, variant.template(), permutation),
                params,
                item.categoryOrDefault(),
                item.publishedAt(),
                AnswerFormat.of(item),
                item.choices() == null ? null : Choices.shown(item.choices(), permutation),
                model.simulated() ? SimulationHints.of(item, permutation) : null,
                null,
                null,
                now);
    }

    /**
     * The fingerprint of what in a model decides which requests it gets: its sampling params (part of
     * every request id) and the benchmarks it evaluates. A model whose fingerprint changes is
     * back-filled. Other changes (a new endpoint, a new simulated skill) would re-send requests under
     * the ids already answered, which every stage rightly treats as redeliveries: a model that
     * behaves differently is a new model and is registered under a new modelId.
     */
    public static String modelFingerprint(ModelSpec model) {
        List<String> benchmarks = new ArrayList<>(model.benchmarks() == null ? List.of() : model.benchmarks());
        benchmarks.sort(null);
        return Ids.hash("model", Json.canonical(model.paramsOrDefault()), Json.canonical(benchmarks));
    }

    /**
     * The fingerprint of what in an item is evaluated: its input, choices, reference, category and
     * difficulty. Event time, source, tags and metadata are not part of it, so re-publishing an item
     * (say, by running a generator again) does not evaluate it again.
     */
    public static String itemFingerprint(BenchmarkItem item) {
        return Ids.hash(
                "item",
                Json.canonical(item.prompt()),
                Json.canonical(item.messages()),
                Json.canonical(item.choices()),
                Json.canonical(item.reference()),
                item.categoryOrDefault(),
                Json.canonical(item.difficulty()));
    }
}
