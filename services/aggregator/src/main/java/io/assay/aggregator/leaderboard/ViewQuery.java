package io.assay.aggregator.leaderboard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a leaderboard request asks for.
 *
 * @param view the view
 * @param base for {@link View#POST_CUTOFF}: the view restricted (default accuracy); otherwise the view itself
 * @param k WB-Reward length penalty K, {@code null} for the judge's or the default 500; −1 disables
 * @param baseline the baseline of the headline value (wb-reward, winrate), {@code null} for the default
 * @param anchor the model pinned at 1000 (bt), {@code null} for mean 1000
 * @param window keep only items published within this span before the newest item, {@code null} for all
 * @param postCutoff keep only items published after each model's knowledge cutoff
 * @param stabilityLag compare the ranking with the one this many judgments earlier (Kendall's tau); 0 turns it off
 * @param judge the judge (its id in the judge spec) whose verdicts the view counts, {@code null} for the
 *              default ({@link Leaderboards#defaultJudge}); verdicts of different judges never mix
 */
public record ViewQuery(
        View view,
        View base,
        Integer k,
        String baseline,
        String anchor,
        Duration window,
        boolean postCutoff,
        int stabilityLag,
        String judge) {
    /** The default lag of the stability tau. */
    public static final int DEFAULT_LAG = 100;

    /** A query for the default judge. */
    public ViewQuery(
            View view,
            View base,
            Integer k,
            String baseline,
            String anchor,
            Duration window,
            boolean postCutoff,
            int stabilityLag) {
        this(view, base, k, baseline, anchor, window, postCutoff, stabilityLag, null);
    }

    /** The view with default settings. */
    public static ViewQuery of(View view) {
        return new ViewQuery(view, null, null, null, null, null, view == View.POST_CUTOFF, DEFAULT_LAG);
    }

    /** The view whose formula is computed (the base of post-cutoff). */
    public View effective() {
        if (view == View.POST_CUTOFF) {
            return base == null || base == View.POST_CUTOFF ? View.ACCURACY : base;
        }
        return view;
    }

    /** Whether the post-cutoff restriction applies. */
    public boolean restrictToPostCutoff() {
        return postCutoff || view == View.POST_CUTOFF;
    }

    /** The settings as published in the snapshot ({@code null}s left out). */
    Map<String, Object> params(int effectiveK, String effectiveJudge, String judgeVersion, String scale) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (effectiveJudge != null) {
            p.put("judge", effectiveJudge);
        }
        if (judgeVersion != null) {
            p.put("judgeVersion", judgeVersion);
        }
        if (scale != null) {
            p.put("scale", scale);
        }
        if (view == View.POST_CUTOFF) {
            p.put("of", effective().wireName());
        }
        if (effective() == View.WB_REWARD) {
            p.put("K", effectiveK);
        }
        if (baseline != null) {
            p.put("baseline", baseline);
        }
        if (anchor != null && effective() == View.BT) {
            p.put("anchor", anchor); // the only view it moves
        }
        if (window != null) {
            p.put("window", window.toString());
        }
        if (restrictToPostCutoff()) {
            p.put("postCutoff", true);
        }
        return p;
    }
}
