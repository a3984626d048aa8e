package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The streamed views without a window that {@link KeptStreams} keeps in step with the writes give the slot path's
 * snapshots after every batch of writes (the randomised ledgers of {@link StreamedViewsTest}, with revisions and
 * removals), are made from the slots once rather than on every read, and are made again when a model's knowledge
 * cutoff changes under them.
 */
class KeptStreamsTest {
    private static final String BENCHMARK = "b";
    private static final java.time.Instant AS_OF = java.time.Instant.parse("2026-12-01T00:00:00Z");

    /** Kept snapshots with rows compared, and reads answered without making the view again. */
    private int compared;

    private int reused;

    @Test
    void keptViewsAreTheSlotPathsSnapshotsAfterEveryWrite() {
        for (long seed = 1; seed <= 12; seed++) {
            // Given: a random history, its tallies, and models with and without cutoffs
            SplittableRandom random = new SplittableRandom(seed);
            TreeMap<String, Slot> slots = new TreeMap<>();
            BenchmarkTallies tallies = StreamedViewsTest.history(random, slots);
            Leaderboards.Context ctx = StreamedViewsTest.context(random, true);
            readAll(tallies, slots, ctx, seed);
            for (int batch = 0; batch < 6; batch++) {
                // When: more writes (revisions and removals among them) are fed to the kept views
                for (int w = 0; w < 30; w++) {
                    write(random, tallies, slots, ctx);
                }
                if (batch == 3) {
                    // and one model is registered again with another knowledge cutoff
                    ctx = withCutoff(
                            ctx, "m" + (1 + random.nextInt(5)), LocalDate.of(2026, 10, 1 + random.nextInt(30)));
                }
                // Then: every kept view is the slot path's
                readAll(tallies, slots, ctx, seed);
            }
        }
        assertThat(compared).as("kept snapshots with rows compared").isGreaterThan(500);
        assertThat(reused).as("reads answered by kept tallies without a scan").isGreaterThan(500);
    }

    @Test
    void aModelRegisteredWithoutSlotsKeepsTheViewAndItsSlotsAreCounted() {
        // Given: a kept post-cutoff view
        SplittableRandom random = new SplittableRandom(5);
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = StreamedViewsTest.history(random, slots);
        Leaderboards.Context ctx = StreamedViewsTest.context(random, true);
        ViewQuery q = ViewQuery.of(View.POST_CUTOFF);
        LeaderboardSnapshot first = read(tallies, slots, ctx, q).orElseThrow();
        assertThat(tallies.kept().made()).isEqualTo(1);
        // When: a model without slots is registered with a cutoff, and its verdicts come
        ctx = withCutoff(ctx, "m9", LocalDate.of(2026, 10, 1));
        String judge = (String) first.params().get("judge");
        String version = (String) first.params().get("judgeVersion");
        for (int i = 0; i < 5; i++) {
            // The key's judge version is the slot's (TalliedViewsTest.slot): the one the view counts.
            String key = String.join(Fold.SEPARATOR, BENCHMARK, "q" + i, "m9", "v1", judge, version, "correct");
            Slot s = StreamedViewsTest.withPublishedAt(
                    TalliedViewsTest.slot(random, key), java.time.Instant.parse("2026-11-20T00:00:00Z"));
            feed(tallies, slots, ctx, key, s);
        }
        // Then: the view was not made again, and it counts the new model
        LeaderboardSnapshot then = read(tallies, slots, ctx, q).orElseThrow();
        assertThat(tallies.kept().made()).isEqualTo(1);
        assertThat(then.rows()).anySatisfy(r -> assertThat(r.modelId()).isEqualTo("m9"));
        assertThat(then).isEqualTo(Leaderboards.build(BENCHMARK, List.copyOf(slots.values()), ctx, q, AS_OF));
    }

    @Test
    void atMostMaxViewsAreKept() {
        SplittableRandom random = new SplittableRandom(3);
        TreeMap<String, Slot> slots = new TreeMap<>();
        BenchmarkTallies tallies = StreamedViewsTest.history(random, slots);
        Leaderboards.Context ctx = StreamedViewsTest.context(random, true);
        // When: more views under other length penalties are read than are kept
        for (int k = 1; k <= KeptStreams.MAX + 3; k++) {
            assertThat(read(tallies, slots, ctx, new ViewQuery(View.WB_REWARD, null, k, null, null, null, false, 5)))
                    .isPresent();
        }
        // Then: the most recently read are kept
        assertThat(tallies.kept().size()).isEqualTo(KeptStreams.MAX);
    }

    /** Reads every query of {@link StreamedViewsTest#queries} that is kept, and compares it with the slot path. */
    private void readAll(BenchmarkTallies tallies, TreeMap<String, Slot> slots, Leaderboards.Context ctx, long seed) {
        List<Slot> ordered = List.copyOf(slots.values());
        for (StreamedViewsTest.Case c : StreamedViewsTest.queries()) {
            ViewQuery q = c.query();
            if (!KeptStreams.keeps(q, ctx)
                    || TalliedViewsTest.catchMessage(() -> Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF))
                            != null) {
                continue;
            }
            long made = tallies.kept().made();
            Optional<LeaderboardSnapshot> kept;
            try {
                kept = read(tallies, slots, ctx, q);
            } catch (UnknownParameterException e) {
                continue; // refused as the slot path refuses it (StreamedViewsTest)
            }
            if (kept.isEmpty()) {
                continue; // a regression with an ambiguous case, a baseline no kept slot names: the slots decide
            }
            LeaderboardSnapshot expected = Leaderboards.build(BENCHMARK, ordered, ctx, q, AS_OF);
            assertThat(Json.canonical(kept.orElseThrow()))
                    .as("seed %d, %s", seed, q)
                    .isEqualTo(Json.canonical(expected));
            if (!expected.rows().isEmpty()) {
                compared++;
            }
            if (tallies.kept().made() == made) {
                reused++;
            }
        }
    }

    /** What the reader does: the tallies' own view, else the kept streamed one. */
    private static Optional<LeaderboardSnapshot> read(
            BenchmarkTallies tallies, TreeMap<String, Slot> slots, Leaderboards.Context ctx, ViewQuery q) {
        ItemSlots stored = ItemSlots.of(slots);
        Optional<LeaderboardSnapshot> tallied = TalliedViews.build(BENCHMARK, tallies, stored, ctx, q, AS_OF);
        if (tallied.isPresent()) {
            return tallied;
        }
        return StreamedViews.counted(BENCHMARK, tallies, stored, ctx, q, AS_OF)
                .flatMap(counted -> tallies.kept().build(BENCHMARK, counted, ctx, q, AS_OF, slots::forEach, stored));
    }

    /** One random write of {@link StreamedViewsTest}'s kinds (one in twenty a removal). */
    private static void write(
            SplittableRandom random, BenchmarkTallies tallies, TreeMap<String, Slot> slots, Leaderboards.Context ctx) {
        String key = random.nextBoolean() ? TalliedViewsTest.randomKey(random) : TalliedRewardsTest.randomKey(random);
        feed(tallies, slots, ctx, key, random.nextInt(20) == 0 ? null : StreamedViewsTest.published(random, key));
    }

    /**
     * The write of {@code now} (null: a removal) under {@code key}, as the aggregator's fold feeds it: the kept views
     * with the other slots of its item and model and its partners' as they stand before it, then the tallies.
     */
    private static void feed(
            BenchmarkTallies tallies, TreeMap<String, Slot> slots, Leaderboards.Context ctx, String key, Slot now) {
        Slot old = slots.get(key);
        if (old == null && now == null) {
            return;
        }
        DeclaredPairs pairs = DeclaredPairs.of(ctx.models());
        List<Slot> others = BenchmarkTallies.others(slots, key);
        List<Slot> partnerSlots = BenchmarkTallies.readsPartners(old, now, pairs)
                ? BenchmarkTallies.partnerSlots(slots, key, now != null ? now : old, pairs)
                : List.of();
        tallies.kept().replace(key, old, now, others, pairs, partnerSlots, ctx.models());
        Tallying.replace(tallies, 0, key, old, now, pairs);
        if (now == null) {
            slots.remove(key);
        } else {
            slots.put(key, now);
        }
    }

    /** {@code ctx} with {@code modelId} registered (again) with knowledge cutoff {@code cutoff}. */
    private static Leaderboards.Context withCutoff(Leaderboards.Context ctx, String modelId, LocalDate cutoff) {
        Map<String, ModelSpec> models = new TreeMap<>(ctx.models());
        ModelSpec m = models.getOrDefault(modelId, models.get("m1"));
        models.put(
                modelId,
                new ModelSpec(
                        modelId,
                        m.displayName(),
                        m.provider(),
                        m.baseUrl(),
                        m.providerModel(),
                        m.credentialEnv(),
                        m.params(),
                        cutoff,
                        modelId.equals("m2") ? "m1" : null,
                        m.price(),
                        m.limits(),
                        m.benchmarks(),
                        m.sim(),
                        m.registeredAt()));
        return new Leaderboards.Context(models, ctx.spec(), ctx.tallies());
    }
}
