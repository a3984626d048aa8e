package io.assay.aggregator.leaderboard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A benchmark's slots as a view computed from every one of them reads them (the slot path,
 * {@link Leaderboards#build}): in key order, each {@link Slot#forViews} with one {@link Canon} for the read, so
 * a slot costs its own values and a share of the repeated ones, and no key is held. The request ids are kept on
 * the items with a human label only, the one thing that reads them (an item's slots come together). The drill-down and
 * anything else that needs a rationale reads whole slots from the store instead.
 *
 * <p>Key order without the keys: a scan hands over an item's slots together and in key order
 * ({@link SlotScan}: an item lives in one partition), so the read keeps the start of each item's run and its
 * key prefix ({@link Fold#itemPrefix}), and sorts the runs by it. Two items' keys compare as their prefixes
 * do (an item id holds no separator), so this is the order of the whole keys as the stores keep them (their
 * UTF-8 bytes), whatever the partitioning.
 */
public final class ViewSlots {
    private ViewSlots() {}

    /** The slots {@code scan} hands over that {@code keep} keeps, in key order, each {@link Slot#forViews}. */
    public static List<Slot> read(SlotScan scan, Predicate<Slot> keep) {
        Reading reading = new Reading(keep);
        scan.forEach(reading);
        return reading.inKeyOrder();
    }

    /** One read: the slots kept so far in the order handed over, and the runs of their items. */
    private static final class Reading implements BiConsumer<String, Slot> {
        private final Predicate<Slot> keep;
        private final Canon canon = new Canon();
        private final List<Slot> read = new ArrayList<>();
        private final List<Run> runs = new ArrayList<>();
        /** The current item's key prefix. */
        private String item;
        /** The current item's slots as handed over. */
        private final List<Slot> ofItem = new ArrayList<>();
        /** Whether one of them is a human label. */
        private boolean labelled;

        Reading(Predicate<Slot> keep) {
            this.keep = keep;
        }

        @Override
        public void accept(String key, Slot slot) {
            if (!keep.test(slot)) {
                return;
            }
            if (item == null || !key.startsWith(item)) {
                endRun();
                item = Fold.itemPrefix(key);
            }
            ofItem.add(slot);
            labelled |= slot.human();
        }

        private void endRun() {
            if (item == null) {
                return;
            }
            runs.add(new Run(item, read.size(), read.size() + ofItem.size()));
            ofItem.forEach(s -> read.add(s.forViews(canon, labelled)));
            ofItem.clear();
            labelled = false;
        }

        /** The slots read, their runs sorted by their items' key prefixes. */
        List<Slot> inKeyOrder() {
            endRun();
            List<Run> sorted = new ArrayList<>(runs);
            sorted.sort(Comparator.naturalOrder());
            for (int i = 1; i < sorted.size(); i++) {
                if (sorted.get(i - 1).compareTo(sorted.get(i)) == 0) {
                    throw new IllegalStateException("the slots of " + sorted.get(i).prefix + " came in two runs");
                }
            }
            if (sorted.equals(runs)) {
                return read;
            }
            List<Slot> ordered = new ArrayList<>(read.size());
            sorted.forEach(r -> ordered.addAll(read.subList(r.start, r.end)));
            return ordered;
        }
    }

    /** An item's run of slots: its key prefix, and where its slots start and end in the read. */
    private record Run(String prefix, byte[] bytes, int start, int end) implements Comparable<Run> {
        Run(String prefix, int start, int end) {
            this(prefix, prefix.getBytes(StandardCharsets.UTF_8), start, end);
        }

        @Override
        public int compareTo(Run o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }
    }
}
