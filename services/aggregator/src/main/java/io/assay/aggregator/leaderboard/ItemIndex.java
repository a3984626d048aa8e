package io.assay.aggregator.leaderboard;

import io.assay.contracts.JudgmentKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The items of one benchmark with their verdict counts, for the paginated item list of the web pages
 * ({@code GET /api/benchmarks/{b}/items}). Built once per benchmark version from its slots and sliced per
 * page, so a page of 50 out of 100,000 items costs a sublist, not a scan.
 */
public final class ItemIndex {
    private final List<ItemSummary> items;

    private ItemIndex(List<ItemSummary> items) {
        this.items = items;
    }

    /**
     * One item.
     *
     * @param itemId the item
     * @param category its (first) category, {@code null} when it has none
     * @param verdicts verdicts that count on it (every model, variant, judge and baseline)
     * @param models models judged on it
     * @param meanValue the share of correct reference verdicts when it has any, else the mean score of its
     *     score verdicts, else {@code null} (pairwise and preference verdicts have no per-item value)
     */
    public record ItemSummary(String itemId, String category, long verdicts, int models, Double meanValue) {}

    /**
     * One page of the list.
     *
     * @param total items in the benchmark
     * @param offset index of the first item of this page
     * @param limit the page size asked for
     * @param items the page, in item id order
     */
    public record Page(long total, int offset, int limit, List<ItemSummary> items) {}

    /** The index of {@code slots} (one benchmark's, in key order: an item's slots are contiguous). */
    public static ItemIndex of(List<Slot> slots) {
        Builder b = new Builder();
        for (Slot s : slots) {
            b.add(s);
        }
        return b.build();
    }

    /**
     * Builds an index from one benchmark's slots given a run of key-ordered slots after another (a store's
     * prefix scan over several tasks' stores): an item's slots are contiguous, so only the summaries stay.
     */
    public static final class Builder {
        private final Map<String, ItemSummary> done = new TreeMap<>();
        private String item;
        private Tally tally;

        /** Adds the next slot. */
        public void add(Slot s) {
            if (tally == null || !Objects.equals(s.itemId(), item)) {
                finish();
                item = s.itemId();
                tally = new Tally();
            }
            tally.add(s);
        }

        /** The index, items in slot-key order. */
        public ItemIndex build() {
            finish();
            return new ItemIndex(new ArrayList<>(done.values()));
        }

        private void finish() {
            if (tally != null) {
                // Keyed as the slot keys sort: the item id, then the separator.
                done.put(item + Fold.SEPARATOR, tally.summary(item));
                tally = null;
            }
        }
    }

    /** Items {@code offset} to {@code offset + limit} (fewer at the end). */
    public Page page(int offset, int limit) {
        int from = Math.min(offset, items.size());
        int to = Math.min(items.size(), from + limit);
        return new Page(items.size(), offset, limit, List.copyOf(items.subList(from, to)));
    }

    /** How many items. */
    public int size() {
        return items.size();
    }

    private static final class Tally {
        private String category;
        private long verdicts;
        private final Set<String> models = new HashSet<>();
        private long correctOf;
        private long correct;
        private long scored;
        private double scoreSum;

        void add(Slot s) {
            verdicts++;
            models.add(s.modelId());
            if (category == null && !s.categoriesOrSingle().isEmpty()) {
                category = s.categoriesOrSingle().get(0);
            }
            if (s.unparseable()) {
                return;
            }
            if (s.kind() == JudgmentKind.CORRECT) {
                correctOf++;
                correct += s.correct() ? 1 : 0;
            } else if (s.kind() == JudgmentKind.SCORE && s.score() != null) {
                scored++;
                scoreSum += s.score();
            }
        }

        ItemSummary summary(String itemId) {
            Double mean = correctOf > 0 ? (double) correct / correctOf : scored > 0 ? scoreSum / scored : null;
            return new ItemSummary(itemId, category, verdicts, models.size(), mean);
        }
    }
}
