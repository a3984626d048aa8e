package io.assay.aggregator.leaderboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tallies a {@link SlotScan}'s slots item by item: an item's slots are contiguous in the scan, and within them
 * each model's run, so each slot is tallied with the others of its item and model and with the item's slots of
 * the other models ({@link BenchmarkTallies#replace}'s {@code others}, and its {@code partnerSlots}: of these the
 * tallies pair the declared partners') read from the scan
 * itself rather than looked up. Added ({@code sign} 1), a slot's others are those of its run added before it and
 * its other models' those of the item's runs before its own; taken away (−1), those not yet taken away. Slots
 * are tallied {@link Slot#withoutDrillDown} (the ledgers some tallies keep need no rationale). Used by the
 * aggregator's {@code SlotTallies} (a partition restored or dropped) and by {@link StreamedViews} (fresh tallies
 * of a benchmark's slots). Feed it with {@link #accept}, then call {@link #finish}.
 */
public final class ItemRuns {
    /** Where each slot goes. */
    @FunctionalInterface
    public interface Tally {
        /**
         * Adds or takes away (as the runs' sign says) {@code slot}, under {@code key}, with {@code others} (of its
         * item and model) and {@code otherModels} (of its item, the other models').
         */
        void accept(String key, Slot slot, List<Slot> others, List<Slot> otherModels);
    }

    private final int sign;
    private final Tally tally;
    /** The item's slots so far, in scan order. */
    private final List<Map.Entry<String, Slot>> item = new ArrayList<>();
    /** Where each of the item's runs (an item and model's slots) starts in {@link #item}. */
    private final List<Integer> runs = new ArrayList<>();
    /** The {@link Fold#itemPrefix} of the item's slots. */
    private String itemPrefix;
    /** The {@link BenchmarkTallies#itemAndModel} of the last run's slots. */
    private String runItemAndModel;

    /** Runs that add ({@code sign} 1) or take away (−1) each slot through {@code tally}. */
    public ItemRuns(int sign, Tally tally) {
        this.sign = sign;
        this.tally = tally;
    }

    /** The next slot of the scan, under {@code key}: tallied once its item is complete. */
    public void accept(String key, Slot slot) {
        String prefix = Fold.itemPrefix(key);
        if (!prefix.equals(itemPrefix)) {
            finish();
            itemPrefix = prefix;
        }
        String itemAndModel = BenchmarkTallies.itemAndModel(key);
        if (runs.isEmpty() || !itemAndModel.equals(runItemAndModel)) {
            runs.add(item.size());
            runItemAndModel = itemAndModel;
        }
        item.add(Map.entry(key, slot.withoutDrillDown()));
    }

    /** Tallies the last item: call it once the scan is over. */
    public void finish() {
        List<Slot> slots = item.stream().map(Map.Entry::getValue).toList();
        for (int r = 0; r < runs.size(); r++) {
            int start = runs.get(r);
            int end = r + 1 < runs.size() ? runs.get(r + 1) : slots.size();
            List<Slot> otherModels = sign > 0 ? slots.subList(0, start) : slots.subList(end, slots.size());
            List<Slot> run = slots.subList(start, end);
            for (int i = 0; i < run.size(); i++) {
                List<Slot> others = sign > 0 ? run.subList(0, i) : run.subList(i + 1, run.size());
                tally.accept(item.get(start + i).getKey(), run.get(i), others, otherModels);
            }
        }
        item.clear();
        runs.clear();
        itemPrefix = null;
        runItemAndModel = null;
    }
}
