package io.assay.promptgenerator.prompts;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.Evaluation;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.promptgenerator.prompts.ItemPlan.Outcome;
import io.assay.promptgenerator.prompts.ItemPlan.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Turns items into prompts for every registered model and variant, and back-fills a task's items
 * when a model or a variant is added. It knows nothing of Kafka: the stream processor parses the
 * item, calls it and emits what it returns.
 *
 * <p>The task records in its {@link PlannerStore} which models (with the fingerprint of their
 * prompt-relevant fields) and which variants it has applied. A new item is prompted only for
 * acknowledged models and variants; {@link #reconcile} finds registered models and variants that are
 * not yet acknowledged, prompts every stored item for them, and then acknowledges them. The processor
 * runs both on the stream thread and commits their output with the store in one transaction
 * (exactly-once v2), so every (item, model, variant) is prompted once.
 *
 * <p>Acknowledgements are kept under {@code model:<modelId>} (the model's fingerprint),
 * {@code variant:<benchmark>:<label>} and {@code benchmark:<name>} (the task has items of it).
 *
 * <p>Why an item is prompted once per revision, what a re-publish, a content change or a late revision
 * does, and how models and variants are back-filled: docs/revisions.md.
 */
public final class PromptPlanner {
    private static final Logger LOG = Logger.getLogger(PromptPlanner.class);
    private static final String MODEL = "model:";
    private static final String VARIANT = "variant:";
    private static final String BENCHMARK = "benchmark:";
    private static final String ACKNOWLEDGED = "1";

    private final PromptFactory factory;
    private final Registrations registrations;
    private final PlannerStore store;
    private final Map<String, Registered> fingerprints = new HashMap<>();
    /** The anchors last chosen per benchmark, to log a change once. */
    private final Map<String, List<String>> chosenAnchors = new HashMap<>();

    /** A planner building requests with {@code factory}, over {@code store}. */
    public PromptPlanner(PromptFactory factory, Registrations registrations, PlannerStore store) {
        this.factory = factory;
        this.registrations = registrations;
        this.store = store;
    }

    /**
     * Plans a (schema-valid, correctly keyed) item: a new item or revision is stored and prompted for
     * the acknowledged models and variants; an unchanged re-publication or an older revision is
     * skipped; a content change under the stored revision is rejected.
     *
     * @param now the time the requests are created at
     */
    public ItemPlan accept(BenchmarkItem item, Instant now) {
        String fingerprint = PromptFactory.itemFingerprint(item);
        StoredItem stored = store.item(item.key());
        if (stored != null) {
            int storedRevision = stored.item().revisionOrDefault();
            if (item.revisionOrDefault() < storedRevision) {
                // An older revision published late (say, an old file ingested again): the newer one stands.
                return ItemPlan.skipped(Outcome.STALE);
            }
            if (item.revisionOrDefault() == storedRevision) {
                if (fingerprint.equals(stored.fingerprint())) {
                    return ItemPlan.skipped(Outcome.UNCHANGED);
                }
                // Its requests would reuse the ids already answered; a content change needs a new revision.
                return ItemPlan.rejected(
                        Rejection.REVISION_NOT_BUMPED,
                        "the content of " + item.key() + " changed but its revision " + storedRevision
                                + " did not; publish the change as revision " + (storedRevision + 1));
            }
        }
        List<PromptRequest> prompts;
        try {
            prompts = promptsForNewItem(item, now);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Cannot prompt item %s", item.key());
            return ItemPlan.rejected(Rejection.PROCESSING_ERROR, e.toString());
        }
        store.putItem(item.key(), new StoredItem(fingerprint, item));
        return ItemPlan.prompted(prompts);
    }

    /** Forgets a deleted item (a tombstone): it is not prompted again. A {@code null} key deletes nothing. */
    public ItemPlan delete(String key) {
        if (key != null) {
            store.deleteItem(key);
        }
        return ItemPlan.skipped(Outcome.DELETED);
    }

    /**
     * Acknowledged models times acknowledged variants, of the models the benchmark's evaluation policy asks
     * ({@link Evaluation#asks}: all, or the anchors and a share of the others); the reconciliation covers the
     * rest, unsampled.
     */
    private List<PromptRequest> promptsForNewItem(BenchmarkItem item, Instant now) {
        String benchmark = item.benchmark();
        BenchmarkSpec spec = registrations.benchmark(benchmark);
        List<PlannedVariant> variants = Variants.of(spec);
        if (store.acknowledgement(BENCHMARK + benchmark) == null) {
            // The task's first item of this benchmark: no other item needs a back-fill for its
            // current variants, so they are acknowledged now rather than at the next reconciliation.
            store.acknowledge(BENCHMARK + benchmark, ACKNOWLEDGED);
            for (PlannedVariant variant : variants) {
                store.acknowledge(variantKey(benchmark, variant), ACKNOWLEDGED);
            }
        }
        List<Registered> models = registered();
        Evaluation evaluation = evaluation(spec, benchmark, models);
        List<PromptRequest> prompts = new ArrayList<>();
        for (Registered model : models) {
            if (!model.spec().evaluates(benchmark)
                    || !Evaluation.asks(
                            evaluation, benchmark, item.itemId(), model.spec().modelId())
                    || !model.fingerprint()
                            .equals(store.acknowledgement(MODEL + model.spec().modelId()))) {
                continue;
            }
            for (PlannedVariant variant : variants) {
                if (store.acknowledgement(variantKey(benchmark, variant)) != null) {
                    prompts.add(factory.evaluate(item, model.spec(), variant, now));
                }
            }
        }
        return prompts;
    }

    /**
     * The benchmark's evaluation policy with its anchors: as declared, or, when the generator chooses them
     * ({@link Evaluation#choosesAnchors}), {@code anchorCount} models evenly spread over the latest {@code irt}
     * ranking ({@link Evaluation#spread}) of those that evaluate the benchmark, plus every such model the
     * ranking does not have yet (no ability: it needs answers). With no ranking at all, every model is an
     * anchor. docs/aggregation.md, "Anchors chosen for information".
     */
    private Evaluation evaluation(BenchmarkSpec spec, String benchmark, List<Registered> models) {
        Evaluation evaluation = spec == null ? null : spec.evaluation();
        if (evaluation == null || !evaluation.choosesAnchors()) {
            return evaluation;
        }
        Set<String> evaluating = new LinkedHashSet<>();
        for (Registered model : models) {
            if (model.spec().evaluates(benchmark)) {
                evaluating.add(model.spec().modelId());
            }
        }
        List<String> ranked = registrations.irtRanking(benchmark).stream()
                .filter(evaluating::contains)
                .distinct()
                .toList();
        List<String> anchors = new ArrayList<>(Evaluation.spread(ranked, evaluation.anchorCount()));
        evaluating.stream().filter(m -> !ranked.contains(m)).forEach(anchors::add);
        if (!anchors.equals(chosenAnchors.put(benchmark, anchors))) {
            LOG.infof(
                    "%s: anchors %s (%d of the %d models in its irt ranking, %d without an ability yet)",
                    benchmark,
                    anchors,
                    Math.min(evaluation.anchorCount(), ranked.size()),
                    ranked.size(),
                    evaluating.size() - ranked.size());
        }
        return evaluation.withAnchors(anchors);
    }

    /**
     * Back-fills the stored items for the models and variants not yet acknowledged, then acknowledges
     * them; forgets retired models and removed variants. Every request passed to {@code backfill} is a
     * back-fill. They are handed over one by one, not returned, because a model added to a large
     * benchmark back-fills every item of it and the stream processor emits them as they come.
     *
     * @param now the time the requests are created at
     * @return how many requests were passed to {@code backfill}
     */
    public int reconcile(Instant now, Consumer<PromptRequest> backfill) {
        List<Registered> models = registered();
        Map<String, String> modelAcks = store.acknowledgements(MODEL);
        Set<String> registeredIds = new HashSet<>();
        List<Registered> added = new ArrayList<>();
        List<Registered> known = new ArrayList<>();
        for (Registered model : models) {
            registeredIds.add(model.spec().modelId());
            boolean current = model.fingerprint()
                    .equals(modelAcks.get(MODEL + model.spec().modelId()));
            (current ? known : added).add(model);
        }
        for (String key : modelAcks.keySet()) {
            if (!registeredIds.contains(key.substring(MODEL.length()))) {
                store.forget(key);
            }
        }
        int count = 0;
        for (String benchmarkKey : store.acknowledgements(BENCHMARK).keySet()) {
            count += reconcileBenchmark(benchmarkKey.substring(BENCHMARK.length()), added, known, now, backfill);
        }
        for (Registered model : added) {
            store.acknowledge(MODEL + model.spec().modelId(), model.fingerprint());
            LOG.debugf("Model %s applied (fingerprint %s)", model.spec().modelId(), model.fingerprint());
        }
        return count;
    }

    private int reconcileBenchmark(
            String benchmark,
            List<Registered> added,
            List<Registered> known,
            Instant now,
            Consumer<PromptRequest> backfill) {
        List<PlannedVariant> variants = variants(benchmark);
        Map<String, String> variantAcks = store.acknowledgements(VARIANT + benchmark + ":");
        List<PlannedVariant> newVariants = new ArrayList<>();
        Set<String> current = new HashSet<>();
        for (PlannedVariant variant : variants) {
            String key = variantKey(benchmark, variant);
            current.add(key);
            if (!variantAcks.containsKey(key)) {
                newVariants.add(variant);
            }
        }
        List<Registered> addedHere =
                added.stream().filter(m -> m.spec().evaluates(benchmark)).toList();
        List<Registered> knownHere =
                known.stream().filter(m -> m.spec().evaluates(benchmark)).toList();
        int[] count = {0};
        if (!addedHere.isEmpty() || (!newVariants.isEmpty() && !knownHere.isEmpty())) {
            store.forEachItem(benchmark + "/", stored -> {
                count[0] += backfill(stored.item(), addedHere, variants, now, backfill);
                count[0] += backfill(stored.item(), knownHere, newVariants, now, backfill);
            });
            if (count[0] > 0) {
                LOG.infof(
                        "Back-filled %d prompts of benchmark %s (%d new models, %d new variants)",
                        count[0], benchmark, addedHere.size(), newVariants.size());
            }
        }
        for (PlannedVariant variant : newVariants) {
            store.acknowledge(variantKey(benchmark, variant), ACKNOWLEDGED);
        }
        for (String key : variantAcks.keySet()) {
            if (!current.contains(key)) {
                store.forget(key);
            }
        }
        return count[0];
    }

    private int backfill(
            BenchmarkItem item,
            List<Registered> models,
            List<PlannedVariant> variants,
            Instant now,
            Consumer<PromptRequest> backfill) {
        int count = 0;
        for (Registered model : models) {
            for (PlannedVariant variant : variants) {
                backfill.accept(factory.evaluate(item, model.spec(), variant, now));
                count++;
            }
        }
        return count;
    }

    /** The variants of a benchmark: from its spec, or {@link io.assay.contracts.BenchmarkSpec#defaults}. */
    private List<PlannedVariant> variants(String benchmark) {
        return Variants.of(registrations.benchmark(benchmark));
    }

    /**
     * The registered models with their fingerprints, in the registry's order. A fingerprint is
     * computed again only when the registry hands out another spec object for the model.
     */
    private List<Registered> registered() {
        Map<String, ModelSpec> models = registrations.models();
        List<Registered> out = new ArrayList<>(models.size());
        for (Map.Entry<String, ModelSpec> entry : models.entrySet()) {
            Registered cached = fingerprints.get(entry.getKey());
            if (cached == null || cached.spec() != entry.getValue()) {
                cached = new Registered(entry.getValue(), PromptFactory.modelFingerprint(entry.getValue()));
                fingerprints.put(entry.getKey(), cached);
            }
            out.add(cached);
        }
        fingerprints.keySet().retainAll(models.keySet());
        return out;
    }

    private static String variantKey(String benchmark, PlannedVariant variant) {
        return VARIANT + benchmark + ":" + variant.label();
    }

    /**
     * A registered model and the fingerprint of its prompt-relevant fields.
     *
     * @param spec the model
     * @param fingerprint {@link PromptFactory#modelFingerprint}
     */
    private record Registered(ModelSpec spec, String fingerprint) {}
}
