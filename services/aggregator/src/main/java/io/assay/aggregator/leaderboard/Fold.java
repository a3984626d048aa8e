package io.assay.aggregator.leaderboard;

import io.assay.contracts.Judgment;
import java.util.Objects;

/**
 * Folds judgments into slots, exactly once per slot. A slot is one judge's verdict on
 * one model's answer to one variant of one item ({@link #slotKey}); it holds the judgment that
 * currently counts:
 *
 * <ul>
 *   <li>the same judgmentId again is a redelivery: ignored;</li>
 *   <li>another judgmentId with a revision at least the slot's replaces it (a revised item, or a
 *       re-judgment, replaces the old verdict);</li>
 *   <li>an older revision is stale: ignored.</li>
 * </ul>
 *
 * <p>Every judgment of an item lands on one partition (they are keyed {@code benchmark/itemId}),
 * so a fold per stream task sees every judgment of its slots and the dedup is complete.
 *
 * <p>The slots and how they are served: docs/aggregation.md; why this dedup and exactly-once v2
 * together count every judgment once: docs/delivery.md.
 */
public final class Fold {
    /** Separates the parts of store keys; benchmark names cannot contain it. */
    public static final String SEPARATOR = "|";
    /** Stands for an absent part (an imported judgment without variant, an item without category). */
    public static final String NONE = "-";

    private final FoldStore store;

    /** A fold over {@code store}. */
    public Fold(FoldStore store) {
        this.store = store;
    }

    /**
     * The slot of a judgment: {@code benchmark|itemId|modelId|variant|judgeId}, and {@code |baseline}
     * for pairwise and preference judgments (one judge compares a model with several baselines).
     */
    public static String slotKey(Judgment judgment) {
        String variant = judgment.subject().variant() == null
                ? NONE
                : judgment.subject().variant().label();
        String key = String.join(
                SEPARATOR,
                judgment.benchmark(),
                judgment.itemId(),
                judgment.subject().modelId(),
                variant,
                judgment.judge().id());
        String baseline =
                judgment.pairwise() != null ? judgment.pairwise().baselineModel() : Slot.baselineOfPreference(judgment);
        return baseline == null ? key : key + SEPARATOR + baseline;
    }

    /** The prefix of every slot key of a benchmark (benchmark names cannot contain the separator). */
    public static String prefix(String benchmark) {
        return benchmark + SEPARATOR;
    }

    /** Folds one (schema-valid) judgment and says what it did. */
    public FoldOutcome apply(Judgment judgment) {
        Slot incoming = Slot.of(judgment, revision(judgment));
        String key = slotKey(judgment);
        Slot current = store.slot(key);
        FoldOutcome outcome;
        if (current == null) {
            outcome = FoldOutcome.COUNTED;
        } else if (Objects.equals(current.judgmentId(), incoming.judgmentId())) {
            return FoldOutcome.DUPLICATE;
        } else if (incoming.revision() < current.revision()) {
            return FoldOutcome.STALE;
        } else {
            outcome = FoldOutcome.REVISED;
        }
        store.putSlot(key, incoming);
        return outcome;
    }

    /** An absent revision is the item's first (the schema's minimum). */
    private static int revision(Judgment judgment) {
        return judgment.revision() == null ? 1 : judgment.revision();
    }
}
