package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Judgment;
import io.assay.contracts.PairwiseOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ItemIndexTest {
    private static final String BENCHMARK = "gsm";

    @Test
    void everyPageIsTheSliceOfTheItemsInKeyOrderWhateverTheBookmarkBeforeIt() {
        // Given: 1,000 items (ids that sort other than numerically), 1 to 3 models each, and another benchmark
        // whose keys sort right after this one's
        TreeMap<String, Slot> store = new TreeMap<>();
        for (int i = 0; i < 1_000; i++) {
            for (int m = 0; m <= i % 3; m++) {
                put(store, Judgments.correct(BENCHMARK, "item-" + i, "c" + i % 4, "m" + m, (i + m) % 2 == 0));
            }
        }
        put(store, Judgments.correct(BENCHMARK + "~", "item-0", "c", "m0", true));
        ItemIndex.Slots slots = (from, action) -> {
            for (Map.Entry<String, Slot> e : store.tailMap(from, true).entrySet()) {
                if (!e.getKey().startsWith(Fold.prefix(BENCHMARK)) || !action.test(e.getKey(), e.getValue())) {
                    return;
                }
            }
        };

        // When: the index is taken
        ItemIndex index = ItemIndex.of(Fold.prefix(BENCHMARK), slots);

        // Then: it counts every item and keeps a bookmark every EVERY items, not one entry per item
        assertThat(index.size()).isEqualTo(1_000);
        assertThat(index.bookmarks()).isEqualTo((1_000 + ItemIndex.EVERY - 1) / ItemIndex.EVERY);
        List<ItemIndex.ItemSummary> all = expected(store);
        for (int offset : new int[] {0, 1, 255, 256, 257, 511, 512, 999, 1_000, 1_500}) {
            for (int limit : new int[] {1, 50, 500}) {
                ItemIndex.Page page = index.page(offset, limit, slots);
                assertThat(page.total()).isEqualTo(1_000);
                assertThat(page.items())
                        .as("offset %d limit %d", offset, limit)
                        .isEqualTo(all.subList(Math.min(offset, 1_000), Math.min(1_000, offset + limit)));
            }
        }
    }

    @Test
    void anItemWithNeitherReferenceVerdictsNorScoresHasNoMeanValue() {
        // Given: an AlpacaEval benchmark (preferences only) and a pairwise one: no per-item value to average
        TreeMap<String, Slot> store = new TreeMap<>();
        put(store, Judgments.preference(BENCHMARK, "q1", "m0", 1.7, "base"));
        put(store, Judgments.preference(BENCHMARK, "q1", "m1", 1.2, "base"));
        put(
                store,
                Judgments.pairwise(
                        BENCHMARK,
                        "q2",
                        null,
                        "m0",
                        PairwiseOutcome.BETTER,
                        "base",
                        2_000,
                        1_000,
                        false,
                        Instant.EPOCH));
        ItemIndex.Slots slots = (from, action) -> {
            for (Map.Entry<String, Slot> e : store.tailMap(from, true).entrySet()) {
                if (!action.test(e.getKey(), e.getValue())) {
                    return;
                }
            }
        };

        // When: its first page is read
        ItemIndex.Page page = ItemIndex.of(Fold.prefix(BENCHMARK), slots).page(0, 50, slots);

        // Then: both items are listed with their verdicts and models, and no mean value (not a failure)
        assertThat(page.items())
                .containsExactly(
                        new ItemIndex.ItemSummary("q1", null, 2, 2, null),
                        new ItemIndex.ItemSummary("q2", null, 1, 1, null));
    }

    /** The summaries computed the plain way: every slot grouped by item, in key order. */
    private static List<ItemIndex.ItemSummary> expected(TreeMap<String, Slot> store) {
        Map<String, List<Slot>> byItem = new LinkedHashMap<>();
        store.forEach((key, slot) -> {
            if (key.startsWith(Fold.prefix(BENCHMARK))) {
                byItem.computeIfAbsent(slot.itemId(), x -> new ArrayList<>()).add(slot);
            }
        });
        List<ItemIndex.ItemSummary> out = new ArrayList<>();
        byItem.forEach((item, slots) -> {
            long correct = slots.stream().filter(Slot::correct).count();
            out.add(new ItemIndex.ItemSummary(
                    item,
                    slots.get(0).categoriesOrSingle().get(0),
                    slots.size(),
                    (int) slots.stream().map(Slot::modelId).distinct().count(),
                    (double) correct / slots.size()));
        });
        return out;
    }

    private static void put(TreeMap<String, Slot> store, Judgment j) {
        store.put(Fold.slotKey(j), Slot.of(j, 1));
    }
}
