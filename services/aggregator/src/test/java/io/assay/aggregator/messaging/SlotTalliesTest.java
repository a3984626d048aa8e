package io.assay.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.aggregator.leaderboard.BenchmarkTallies;
import io.assay.aggregator.leaderboard.DeclaredPairs;
import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.ItemSlots;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.StreamedViews;
import io.assay.aggregator.leaderboard.TalliedViews;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The tallies follow the slot stores through writes, revisions, a partition restored with other slots and
 * a partition dropped: the tallied view is the one its slots give, and the benchmark's counts are its slots'.
 * Each partition's store is a sorted map here, read as Kafka Streams' store is (in key order).
 */
class SlotTalliesTest {
    private static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");
    private static final Leaderboards.Context CTX = new Leaderboards.Context(Map.of(), null);

    private final Map<Integer, TreeMap<String, Slot>> stores = new TreeMap<>();
    private final SlotTallies tallies = new SlotTallies();

    @Test
    void talliesFollowWritesRestoresAndDrops() {
        // Given: two partitions of benchmark b, one of benchmark other
        for (int i = 0; i < 40; i++) {
            put(2, i, i, i % 3 == 0);
        }
        put(0, "other", 1, 1, true);
        assertSameAsSlots(3);

        // When: slots are revised, then partition 1 is restored with fewer, different verdicts
        for (int i = 0; i < 40; i += 4) {
            put(2, i, i + 100, i % 5 == 0);
        }
        assertSameAsSlots(3);
        tallies.drop(1, stores.get(1)::forEach);
        TreeMap<String, Slot> restored = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            if (i / 8 % 2 == 1 && i % 3 == 0) {
                restored.put(key("b", i), slot(key("b", i), i + 200, i % 2 == 0));
            }
        }
        stores.put(1, restored);
        tallies.reset(1, restored::forEach);
        assertSameAsSlots(3);

        // Then: dropping a partition takes its slots out of the tallies too
        tallies.drop(0, stores.remove(0)::forEach);
        assertSameAsSlots(3);
        assertThat(tallies.<Long>tallied("other", t -> t.slots())).isZero();
        assertThat(tallies.benchmarks()).containsExactly("b");
        tallies.drop(1, stores.remove(1)::forEach);
        assertThat(tallies.<Long>tallied("b", t -> t.slots())).isZero();
        assertThat(tallies.has("b")).isFalse();
    }

    @Test
    void aPartitionInitialisedAgainWithoutACloseIsTalliedAnew() {
        for (int i = 0; i < 30; i++) {
            put(3, i, i, i % 2 == 0);
        }
        TreeMap<String, Slot> restored = new TreeMap<>(stores.get(2));
        restored.put(key("b", 16), slot(key("b", 16), 1000, true));
        stores.put(2, restored);
        tallies.reset(2, restored::forEach);
        assertSameAsSlots(3);
    }

    @Test
    void theStabilityTauOfALongLedgerComesFromThePartitionsLatestVerdicts() {
        // Given: 3,000 verdicts over three partitions, more than the tallies keep per partition, some revised
        // (a revision judged later moves to the end of the ledger, one judged earlier leaves a gap)
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 3000; i++) {
            put(3, i, random.nextInt(5000), random.nextBoolean());
        }
        for (int n = 0; n < 400; n++) {
            int i = random.nextInt(3000);
            put(3, i, random.nextInt(6000), random.nextBoolean());
        }
        // Then: the default lag and shorter ones are the slot path's; a lag as long as what they keep is the
        // slot path's or, where revisions left a partition fewer, left to it; a longer one is left to it
        for (int lag : new int[] {1, 3, ViewQuery.DEFAULT_LAG}) {
            assertSameAsSlots(lag);
        }
        ViewQuery tail = new ViewQuery(View.ACCURACY, null, null, null, null, null, false, 200);
        tallies.<Optional<LeaderboardSnapshot>>tallied("b", t -> TalliedViews.build("b", t, stored(), CTX, tail, AS_OF))
                .ifPresent(s -> assertThat(s).isEqualTo(Leaderboards.build("b", slotsOf("b"), CTX, tail, AS_OF)));
        ViewQuery longer = new ViewQuery(View.ACCURACY, null, null, null, null, null, false, 1000);
        assertThat(tallies.<Optional<LeaderboardSnapshot>>tallied(
                        "b", t -> TalliedViews.build("b", t, stored(), CTX, longer, AS_OF)))
                .isEmpty();
    }

    @Test
    void scoresOverPartitionsReadTheirItemsFromTheStores() {
        // Given: 3,000 scores of benchmark s (items with two variants) over three partitions, more than the
        // tallies keep per partition, some revised
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 3000; i++) {
            put(i / 8 % 3, "s", i, random.nextInt(5000), true);
        }
        for (int n = 0; n < 400; n++) {
            int i = random.nextInt(3000);
            put(i / 8 % 3, "s", i, random.nextInt(6000), true);
        }
        // Then: score and wb-score, their stability tau included, are the slot path's
        List<Slot> slots = slotsOf("s");
        for (View v : List.of(View.SCORE, View.WB_SCORE)) {
            for (int lag : new int[] {0, 1, 3, ViewQuery.DEFAULT_LAG}) {
                ViewQuery q = new ViewQuery(v, null, null, null, null, null, false, lag);
                LeaderboardSnapshot expected = Leaderboards.build("s", slots, CTX, q, AS_OF);
                assertThat(tallies.<Optional<LeaderboardSnapshot>>tallied(
                                "s", t -> TalliedViews.build("s", t, stored(), CTX, q, AS_OF)))
                        .as("%s", q)
                        .contains(expected);
                assertThat(lag == 0 || expected.kendallTau() != null).isTrue();
            }
        }
    }

    @Test
    void aKeptViewIsFedTheWritesAndDroppedWhenAPartitionMoves() {
        // Given: 600 verdicts over three partitions, and a view with a lag longer than the tallies keep
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 600; i++) {
            put(3, i, random.nextInt(5000), random.nextBoolean());
        }
        ViewQuery q = new ViewQuery(View.ACCURACY, null, null, null, null, null, false, 300);
        assertThat(kept(q)).contains(Leaderboards.build("b", slotsOf("b"), CTX, q, AS_OF));
        // When: more verdicts and revisions are written
        for (int n = 0; n < 300; n++) {
            put(3, random.nextInt(900), random.nextInt(6000), random.nextBoolean());
        }
        // Then: the kept view is the slot path's without being made again
        assertThat(kept(q)).contains(Leaderboards.build("b", slotsOf("b"), CTX, q, AS_OF));
        assertThat(tallies.<Long>tallied("b", t -> t.kept().made())).isEqualTo(1);
        // When: a partition is dropped, the kept view goes with it, and is made again from the stores
        tallies.drop(0, stores.remove(0)::forEach);
        assertThat(tallies.<Integer>tallied("b", t -> t.kept().size())).isZero();
        assertThat(kept(q)).contains(Leaderboards.build("b", slotsOf("b"), CTX, q, AS_OF));
    }

    /** {@code q} of benchmark b read as the reader reads a streamed view without a window: kept. */
    private Optional<LeaderboardSnapshot> kept(ViewQuery q) {
        return tallies.tallied(
                "b",
                t -> StreamedViews.counted("b", t, stored(), CTX, q, AS_OF)
                        .flatMap(counted -> t.kept()
                                .build(
                                        "b",
                                        counted,
                                        CTX,
                                        q,
                                        AS_OF,
                                        action -> stores.values()
                                                .forEach(store -> store.forEach((key, s) -> {
                                                    if (key.startsWith(Fold.prefix("b"))) {
                                                        action.accept(key, s);
                                                    }
                                                })),
                                        stored())));
    }

    /** Writes the {@code i}th slot of benchmark b to its item's partition of {@code partitions}. */
    private void put(int partitions, int i, int n, boolean correct) {
        put(i / 8 % partitions, "b", i, n, correct);
    }

    /** Writes verdict {@code n} to the {@code i}th slot of {@code benchmark}, in {@code partition}. */
    private void put(int partition, String benchmark, int i, int n, boolean correct) {
        String key = key(benchmark, i);
        Slot slot = slot(key, n, correct);
        TreeMap<String, Slot> store = stores.computeIfAbsent(partition, p -> {
            TreeMap<String, Slot> empty = new TreeMap<>();
            tallies.reset(p, empty::forEach);
            return empty;
        });
        String item = Fold.itemPrefix(key);
        String next = store.ceilingKey(item);
        boolean newItem = next == null || !next.startsWith(item);
        tallies.put(
                partition,
                key,
                store.get(key),
                slot,
                newItem,
                BenchmarkTallies.others(store, key),
                DeclaredPairs.NONE,
                List.of(),
                () -> store.put(key, slot));
    }

    private void assertSameAsSlots(int lag) {
        List<Slot> slots = slotsOf("b");
        ViewQuery q = new ViewQuery(View.ACCURACY, null, null, null, null, null, false, lag);
        Optional<LeaderboardSnapshot> tallied =
                tallies.tallied("b", t -> TalliedViews.build("b", t, stored(), CTX, q, AS_OF));
        assertThat(tallied).contains(Leaderboards.build("b", slots, CTX, q, AS_OF));
        assertThat(tallies.<Long>tallied("b", t -> t.slots())).isEqualTo((long) slots.size());
        assertThat(tallies.<Long>tallied("b", t -> t.items()))
                .isEqualTo(slots.stream().map(Slot::itemId).distinct().count());
        assertThat(tallies.<Integer>tallied("b", t -> t.models()))
                .isEqualTo((int) slots.stream().map(Slot::modelId).distinct().count());
        assertThat(tallies.<Instant>tallied("b", t -> t.lastJudgedAt()))
                .isEqualTo(slots.stream()
                        .map(Slot::judgedAt)
                        .max(Instant::compareTo)
                        .orElse(null));
    }

    /** Every store, read as the tallied views read the stores. */
    private ItemSlots stored() {
        TreeMap<String, Slot> all = new TreeMap<>();
        stores.values().forEach(all::putAll);
        return ItemSlots.of(all);
    }

    /** The slots of {@code benchmark} in every store, in key order. */
    private List<Slot> slotsOf(String benchmark) {
        TreeMap<String, Slot> all = new TreeMap<>();
        stores.values().forEach(all::putAll);
        return all.entrySet().stream()
                .filter(e -> e.getKey().startsWith(Fold.prefix(benchmark)))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** Item {@code i / 8}, model {@code i % 4}, variant {@code i / 4 % 2}. */
    private static String key(String benchmark, int i) {
        return String.join(Fold.SEPARATOR, benchmark, "q" + i / 8, "m" + i % 4, "v" + i / 4 % 2, "exact", "1");
    }

    /** A reference verdict, or in benchmark s a score on 1..10 in thirds (1 in 11 unparseable). */
    private static Slot slot(String key, int i, boolean correct) {
        String[] parts = key.split("\\|");
        boolean score = parts[0].equals("s");
        boolean unparseable = i % 11 == 0;
        return new Slot(
                "j" + i,
                1,
                correct,
                "c" + i % 3,
                unparseable,
                parts[1],
                parts[2],
                score ? JudgmentKind.SCORE : null,
                null,
                "exact",
                score && !unparseable ? 1 + i % 28 / 3.0 : null,
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                AS_OF.minusSeconds(1000 - i),
                null,
                null,
                score && !unparseable ? 1.0 : null,
                score && !unparseable ? 10.0 : null,
                null,
                "1",
                null,
                null,
                null);
    }
}
