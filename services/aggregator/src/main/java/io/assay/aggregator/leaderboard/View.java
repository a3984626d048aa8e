package io.assay.aggregator.leaderboard;

import io.assay.contracts.JudgmentKind;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The leaderboard views the aggregator serves. Each names the {@link ViewBuilder} that computes it,
 * whose Javadoc gives the formula and where it comes from; {@link Leaderboards} does what they share.
 */
public enum View {
    /** Proportion of correct reference judgments with a Wilson interval; macro average by category weights. */
    ACCURACY("accuracy", JudgmentKind.CORRECT, new AccuracyBuilder()),
    /** Mean score with a seeded bootstrap percentile interval over items. */
    SCORE("score", JudgmentKind.SCORE, new ScoreBuilder()),
    /** WildBench WB-Score and its task-macro average. */
    WB_SCORE("wb-score", JudgmentKind.SCORE, new WbScoreBuilder()),
    /** WildBench WB-Reward per baseline with length penalty K, mixtures and task-macro rewards. */
    WB_REWARD("wb-reward", JudgmentKind.PAIRWISE, new WbRewardBuilder()),
    /** AlpacaEval win rate against the baseline with its standard error. */
    WINRATE("winrate", JudgmentKind.PREFERENCE, new WinRateBuilder()),
    /** AlpacaEval 2's length-controlled win rate (a GLM per model, length term set to zero) with a bootstrap interval. */
    LC_WINRATE("lc-winrate", JudgmentKind.PREFERENCE, new LcWinRateBuilder()),
    /** Bradley–Terry ratings on the Elo scale with bootstrap intervals. */
    BT("bt", JudgmentKind.PAIRWISE, new BradleyTerryBuilder()),
    /** Online Elo, K = 4. */
    ELO("elo", JudgmentKind.PAIRWISE, new EloBuilder()),
    /** Per model the min, max and mean accuracy over prompt formats. */
    FORMAT_SPREAD("format-spread", JudgmentKind.CORRECT, new FormatSpreadBuilder()),
    /**
     * A view (default accuracy) restricted to items published after each model's knowledge cutoff:
     * {@link ViewQuery#effective()} names the view computed, so this builder is only its default's.
     */
    POST_CUTOFF("post-cutoff", JudgmentKind.CORRECT, ACCURACY.builder),
    /** Flips between a model and its declared previous version on shared items. */
    REGRESSION("regression", JudgmentKind.CORRECT, new RegressionBuilder()),
    /** Per model the accuracy on multiple-choice items by the position the correct choice was shown at (A-bias). */
    POSITION_BIAS("position-bias", JudgmentKind.CORRECT, new PositionBiasBuilder()),
    /**
     * A Rasch fit on the model × item matrix of reference verdicts: per model its ability and its predicted
     * accuracy on every item of the benchmark, evaluated or not.
     */
    IRT("irt", JudgmentKind.CORRECT, new IrtBuilder()),
    /** Per model judge, agreement and Cohen's kappa against human labels of the same answers, any kind. */
    JUDGE_AGREEMENT("judge-agreement", null, new JudgeAgreementBuilder());

    private final String wireName;
    private final JudgmentKind kind;
    private final ViewBuilder builder;

    View(String wireName, JudgmentKind kind, ViewBuilder builder) {
        this.wireName = wireName;
        this.kind = kind;
        this.builder = builder;
    }

    /** The name in URLs, snapshot keys and snapshots. */
    public String wireName() {
        return wireName;
    }

    /** The kind of judgment the view folds; {@code null} for {@code judge-agreement}, which compares every kind. */
    public JudgmentKind kind() {
        return kind;
    }

    /** The formula of the view. */
    ViewBuilder builder() {
        return builder;
    }

    /** The view called {@code name}, if any. */
    public static Optional<View> byName(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName.equals(name)).findFirst();
    }

    /** Every view's name, for error messages. */
    public static List<String> names() {
        return Arrays.stream(values()).map(View::wireName).toList();
    }
}
