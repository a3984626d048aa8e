package io.assay.aggregator.leaderboard;

import io.assay.contracts.LeaderboardSnapshot;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The tallied views a benchmark's {@link BenchmarkTallies} cannot answer as they are, computed by streaming
 * its slots into fresh, temporary tallies and reading the view from those ({@link TalliedViews}): exactly
 * the snapshot {@link Leaderboards#build} gives over the same slots (tested over randomised ledgers), in the
 * heap the tallies take (models × categories), not the slots'. Without a window, the fresh tallies are kept and
 * fed every write after the first scan ({@link KeptStreams}). Three cases:
 *
 * <ul>
 *   <li>a {@code window} or the post-cutoff restriction ({@code post-cutoff}, {@code postCutoff=true}): only
 *       the slots the filter keeps are tallied; the window ends at the newest kept slot's publishedAt, found
 *       by a first pass over the scan; when no registered model declares a knowledge cutoff, the restriction
 *       keeps no slot and the slots are not read ({@link Leaderboards#postCutoff});</li>
 *   <li>{@code wb-reward} under a length penalty K other than the tallies' (asked with {@code k=} or a judge's
 *       spec): the fresh tallies are kept under that K;</li>
 *   <li>a stability lag longer than the tallies' ledger tails ({@link BenchmarkTallies#TAIL}): the fresh
 *       tallies keep a tail as long as the lag.</li>
 * </ul>
 *
 * <p>The slot path picks the judge, its version and (score views) the scale over every slot of the view's
 * kind, then filters: {@link #counted} reads them from the benchmark's tallies (the unfiltered view's
 * parameters), and {@link #build} keeps only that judge version's slots, so the fresh tallies' own choice
 * is the same one. Each slot is tallied with the other kept slots of its item and model as they come in the
 * scan ({@link ItemRuns}). A view the benchmark's tallies do not answer even unfiltered ({@code irt},
 * {@code judge-agreement}, {@code lc-winrate}, {@code regression} while a compared model has two verdicts on a case,
 * slots without a judge id) is not streamed. See docs/aggregation.md,
 * "Incremental views".
 */
public final class StreamedViews {
    private StreamedViews() {}

    /**
     * What a streamed view counts, as the slot path picks it over every slot of the view's kind.
     *
     * @param judge the judge, {@code null} for none
     * @param version its current version
     * @param scale the score views' current scale, {@code null} for none (and for the other views)
     */
    public record Counted(String judge, String version, String scale) {}

    /**
     * What {@code query} counts over {@code tallies} (the benchmark's), read from the view without its
     * filters, under the tallies' K and without a stability tau; empty when the tallies do not answer that
     * either (the view is not streamed). Refuses an unknown judge or baseline as the slot path does.
     */
    public static Optional<Counted> counted(
            String benchmark,
            BenchmarkTallies tallies,
            ItemSlots stored,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf) {
        ViewQuery unfiltered = new ViewQuery(
                query.effective(),
                null,
                tallies.lengthPenalty(),
                query.baseline(),
                query.anchor(),
                null,
                false,
                0,
                query.judge());
        return TalliedViews.build(benchmark, tallies, stored, ctx, unfiltered, asOf)
                .map(s -> new Counted(
                        (String) s.params().get("judge"), (String) s.params().get("judgeVersion"), (String)
                                s.params().get("scale")));
    }

    /**
     * The snapshot of {@code query} over the slots {@code scan} reads (the benchmark's, store by store, each
     * in key order), counting what {@code counted} says, the score tau's items read from {@code stored} (the
     * filters keep or drop an item and model's slots together, so its slots there are the kept ones); empty when the fresh tallies do not answer it either
     * (a baseline that only slots the filter drops name): the slots decide. {@code regression}'s tau reads the
     * other models' verdicts on a case from {@code stored} as the fresh tallies hold them: the kept slots.
     */
    public static Optional<LeaderboardSnapshot> build(
            String benchmark,
            Counted counted,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf,
            SlotScan scan,
            ItemSlots stored) {
        View view = query.effective();
        Predicate<Slot> counts =
                counts(counted, view).and(s -> !query.restrictToPostCutoff() || Leaderboards.postCutoff(s, ctx));
        // No registered model declares a knowledge cutoff: the restriction keeps no slot, and the scan is skipped.
        SlotScan source = query.restrictToPostCutoff() && noCutoffs(ctx) ? action -> {} : scan;
        Predicate<Slot> keep = query.window() == null ? counts : inWindow(counts, query, source);
        int k = Leaderboards.lengthPenalty(ctx, query, counted.judge());
        BenchmarkTallies fresh = tally(source, keep, ctx, query, k);
        return read(benchmark, fresh, keep, counted, ctx, query, k, asOf, stored);
    }

    /**
     * The slots of the view's kind that {@code counted} counts: its judge version's, and of a score view those on
     * its scale and the unparseable ones. The post-cutoff restriction and a window are applied on top.
     */
    static Predicate<Slot> counts(Counted counted, View view) {
        return s -> s.kind() == view.kind()
                && Objects.equals(s.judgeId(), counted.judge())
                && Objects.equals(s.judgeVersion(), counted.version())
                && (counted.scale() == null
                        || s.unparseable()
                        || counted.scale().equals(s.scale()));
    }

    /**
     * Fresh tallies of the slots {@code scan} reads that {@code keep} keeps, with a tail as long as the query's lag
     * (at least the benchmark's tallies') and {@code wb-reward} under {@code k}: every pair {@code ctx}'s models
     * declare is counted from the first slot.
     */
    static BenchmarkTallies tally(
            SlotScan scan, Predicate<Slot> keep, Leaderboards.Context ctx, ViewQuery query, int k) {
        // No change journal: irt reads the benchmark's own tallies' only.
        BenchmarkTallies fresh = new BenchmarkTallies(Math.max(BenchmarkTallies.TAIL, query.stabilityLag()), k, 0);
        DeclaredPairs pairs = DeclaredPairs.of(ctx.models());
        ItemRuns runs = new ItemRuns(
                1, (key, s, others, otherModels) -> fresh.replace(0, key, null, s, others, pairs, otherModels));
        scan.forEach((key, s) -> {
            if (keep.test(s)) {
                runs.accept(key, s);
            }
        });
        runs.finish();
        return fresh;
    }

    /**
     * The snapshot of {@code query} from {@code fresh}, tallies of the slots {@code keep} keeps ({@link #tally}),
     * as the slot path gives it over every slot: empty when the tallies do not answer it (a baseline no kept slot
     * names, a {@code regression} with an ambiguous case, tails that lost their latest verdicts to revisions).
     */
    static Optional<LeaderboardSnapshot> read(
            String benchmark,
            BenchmarkTallies fresh,
            Predicate<Slot> keep,
            Counted counted,
            Leaderboards.Context ctx,
            ViewQuery query,
            int k,
            Instant asOf,
            ItemSlots stored) {
        // The fresh tallies hold one judge version: the default judge is it, and its K is k.
        ViewQuery kept = new ViewQuery(
                query.effective(),
                null,
                query.k(),
                query.baseline(),
                query.anchor(),
                null,
                false,
                query.stabilityLag(),
                null);
        Optional<LeaderboardSnapshot> snapshot;
        try {
            // The store as the fresh tallies hold it: the kept slots (an item's other models' may not be).
            ItemSlots keptStored =
                    prefix -> stored.under(prefix).stream().filter(keep).toList();
            snapshot = TalliedViews.build(benchmark, fresh, keptStored, ctx, kept, asOf, counted.scale());
        } catch (UnknownParameterException e) {
            // The baseline was known (counted checked it over every slot) but no kept slot names it.
            return Optional.empty();
        }
        return snapshot.map(s -> new LeaderboardSnapshot(
                benchmark,
                query.view().wireName(),
                s.asOf(),
                s.judgments(),
                s.rows(),
                query.params(k, counted.judge(), counted.version(), counted.scale()),
                s.kendallTau(),
                s.kendallTauLag(),
                s.failing()));
    }

    /**
     * Whether no registered model declares a knowledge cutoff, so that no slot is post-cutoff ({@link
     * Leaderboards#postCutoff}).
     */
    static boolean noCutoffs(Leaderboards.Context ctx) {
        return ctx.models().values().stream().allMatch(m -> m.knowledgeCutoff() == null);
    }

    /** {@code counts} within the query's window, which ends at the newest counted slot's publishedAt. */
    private static Predicate<Slot> inWindow(Predicate<Slot> counts, ViewQuery query, SlotScan scan) {
        Instant[] newest = {null};
        scan.forEach((key, s) -> {
            if (counts.test(s)
                    && s.publishedAt() != null
                    && (newest[0] == null || s.publishedAt().isAfter(newest[0]))) {
                newest[0] = s.publishedAt();
            }
        });
        if (newest[0] == null) {
            return s -> false;
        }
        Instant start = newest[0].minus(query.window());
        return counts.and(s -> Leaderboards.publishedAfter(s, start));
    }
}
