package io.assay.aggregator.leaderboard;

import io.assay.contracts.LeaderboardSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code judge-agreement} from the slots of the items with a human label only: a model judge's verdict pairs
 * with a label of its own item ({@link JudgeAgreementBuilder}), so no other item's slot can add a pair, a human
 * judge or a label. The one thing the view reads beyond them is each model judge's current version, which the
 * slot path takes over all of the judge's parsed verdicts, labelled items or not: the tallies give it
 * ({@link BenchmarkTallies#currentModelJudgeVersions}). The view then costs a prefix scan per labelled item
 * (their slots), not a read of the benchmark's. Without a window or the post-cutoff restriction only (those are
 * over the benchmark's slots), and only while the tallies hold every version; otherwise the slot path decides.
 * See docs/aggregation.md, "Judge agreement".
 */
public final class LabelledItems {
    private LabelledItems() {}

    /**
     * What to read for {@code query}: the labelled items and the model judges' versions.
     *
     * @param items the key prefixes ({@link Fold#itemPrefix}) of the items with a human label, sorted
     * @param versions per model judge, the version it is counted at
     */
    public record Plan(List<String> items, Map<String, String> versions) {}

    /**
     * The plan for {@code query} over {@code tallies}; empty when the view is not {@code judge-agreement} over
     * every slot (a window, the post-cutoff restriction) or the tallies do not hold a model judge's version.
     */
    public static Optional<Plan> plan(BenchmarkTallies tallies, ViewQuery query) {
        if (query.effective() != View.JUDGE_AGREEMENT || query.window() != null || query.restrictToPostCutoff()) {
            return Optional.empty();
        }
        Map<String, String> versions = tallies.currentModelJudgeVersions();
        return versions == null ? Optional.empty() : Optional.of(new Plan(tallies.labelledItems(), versions));
    }

    /**
     * The view over {@code slots}, the slots of {@code plan}'s items in key order ({@link ViewSlots}): what
     * {@link Leaderboards#build} gives over every slot of the benchmark.
     */
    public static LeaderboardSnapshot build(
            String benchmark, Plan plan, List<Slot> slots, Leaderboards.Context ctx, ViewQuery query, Instant asOf) {
        return JudgeAgreementBuilder.snapshot(benchmark, slots, plan.versions(), ctx, query, asOf);
    }
}
