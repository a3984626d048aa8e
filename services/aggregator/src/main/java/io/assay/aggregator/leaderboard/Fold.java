package io.assay.aggregator.leaderboard;

import io.assay.contracts.Judgment;
import io.assay.contracts.Origin;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * Folds judgments into slots, exactly once per slot. A slot is one version of one judge's verdict on
 * one model's answer to one variant of one item ({@link #slotKey}); it holds the newest judgment of
 * that slot by {@link #NEWEST}: the highest item revision, then the latest {@code judgedAt}, then the
 * greatest judgmentId. The slot's content is therefore the maximum over every judgment the slot ever
 * received — whatever the delivery order, however often each is redelivered (A, B, A ends at the
 * newer of A and B, as does B, A or A, B, B, A):
 *
 * <ul>
 *   <li>the same judgmentId again is a redelivery ({@link FoldOutcome#DUPLICATE});</li>
 *   <li>a newer judgment replaces the slot's ({@link FoldOutcome#REVISED}: a revised item, a
 *       re-judgment);</li>
 *   <li>an older one is ignored ({@link FoldOutcome#STALE}).</li>
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

    /** Which of two verdicts of one slot counts: revision, then judgedAt (absent: oldest), then judgmentId. */
    public static final Comparator<Slot> NEWEST = Comparator.comparingInt(Slot::revision)
            .thenComparing(Slot::judgedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparing(Slot::judgmentId);

    private final FoldStore store;

    /** A fold over {@code store}. */
    public Fold(FoldStore store) {
        this.store = store;
    }

    /**
     * The slot of a judgment: {@code benchmark|itemId|modelId|variant|judgeId|judgeVersion}
     * ({@link Slot#judgeVersion}), then {@code |kind} for a human label (origin {@code human}), and {@code
     * |baseline} for pairwise and preference judgments (one judge compares a model with several baselines).
     *
     * <p>A model judge's id gives one kind of verdict, but a human's labels every kind: a reviewer answers the
     * review of a {@code wb-reward} comparison and of an {@code alpaca-jury} preference of the same answer under
     * one judge id ({@code human}), and without the kind in the key the second label replaced the first. The
     * kind is added to human labels' keys only, so that every other slot keeps the key it was stored under.
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
                judgment.judge().id(),
                Slot.judgeVersion(judgment));
        if (judgment.origin() == Origin.HUMAN) {
            key += SEPARATOR + judgment.kind().wireName();
        }
        String baseline =
                judgment.pairwise() != null ? judgment.pairwise().baselineModel() : Slot.baselineOfPreference(judgment);
        return baseline == null ? key : key + SEPARATOR + baseline;
    }

    /**
     * {@code benchmark|itemId|}: the part of a slot key that names its item, with the separator after it, so
     * it is the prefix of that item's keys and of no other item's (the whole key when it has no item part).
     */
    public static String itemPrefix(String key) {
        int benchmarkEnd = key.indexOf(SEPARATOR);
        int itemEnd = key.indexOf(SEPARATOR, benchmarkEnd + 1);
        return itemEnd < 0 ? key : key.substring(0, itemEnd + 1);
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
        if (current == null) {
            store.putSlot(key, incoming);
            return FoldOutcome.COUNTED;
        }
        boolean same = Objects.equals(current.judgmentId(), incoming.judgmentId());
        if (NEWEST.compare(incoming, current) <= 0) {
            return same ? FoldOutcome.DUPLICATE : FoldOutcome.STALE;
        }
        // A redelivery judged later (same id) still moves the slot to its newest form: order-independent.
        store.putSlot(key, incoming);
        return same ? FoldOutcome.DUPLICATE : FoldOutcome.REVISED;
    }

    /** An absent revision is the item's first (the schema's minimum). */
    private static int revision(Judgment judgment) {
        return judgment.revision() == null ? 1 : judgment.revision();
    }
}
