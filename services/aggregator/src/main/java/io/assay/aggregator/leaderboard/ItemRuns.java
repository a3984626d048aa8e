package io.assay.aggregator.leaderboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tallies a {@link SlotScan}'s slots run by run: an item and model's slots are contiguous in the scan, so
 * each is tallied with the others of its item and model ({@link BenchmarkTallies#replace}'s {@code others})
 * read from the scan itself rather than looked up. Added ({@code sign} 1), a slot's others are those of its
 * run added before it; taken away (−1), those not yet taken away. Slots are tallied {@link
 * Slot#withoutDrillDown} (the ledgers some tallies keep need no rationale). Used by the aggregator's
 * {@code SlotTallies} (a partition restored or dropped) and by {@link StreamedViews} (fresh tallies of a
 * benchmark's slots). Feed it with {@link #accept}, then call {@link #finish}.
 */
public final class ItemRuns {
    /** Where each slot goes. */
    @FunctionalInterface
    public interface Tally {
        /** Adds or takes away (as the runs' sign says) {@code slot}, under {@code key}, with {@code others}. */
        void accept(String key, Slot slot, List<Slot> others);
    }

    private final int sign;
    private final Tally tally;
    private final List<Map.Entry<String, Slot>> run = new ArrayList<>();
    /** The {@link BenchmarkTallies#itemAndModel} of the run's slots. */
    private String runItemAndModel;

    /** Runs that add ({@code sign} 1) or take away (−1) each slot through {@code tally}. */
    public ItemRuns(int sign, Tally tally) {
        this.sign = sign;
        this.tally = tally;
    }

    /** The next slot of the scan, under {@code key}: tallied once its run is complete. */
    public void accept(String key, Slot slot) {
        String itemAndModel = BenchmarkTallies.itemAndModel(key);
        if (!itemAndModel.equals(runItemAndModel)) {
            finish();
            runItemAndModel = itemAndModel;
        }
        run.add(Map.entry(key, slot.withoutDrillDown()));
    }

    /** Tallies the last run: call it once the scan is over. */
    public void finish() {
        List<Slot> slots = run.stream().map(Map.Entry::getValue).toList();
        for (int i = 0; i < run.size(); i++) {
            List<Slot> others = sign > 0 ? slots.subList(0, i) : slots.subList(i + 1, slots.size());
            tally.accept(run.get(i).getKey(), slots.get(i), others);
        }
        run.clear();
    }
}
