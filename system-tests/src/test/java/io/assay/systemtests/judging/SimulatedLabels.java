package io.assay.systemtests.judging;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.FoldStore;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.Origin;
import io.assay.contracts.PairwiseOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the simulated-truth tests of human review share: a human's label of a judgment, and the fold of a ledger. */
final class SimulatedLabels {
    private SimulatedLabels() {}

    /** {@code human}'s label of pairwise judgment {@code j} at {@code at}: its subject and baseline, the truth as the verdict. */
    static Judgment label(Judgment j, JudgeSpec human, PairwiseOutcome truth, Instant at) {
        return new Judgment(
                Ids.hash("label", j.judgmentId(), human.id()),
                j.benchmark(),
                j.itemId(),
                j.revision(),
                j.category(),
                j.publishedAt(),
                human,
                j.subject(),
                j.kind(),
                null,
                null,
                new Judgment.Pairwise(
                        truth, j.pairwise().baselineModel(), j.pairwise().baselineRequestId(), null, null, null),
                null,
                null,
                false,
                false,
                false,
                "labelled from the simulated truth",
                null,
                Origin.HUMAN,
                at);
    }

    /** The slots the aggregator's fold makes of {@code ledger}, in key order. */
    static List<Slot> slots(List<Judgment> ledger) {
        Map<String, Slot> store = new TreeMap<>();
        Fold fold = new Fold(new FoldStore() {
            @Override
            public Slot slot(String key) {
                return store.get(key);
            }

            @Override
            public void putSlot(String key, Slot slot) {
                store.put(key, slot);
            }
        });
        ledger.forEach(fold::apply);
        return List.copyOf(store.values());
    }
}
