package io.assay.aggregator.leaderboard;

import io.assay.contracts.LeaderboardSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code judge-agreement} from the slots of the items with a human label only: a model judge's verdict pairs
 * with a label of its own item ({@link JudgeAgreementBuilder}), so no other item's slot can add a pair, a human
 * judge or a label. The one thing the view reads beyond them is each model judge's current version, which the
 * slot path takes over all of the judge's parsed verdicts, labelled items or not: the tallies give it
 * ({@link BenchmarkTallies#currentModelJudgeVersions}). The view then costs a prefix scan per labelled item
 * (their slots), not a read of the benchmark's; and with a {@link Cache}, kept from one computation to the next,
 * a prefix scan per labelled item written since. Without a window or the post-cutoff restriction only (those are
 * over the benchmark's slots), and only while the tallies hold every version; otherwise the slot path decides.
 * See docs/aggregation.md, "Judge agreement".
 */
public final class LabelledItems {
    private LabelledItems() {}

    /**
     * What to read for {@code query}: the labelled items with their write stamps, and the model judges' versions.
     *
     * @param items the key prefixes ({@link Fold#itemPrefix}) of the items with a human label, sorted
     * @param stamps per item of {@code items}, the stamp of its latest write (a labelled item's stamp changes with
     *     every write to it, and is never given twice by the same tallies)
     * @param versions per model judge, the version it is counted at
     * @param epoch which tallies gave the stamps (tallies made anew from the stores give stamps anew)
     */
    public record Plan(List<String> items, long[] stamps, Map<String, String> versions, long epoch) {}

    /**
     * The plan for {@code query} over {@code tallies}; empty when the view is not {@code judge-agreement} over
     * every slot (a window, the post-cutoff restriction) or the tallies do not hold a model judge's version.
     */
    public static Optional<Plan> plan(BenchmarkTallies tallies, ViewQuery query) {
        if (query.effective() != View.JUDGE_AGREEMENT || query.window() != null || query.restrictToPostCutoff()) {
            return Optional.empty();
        }
        Map<String, String> versions = tallies.currentModelJudgeVersions();
        if (versions == null) {
            return Optional.empty();
        }
        List<String> items = tallies.labelledItems();
        return Optional.of(new Plan(items, tallies.labelStamps(items), versions, tallies.epoch()));
    }

    /** Hands the slots under an item's key prefix, in key order, to {@code action}. */
    @FunctionalInterface
    public interface ItemScan {
        void forEach(String prefix, Consumer<Slot> action);
    }

    /**
     * One benchmark's labelled items' parts ({@link JudgeAgreementBuilder.Part}) for one {@code judge=} value (a
     * label of another human is not read, so the parts differ), each under the stamp its item had in the plan it
     * was read for. Taken before the scan, so a write during the scan leaves the item under an older stamp than
     * the tallies' and it is read again the next time. Items no longer labelled are dropped at each computation.
     * Heap ({@link #bytes}): about {@value #ITEM_BYTES} bytes per labelled item, {@value #CELL_BYTES} per model judge
     * version (and jury member) with a labelled verdict on it, and {@value #PAIR_BYTES} per distinct (verdict class,
     * label class) pair of each: with one judge version of a judge of two classes, some 900 bytes an item (843 to 859
     * measured, {@code JudgeAgreementBenchmark}). Thread-safe: a computation holds it.
     */
    public static final class Cache {
        /** Heap per item kept: its map entry, stamp, part, human set and judge map (counted, rounded up). */
        public static final long ITEM_BYTES = 250;
        /** Heap per judge version or jury member with pairs on an item: its map entries, sums and class map. */
        public static final long CELL_BYTES = 300;
        /** Heap per distinct (verdict class, label class) pair of a judge version or member on an item. */
        public static final long PAIR_BYTES = 100;

        private long epoch = -1;
        private String judge;
        private Map<String, Kept> items = Map.of();
        private Canon canon = new Canon();
        private long partBytes;
        private long scanned;

        /** An item's part under its stamp, and how many slots it was read from. */
        private record Kept(long stamp, long slots, JudgeAgreementBuilder.Part part) {}

        /**
         * The view of {@code plan}: the parts kept of its items whose stamp did not change, the others' slots read by
         * {@code scan} and reduced; what {@link Leaderboards#build} gives over every slot of the benchmark. The
         * labelled items' slots (kept or read) above {@code limit} throw {@code tooMany}'s exception.
         */
        public synchronized LeaderboardSnapshot build(
                String benchmark,
                Plan plan,
                ItemScan scan,
                long limit,
                Supplier<? extends RuntimeException> tooMany,
                Leaderboards.Context ctx,
                ViewQuery query,
                Instant asOf) {
            if (plan.epoch() != epoch || !Objects.equals(query.judge(), judge)) {
                items = Map.of();
                canon = new Canon();
                epoch = plan.epoch();
                judge = query.judge();
            }
            Map<String, Kept> next = new HashMap<>(plan.items().size() * 4 / 3 + 1);
            List<JudgeAgreementBuilder.Part> parts =
                    new ArrayList<>(plan.items().size());
            long[] slots = {0};
            long read = 0;
            long nextBytes = 0;
            for (int i = 0; i < plan.items().size(); i++) {
                String item = plan.items().get(i);
                long stamp = plan.stamps()[i];
                Kept kept = items.get(item);
                if (kept == null || kept.stamp != stamp) {
                    List<Slot> ofItem = new ArrayList<>();
                    scan.forEach(item, s -> {
                        if (++slots[0] > limit) {
                            throw tooMany.get();
                        }
                        ofItem.add(s);
                    });
                    kept = new Kept(stamp, ofItem.size(), JudgeAgreementBuilder.part(ofItem, judge, canon));
                    read++;
                } else if ((slots[0] += kept.slots) > limit) {
                    throw tooMany.get();
                }
                next.put(item, kept);
                parts.add(kept.part);
                nextBytes += kept.part.bytes();
            }
            items = next;
            partBytes = nextBytes;
            scanned = read;
            return JudgeAgreementBuilder.snapshot(benchmark, parts, plan.versions(), ctx, query, asOf);
        }

        /** The heap the parts kept take, estimated: {@link #ITEM_BYTES} per item, and each part's. */
        public synchronized long bytes() {
            return items.size() * ITEM_BYTES + partBytes;
        }

        /** The items the last computation read (the others' parts were kept). */
        public synchronized long scanned() {
            return scanned;
        }
    }
}
