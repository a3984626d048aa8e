package io.assay.promptgenerator.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.Evaluation;
import io.assay.contracts.Ids;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.PromptTemplate;
import io.assay.contracts.Provider;
import io.assay.contracts.Reference;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Variant;
import io.assay.promptgenerator.prompts.ItemPlan.Outcome;
import io.assay.promptgenerator.prompts.ItemPlan.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The planner's prompting and back-fill rules, over maps: no Kafka. */
class PromptPlannerTest {
    private static final Instant NOW = Instant.parse("2026-02-01T00:00:00Z");
    private static final PromptTemplate T1 = new PromptTemplate("t1", "1", null, "{{input}}");
    private static final PromptTemplate T2 = new PromptTemplate("t2", "1", "Answer briefly.", "Q: {{input}}");

    private final Map<String, ModelSpec> models = new TreeMap<>();
    private final Map<String, BenchmarkSpec> specs = new HashMap<>();
    private final Map<String, List<String>> irtRankings = new HashMap<>();
    private final MapStore store = new MapStore();
    private final PromptPlanner planner = new PromptPlanner(
            new PromptFactory(new PromptRenderer()),
            Registrations.of(
                    () -> models,
                    b -> specs.getOrDefault(b, BenchmarkSpec.defaults(b)),
                    b -> irtRankings.getOrDefault(b, List.of())),
            store);

    @Test
    void aNewItemIsPromptedForTheAcknowledgedModelsTimesTheVariants() {
        // Given two models of benchmark a, one of benchmark b, applied; a spec of two templates, two samples
        specs.put("a", spec("a", 2, T1, T2));
        register(model("m1", null, "a"));
        register(model("m2", new SamplingParams(0.7, null, 128, null, null, null, null), "a"));
        register(model("other", null, "b"));
        assertThat(reconcile()).isEmpty();

        // When an item of a arrives
        ItemPlan plan = planner.accept(item("a", "i1", 1, "What is 2+3?"), NOW);

        // Then it is prompted once per model of a and variant, under the deterministic ids
        assertThat(plan.outcome()).isEqualTo(Outcome.NEW);
        assertThat(plan.rejection()).isNull();
        assertThat(plan.prompts())
                .extracting(PromptPlannerTest::describe)
                .containsExactlyInAnyOrder(
                        "i1@1|m1|t1#0",
                        "i1@1|m1|t1#1",
                        "i1@1|m1|t2#0",
                        "i1@1|m1|t2#1",
                        "i1@1|m2|t1#0",
                        "i1@1|m2|t1#1",
                        "i1@1|m2|t2#0",
                        "i1@1|m2|t2#1");
        assertThat(plan.prompts())
                .extracting(PromptRequest::requestId)
                .contains(Ids.requestId(
                        "a",
                        "i1",
                        1,
                        "m2",
                        new Variant("t2", "1", 1, null),
                        models.get("m2").params()));
        assertThat(plan.prompts()).allSatisfy(p -> assertThat(p.createdAt()).isEqualTo(NOW));
        // And nothing is left for the reconciliation to back-fill
        assertThat(reconcile()).isEmpty();
    }

    @Test
    void aModelRegisteredSinceTheLastReconciliationWaitsForItsBackFill() {
        // Given a model registered but not yet applied by a reconciliation
        register(model("m1", null, "a"));

        // When an item arrives, it is not prompted for it yet
        assertThat(planner.accept(item("a", "i1", 1, "Question"), NOW).prompts())
                .isEmpty();

        // Then the next reconciliation back-fills it, once
        assertThat(reconcile()).extracting(PromptPlannerTest::describe).containsExactly("i1@1|m1|plain#0");
        assertThat(reconcile()).isEmpty();
    }

    @Test
    void anUnchangedRePublicationIsNotPromptedAgain() {
        // Given an item prompted for one model
        applied(model("m1", null, "a"));
        BenchmarkItem item = item("a", "i1", 1, "What is 1+1?");
        assertThat(planner.accept(item, NOW).prompts()).hasSize(1);

        // When it is re-published with the same content, at another time and with other tags
        BenchmarkItem again = new BenchmarkItem(
                "a",
                "i1",
                1,
                NOW,
                "rerun",
                null,
                List.of("new-tag"),
                "What is 1+1?",
                null,
                null,
                Reference.answer("a"),
                null,
                null);
        ItemPlan plan = planner.accept(again, NOW);

        // Then it is unchanged: nothing to emit, nothing to back-fill
        assertThat(plan.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(plan.outcome().tag()).isEqualTo("unchanged");
        assertThat(plan.prompts()).isEmpty();
        assertThat(reconcile()).isEmpty();
    }

    @Test
    void aContentChangeWithoutARevisionBumpIsRejectedAndTheStoredItemStands() {
        // Given revision 2 of an item, prompted
        applied(model("m1", null, "a"));
        planner.accept(item("a", "i1", 2, "What is 1+1?"), NOW);

        // When its content changes under the same revision
        ItemPlan plan = planner.accept(item("a", "i1", 2, "What is 1+2?"), NOW);

        // Then it is rejected with a reason that says what to do, and nothing is prompted
        assertThat(plan.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(plan.outcome().tag()).isEqualTo("invalid");
        assertThat(plan.rejection().reasonClass()).isEqualTo(Rejection.REVISION_NOT_BUMPED);
        assertThat(plan.rejection().reason()).contains("revision 2 did not").contains("as revision 3");
        assertThat(plan.prompts()).isEmpty();
        // And a model added later is back-filled with the content that was prompted
        register(model("m2", null, "a"));
        assertThat(reconcile())
                .singleElement()
                .satisfies(
                        p -> assertThat(p.messages().get(0).content().asText()).startsWith("What is 1+1?"));
    }

    @Test
    void aLateOlderRevisionIsStaleAndANewerOneIsPrompted() {
        // Given revision 2 of an item, prompted
        applied(model("m1", null, "a"));
        planner.accept(item("a", "i1", 2, "What is 1+1? (fixed)"), NOW);

        // When revision 1 arrives late
        ItemPlan late = planner.accept(item("a", "i1", 1, "What is 1+1?"), NOW);

        // Then it is stale and nothing is prompted
        assertThat(late.outcome()).isEqualTo(Outcome.STALE);
        assertThat(late.prompts()).isEmpty();

        // When revision 3 arrives, it is prompted under new ids
        ItemPlan newer = planner.accept(item("a", "i1", 3, "What is 1+1? (again)"), NOW);
        assertThat(newer.outcome()).isEqualTo(Outcome.NEW);
        assertThat(newer.prompts()).extracting(PromptPlannerTest::describe).containsExactly("i1@3|m1|plain#0");

        // And a model added later is back-filled over revision 3 only
        register(model("m2", null, "a"));
        assertThat(reconcile()).extracting(PromptPlannerTest::describe).containsExactly("i1@3|m2|plain#0");
    }

    @Test
    void aModelAddedLaterIsBackFilledOverTheStoredItemsOfTheBenchmarksItEvaluates() {
        // Given items of benchmarks a, b and c prompted for a model of each
        applied(model("ma", null, "a"), model("mb", null, "b"), model("mc", null, "c"));
        planner.accept(item("a", "i1", 1, "Question a1"), NOW);
        planner.accept(item("a", "i2", 1, "Question a2"), NOW);
        planner.accept(item("b", "i1", 1, "Question b1"), NOW);
        planner.accept(item("c", "i1", 1, "Question c1"), NOW);

        // When a model of a and b is registered
        register(model("new", null, "a", "b"));
        List<PromptRequest> backfilled = reconcile();

        // Then it alone is prompted, once for each stored item of a and b
        assertThat(backfilled)
                .extracting(p -> p.benchmark() + "/" + describe(p))
                .containsExactlyInAnyOrder("a/i1@1|new|plain#0", "a/i2@1|new|plain#0", "b/i1@1|new|plain#0");
        assertThat(reconcile()).isEmpty();
        // And the next item of a is prompted for it directly
        assertThat(planner.accept(item("a", "i3", 1, "Question a3"), NOW).prompts())
                .extracting(PromptRequest::modelId)
                .containsExactlyInAnyOrder("ma", "new");
    }

    @Test
    void aModelWhoseParamsChangeIsBackFilledUnderNewIds() {
        // Given an item prompted for a model
        applied(model("m1", null, "a"));
        planner.accept(item("a", "i1", 1, "Question"), NOW);

        // When its params change
        SamplingParams hot = new SamplingParams(1.0, null, null, null, null, null, null);
        register(model("m1", hot, "a"));

        // Then the item is prompted again under the ids of the new params
        assertThat(reconcile())
                .extracting(PromptRequest::requestId)
                .containsExactly(Ids.requestId("a", "i1", 1, "m1", new Variant("plain", "1", 0, null), hot));
        assertThat(reconcile()).isEmpty();
    }

    @Test
    void aNewVariantIsBackFilledForTheKnownModels() {
        // Given two items of a one-template benchmark prompted for two models
        specs.put("a", spec("a", 1, T1));
        applied(model("m1", null, "a"), model("m2", null, "a"));
        planner.accept(item("a", "i1", 1, "Question 1"), NOW);
        planner.accept(item("a", "i2", 1, "Question 2"), NOW);

        // When the spec adds a second template
        specs.put("a", spec("a", 1, T1, T2));
        List<PromptRequest> backfilled = reconcile();

        // Then every item is prompted for every model in the new variant only, once
        assertThat(backfilled)
                .extracting(PromptPlannerTest::describe)
                .containsExactlyInAnyOrder("i1@1|m1|t2#0", "i1@1|m2|t2#0", "i2@1|m1|t2#0", "i2@1|m2|t2#0");
        assertThat(backfilled.get(0).messages().get(0).content().asText()).isEqualTo("Answer briefly.");
        assertThat(reconcile()).isEmpty();
        // And a new item gets both variants
        assertThat(planner.accept(item("a", "i3", 1, "Question 3"), NOW).prompts())
                .hasSize(4);
    }

    @Test
    void aRetiredModelIsForgottenAndGetsNoPrompts() {
        // Given an item prompted for two models
        applied(model("keep", null, "a"), model("retire", null, "a"));
        planner.accept(item("a", "i1", 1, "Question 1"), NOW);

        // When one is retired
        models.remove("retire");

        // Then the reconciliation forgets it and emits nothing, and a new item is not prompted for it
        assertThat(reconcile()).isEmpty();
        assertThat(store.acknowledgement("model:retire")).isNull();
        assertThat(planner.accept(item("a", "i2", 1, "Question 2"), NOW).prompts())
                .extracting(PromptRequest::modelId)
                .containsExactly("keep");

        // And registered again, it is a new model to the planner: back-filled over every item
        register(model("retire", null, "a"));
        assertThat(reconcile())
                .extracting(PromptPlannerTest::describe)
                .containsExactlyInAnyOrder("i1@1|retire|plain#0", "i2@1|retire|plain#0");
    }

    @Test
    void aDeletedItemIsNotBackFilled() {
        // Given two items, one then deleted
        applied(model("m1", null, "a"));
        planner.accept(item("a", "i1", 1, "Question 1"), NOW);
        planner.accept(item("a", "i2", 1, "Question 2"), NOW);
        assertThat(planner.delete("a/i2").outcome()).isEqualTo(Outcome.DELETED);
        assertThat(planner.delete(null).outcome()).isEqualTo(Outcome.DELETED);

        // When a model is added
        register(model("m2", null, "a"));

        // Then only the remaining item is back-filled
        assertThat(reconcile()).extracting(PromptPlannerTest::describe).containsExactly("i1@1|m2|plain#0");
    }

    @Test
    void underTheAnchorsPolicyANewItemGoesToTheAnchorsAndAShareOfTheOthers() {
        // Given anchors a1, a2 and ten other models; new items go to the anchors and a third of the others
        specs.put(
                "a",
                new BenchmarkSpec(
                        "a",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new Evaluation(Evaluation.ANCHORS, List.of("a1", "a2"), 1.0 / 3, null)));
        applied(model("a1", null, "a"), model("a2", null, "a"));
        for (int m = 0; m < 10; m++) {
            applied(model("m" + m, null, "a"));
        }

        // When 300 items arrive
        Map<String, Integer> asked = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            for (PromptRequest p :
                    planner.accept(item("a", "i" + i, 1, "Q" + i), NOW).prompts()) {
                asked.merge(p.modelId(), 1, Integer::sum);
                // the draw is the contract's: any replica or replay asks the same models
                assertThat(new Evaluation(Evaluation.ANCHORS, List.of("a1", "a2"), 1.0 / 3, null)
                                .asks("a", p.itemId(), p.modelId()))
                        .isTrue();
            }
        }

        // Then the anchors answer all, every other model about a third (binomial sd 8)
        assertThat(asked).containsEntry("a1", 300).containsEntry("a2", 300);
        for (int m = 0; m < 10; m++) {
            assertThat(asked.get("m" + m)).as("m%d", m).isBetween(70, 130);
        }
        // And a model registered later is back-filled on every item, to have a history
        register(model("late", null, "a"));
        assertThat(reconcile()).hasSize(300);
    }

    @Test
    void anAnchorCountTakesAnchorsSpreadOverTheIrtRankingAndEveryModelWithoutAnAbility() {
        // Given a benchmark whose generator chooses 3 anchors and asks no other model (share 0), and 8 models
        specs.put(
                "a",
                new BenchmarkSpec(
                        "a",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new Evaluation(Evaluation.ANCHORS, null, 0.0, 3)));
        for (int m = 0; m < 8; m++) {
            applied(model("m" + m, null, "a"));
        }

        // When no irt ranking is published yet, every model is an anchor
        assertThat(planner.accept(item("a", "i0", 1, "Q0"), NOW).prompts()).hasSize(8);

        // When the ranking (best first) has seven of them and a retired model
        irtRankings.put("a", List.of("m6", "m5", "retired", "m4", "m3", "m2", "m1", "m0"));
        List<String> asked = planner.accept(item("a", "i1", 1, "Q1"), NOW).prompts().stream()
                .map(PromptRequest::modelId)
                .toList();

        // Then the anchors are positions 0, 3 and 6 of the seven registered ranked models (m6, m3, m0),
        // and m7, with no ability yet, is asked too
        assertThat(asked).containsExactlyInAnyOrder("m6", "m3", "m0", "m7");
    }

    /** Registers the models and lets a reconciliation apply them (the task has no items yet). */
    private void applied(ModelSpec... added) {
        for (ModelSpec model : added) {
            register(model);
        }
        assertThat(reconcile()).isEmpty();
    }

    private void register(ModelSpec model) {
        models.put(model.modelId(), model);
    }

    private List<PromptRequest> reconcile() {
        List<PromptRequest> backfilled = new ArrayList<>();
        int count = planner.reconcile(NOW, backfilled::add);
        assertThat(count).isEqualTo(backfilled.size());
        return backfilled;
    }

    /** {@code itemId@revision|modelId|format#sample}. */
    private static String describe(PromptRequest p) {
        return p.itemId() + "@" + p.revision() + "|" + p.modelId() + "|"
                + p.variant().format() + "#" + p.variant().sample();
    }

    private static ModelSpec model(String modelId, SamplingParams params, String... benchmarks) {
        return new ModelSpec(
                modelId,
                null,
                Provider.SIM,
                null,
                null,
                null,
                params,
                null,
                null,
                null,
                null,
                List.of(benchmarks),
                new ModelSpec.SimSpec(0.5, null, null, null, 1L),
                null);
    }

    private static BenchmarkItem item(String benchmark, String itemId, int revision, String prompt) {
        return new BenchmarkItem(
                benchmark,
                itemId,
                revision,
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null,
                prompt,
                null,
                null,
                Reference.answer("a"),
                null,
                null);
    }

    private static BenchmarkSpec spec(String benchmark, int samples, PromptTemplate... templates) {
        return new BenchmarkSpec(benchmark, null, List.of(templates), samples, null, null, null, null, null);
    }

    /** A {@link PlannerStore} over sorted maps, as the task's stores iterate in key order. */
    private static final class MapStore implements PlannerStore {
        private final TreeMap<String, StoredItem> items = new TreeMap<>();
        private final TreeMap<String, String> acknowledged = new TreeMap<>();

        @Override
        public StoredItem item(String key) {
            return items.get(key);
        }

        @Override
        public void putItem(String key, StoredItem item) {
            items.put(key, item);
        }

        @Override
        public void deleteItem(String key) {
            items.remove(key);
        }

        @Override
        public void forEachItem(String keyPrefix, Consumer<StoredItem> action) {
            items.tailMap(keyPrefix).entrySet().stream()
                    .takeWhile(e -> e.getKey().startsWith(keyPrefix))
                    .forEach(e -> action.accept(e.getValue()));
        }

        @Override
        public String acknowledgement(String key) {
            return acknowledged.get(key);
        }

        @Override
        public Map<String, String> acknowledgements(String keyPrefix) {
            Map<String, String> found = new TreeMap<>();
            acknowledged.tailMap(keyPrefix).entrySet().stream()
                    .takeWhile(e -> e.getKey().startsWith(keyPrefix))
                    .forEach(e -> found.put(e.getKey(), e.getValue()));
            return found;
        }

        @Override
        public void acknowledge(String key, String value) {
            acknowledged.put(key, value);
        }

        @Override
        public void forget(String key) {
            acknowledged.remove(key);
        }
    }
}
