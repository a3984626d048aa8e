package io.assay.cli.review;

import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.Origin;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.ReviewRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code assay review} does, without Kafka: which review requests still wait for a label, and the human
 * judgment a label becomes (docs/judging.md, "Human review"). A label answers the reviewed judgment's own
 * question — same item, revision, subject (model, request, variant), kind and baseline — under the judge id
 * {@code human} or {@code human:<reviewer>}, with {@code origin: human}, so the aggregator folds it into a
 * slot of its own and {@code judge-agreement} pairs it with the model judge's verdict.
 */
public final class ReviewLabels {
    /** The judge id of a label without a reviewer. */
    public static final String HUMAN = "human";

    private ReviewLabels() {}

    /** The judge id of {@code reviewer}'s labels: {@code human}, or {@code human:<reviewer>}. */
    public static String judgeId(String reviewer) {
        return reviewer == null || reviewer.isBlank() ? HUMAN : HUMAN + ":" + reviewer;
    }

    /**
     * The requests no human has labelled yet, newest request per reviewed judgment, in the order given: a
     * request is answered by any human judgment of the same answer ({@link #answerKey}).
     */
    public static List<ReviewRequest> pending(List<ReviewRequest> requests, List<Judgment> judgments) {
        Set<String> labelled = judgments.stream()
                .filter(j -> j.origin() == Origin.HUMAN)
                .map(ReviewLabels::answerKey)
                .collect(Collectors.toSet());
        Map<String, ReviewRequest> byId = new LinkedHashMap<>();
        requests.forEach(r -> byId.put(r.reviewId(), r));
        return byId.values().stream()
                .filter(r -> !labelled.contains(answerKey(r.judgment())))
                .toList();
    }

    /** The requests for {@code item} of {@code model} (and of {@code benchmark}, {@code baseline} when given). */
    public static List<ReviewRequest> matching(
            List<ReviewRequest> requests, String benchmark, String item, String model, String baseline) {
        return requests.stream()
                .filter(r -> benchmark == null || benchmark.equals(r.judgment().benchmark()))
                .filter(r -> item.equals(r.judgment().itemId()))
                .filter(r -> model.equals(r.judgment().subject().modelId()))
                .filter(r -> baseline == null || baseline.equals(baselineOf(r.judgment())))
                .toList();
    }

    /**
     * The human judgment that answers {@code request} with {@code label}: {@code correct}/{@code wrong}
     * (reference), an outcome {@code much_better}…{@code much_worse} or {@code win}/{@code tie}/{@code loss}
     * (pairwise, from the subject's side), {@code win}/{@code tie}/{@code loss} (preference: 2, 1.5, 1), or a
     * number on the judge's scale (score).
     *
     * @throws IllegalArgumentException when the label does not fit the judgment's kind
     */
    public static Judgment label(ReviewRequest request, String reviewer, String label, Instant now) {
        Judgment j = request.judgment();
        String judge = judgeId(reviewer);
        JudgeSpec reviewed = j.judge();
        JudgeSpec spec = new JudgeSpec(
                judge,
                reviewed.protocol(),
                "human",
                "1",
                null,
                null,
                reviewed.baselines(),
                null,
                null,
                null,
                null,
                reviewed.scale());
        String l = label.trim().toLowerCase(Locale.ROOT);
        Boolean correct = null;
        Judgment.Score score = null;
        Judgment.Pairwise pairwise = null;
        Double preference = null;
        Map<String, Object> details = null;
        switch (j.kind()) {
            case CORRECT ->
                correct = switch (l) {
                    case "correct", "true", "yes" -> true;
                    case "wrong", "false", "no" -> false;
                    default -> throw wrong(label, "correct or wrong");
                };
            case PAIRWISE ->
                pairwise = new Judgment.Pairwise(
                        outcome(l, label),
                        j.pairwise().baselineModel(),
                        j.pairwise().baselineRequestId(),
                        j.pairwise().baselineChars(),
                        null,
                        null);
            case PREFERENCE -> {
                preference = switch (l) {
                    case "win" -> 2.0;
                    case "tie" -> 1.5;
                    case "loss" -> 1.0;
                    default -> throw wrong(label, "win, tie or loss");
                };
                details = new LinkedHashMap<>();
                details.put("baselineModel", baselineOf(j));
            }
            case SCORE -> {
                double v;
                try {
                    v = Double.parseDouble(l);
                } catch (NumberFormatException e) {
                    throw wrong(label, "a number");
                }
                double min =
                        j.score() != null ? j.score().min() : reviewed.scale().min();
                double max =
                        j.score() != null ? j.score().max() : reviewed.scale().max();
                if (v < min || v > max) {
                    throw wrong(label, "a number in [" + min + ", " + max + "]");
                }
                score = new Judgment.Score(v, min, max);
            }
            default -> throw new IllegalStateException("unknown kind " + j.kind());
        }
        return new Judgment(
                Ids.hash("human-label", request.reviewId(), judge),
                j.benchmark(),
                j.itemId(),
                j.revision(),
                j.category(),
                j.categories(),
                j.publishedAt(),
                spec,
                j.subject(),
                j.kind(),
                correct,
                score,
                pairwise,
                preference,
                null,
                false,
                false,
                false,
                "human review (" + String.join(", ", request.reasons()) + ")",
                details,
                Origin.HUMAN,
                now);
    }

    /** What a label and the judgment it answers share: benchmark, item, revision, model, request, variant, kind, baseline. */
    static String answerKey(Judgment j) {
        List<String> parts = new ArrayList<>(List.of(
                j.benchmark(),
                j.itemId(),
                String.valueOf(j.revision()),
                j.subject().modelId(),
                Objects.toString(j.subject().requestId(), "-"),
                j.subject().variant() == null ? "-" : j.subject().variant().label(),
                j.kind().name()));
        parts.add(Objects.toString(baselineOf(j), "-"));
        return String.join("|", parts);
    }

    /** The baseline of a pairwise or preference judgment, {@code null} otherwise. */
    public static String baselineOf(Judgment j) {
        if (j.pairwise() != null) {
            return j.pairwise().baselineModel();
        }
        if (j.kind() != JudgmentKind.PREFERENCE) {
            return null;
        }
        if (j.details() != null && j.details().get("baselineModel") instanceof String named) {
            return named;
        }
        return j.judge().baselines() == null || j.judge().baselines().isEmpty()
                ? null
                : j.judge().baselines().get(0);
    }

    private static PairwiseOutcome outcome(String l, String label) {
        return switch (l) {
            case "win" -> PairwiseOutcome.BETTER;
            case "loss" -> PairwiseOutcome.WORSE;
            default -> {
                for (PairwiseOutcome o : PairwiseOutcome.values()) {
                    if (o.wireName().equals(l)) {
                        yield o;
                    }
                }
                throw wrong(label, "much_better, better, tie, worse, much_worse, win or loss");
            }
        };
    }

    private static IllegalArgumentException wrong(String label, String expected) {
        return new IllegalArgumentException("label '" + label + "' does not fit this judgment: expected " + expected);
    }
}
