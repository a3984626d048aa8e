package io.assay.judge.llm;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.Origin;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Protocol;
import io.assay.contracts.SimHints;
import io.assay.judge.llm.Ballot.Answer;
import io.assay.judge.llm.Ballot.Slot;
import io.assay.judge.prompts.JudgePrompt;
import io.assay.judge.prompts.JudgePrompts;
import io.assay.judge.verdicts.ParsedVerdict;
import io.assay.judge.verdicts.VerdictParser;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The LLM-judge protocols as plain Java: opening a {@link Ballot} with its judge requests, reading each
 * judge reply into its slot (with one repair request for an unparseable reply), and turning a complete
 * ballot into a {@link Judgment}. Knows nothing of Kafka; the stream processor stores the ballots.
 *
 * <p>Ballots, pairing, position swap, juries and repairs: docs/judging.md.
 */
public final class LlmJudging {
    /** Repair requests per slot before a verdict is given up as unparseable. */
    public static final int MAX_REPAIRS = 1;

    private final JudgePrompts prompts;
    private final JudgeRequests judgeRequests;
    private final Clock clock;
    private final Function<String, Optional<LeaderboardSnapshot>> agreement;
    private final JuryWeights juryWeights;

    /**
     * With the judge prompt templates and the clock that stamps requests and judgments; a {@code weighted} jury
     * has no agreement to read and takes the plain mean.
     */
    public LlmJudging(JudgePrompts prompts, Clock clock) {
        this(prompts, clock, benchmark -> Optional.empty(), JuryWeights.DEFAULTS);
    }

    /**
     * @param prompts the judge prompt templates
     * @param clock stamps requests and judgments
     * @param agreement a benchmark's latest {@code judge-agreement} snapshot, which weighs a {@code weighted} jury
     * @param juryWeights how the agreement becomes weights
     */
    public LlmJudging(
            JudgePrompts prompts,
            Clock clock,
            Function<String, Optional<LeaderboardSnapshot>> agreement,
            JuryWeights juryWeights) {
        this.prompts = prompts;
        this.judgeRequests = new JudgeRequests(prompts, clock);
        this.clock = clock;
        this.agreement = agreement;
        this.juryWeights = juryWeights;
    }

    /**
     * The judge spec as judgments record it: method = the template id, promptVersion = the template
     * version, version defaulting to {@code 1}. Empty when no template fits or no judge model is named.
     */
    public Optional<JudgeSpec> resolve(JudgeSpec spec) {
        if (spec.protocol() == Protocol.REFERENCE || members(spec).isEmpty()) {
            return Optional.empty();
        }
        return prompts.find(spec.protocol(), spec.method(), spec.promptVersion())
                .filter(t -> t.protocol().equals(spec.protocol().wireName()))
                .map(t -> new JudgeSpec(
                        spec.id(),
                        spec.protocol(),
                        t.id(),
                        spec.version() == null ? "1" : spec.version(),
                        spec.judgeModel(),
                        t.version(),
                        spec.baselines(),
                        spec.lengthPenalty(),
                        spec.positionSwap(),
                        spec.jury(),
                        spec.combine(),
                        spec.protocol() == Protocol.SCORE ? JudgeSpec.Scale.ONE_TO_TEN : null,
                        spec.pairing()));
    }

    /** The judge models: the jury, else the one judge model. */
    public static List<String> members(JudgeSpec spec) {
        if (spec.jury() != null && !spec.jury().isEmpty()) {
            return spec.jury();
        }
        return spec.judgeModel() == null || spec.judgeModel().isBlank() ? List.of() : List.of(spec.judgeModel());
    }

    /** The presentation orders judged: none for a score, both with position swap, else subject first. */
    public static List<String> orders(JudgeSpec spec) {
        if (spec.protocol() == Protocol.SCORE) {
            return Collections.singletonList(null);
        }
        return Boolean.TRUE.equals(spec.positionSwap())
                ? List.of(Ballot.SUBJECT_FIRST, Ballot.BASELINE_FIRST)
                : List.of(Ballot.SUBJECT_FIRST);
    }

    /** The id of the judgment (and ballot) for these answers and this resolved judge. */
    public static String ballotId(JudgeSpec resolved, ModelResponse subject, ModelResponse baseline) {
        List<String> ids =
                baseline == null ? List.of(subject.requestId()) : List.of(subject.requestId(), baseline.requestId());
        return Ids.judgmentId(ids, resolved);
    }

    /**
     * A new ballot and its judge requests.
     *
     * @param item the item (its question and checklist go into the prompt)
     * @param resolved the resolved judge spec ({@link #resolve})
     * @param subject the answer judged
     * @param baseline the baseline answer, or {@code null} for a score
     * @param simulated which judge models are {@code sim} models (they get {@link SimHints})
     */
    public Opened open(
            BenchmarkItem item,
            JudgeSpec resolved,
            ModelResponse subject,
            ModelResponse baseline,
            Predicate<String> simulated) {
        JudgePrompt template = prompts.find(resolved.protocol(), resolved.method(), resolved.promptVersion())
                .orElseThrow();
        String ballotId = ballotId(resolved, subject, baseline);
        List<Slot> slots = new ArrayList<>();
        List<PromptRequest> requests = new ArrayList<>();
        for (String member : members(resolved)) {
            for (String order : orders(resolved)) {
                List<ModelResponse> shown = baseline == null
                        ? List.of(subject)
                        : Ballot.BASELINE_FIRST.equals(order) ? List.of(baseline, subject) : List.of(subject, baseline);
                String requestId = Ids.hash("judge-request", ballotId, member, order, "0");
                requests.add(judgeRequests.request(
                        requestId, item, resolved, template, member, shown, subject, simulated.test(member)));
                slots.add(new Slot(member, order, requestId, 1, Slot.WAITING, List.of(), null, null, null, null));
            }
        }
        Ballot ballot = new Ballot(
                ballotId,
                resolved,
                item.benchmark(),
                item.itemId(),
                item.revisionOrDefault(),
                item.categoryOrDefault(),
                item.publishedAt(),
                Answer.of(subject),
                baseline == null ? null : Answer.of(baseline),
                slots,
                false,
                item.categoriesUnder(null),
                Ballot.instructionDifficulty(item),
                clock.instant());
        return new Opened(ballot, requests);
    }

    /**
     * Reads a judge reply into its slot.
     *
     * @param ballot the ballot
     * @param index the slot
     * @param request the judge request the reply answers (needed to build a repair)
     * @param response the judge's reply
     */
    public Step read(Ballot ballot, int index, PromptRequest request, ModelResponse response) {
        Slot slot = ballot.slots().get(index);
        List<String> raw = new ArrayList<>(slot.raw());
        raw.add(response.output() == null ? "" : response.output());
        if (response.failed()) {
            Slot given = new Slot(
                    slot.member(),
                    slot.order(),
                    slot.requestId(),
                    slot.attempts(),
                    Slot.UNPARSEABLE,
                    raw,
                    null,
                    null,
                    null,
                    "judge call failed: " + response.error().kind());
            return new Step(ballot.withSlot(index, given), null);
        }
        ParsedVerdict verdict = VerdictParser.parse(
                ballot.judge().protocol(), response.output(), response.logprobs(), response.finishReason());
        if (verdict.parsed()) {
            Slot parsed = new Slot(
                    slot.member(),
                    slot.order(),
                    slot.requestId(),
                    slot.attempts(),
                    Slot.PARSED,
                    raw,
                    verdict.value(),
                    verdict.label(),
                    verdict.rationale(),
                    null);
            return new Step(ballot.withSlot(index, parsed), null);
        }
        if (slot.attempts() <= MAX_REPAIRS) {
            PromptRequest repair = judgeRequests.repair(request, response, verdict.problem(), slot.attempts());
            Slot retried = new Slot(
                    slot.member(),
                    slot.order(),
                    slot.requestId(),
                    slot.attempts() + 1,
                    Slot.WAITING,
                    raw,
                    null,
                    null,
                    null,
                    verdict.problem());
            return new Step(ballot.withSlot(index, retried), repair);
        }
        Slot given = new Slot(
                slot.member(),
                slot.order(),
                slot.requestId(),
                slot.attempts(),
                Slot.UNPARSEABLE,
                raw,
                null,
                null,
                null,
                verdict.problem());
        return new Step(ballot.withSlot(index, given), null);
    }

    /**
     * The id of the judge request whose reply a waiting slot awaits: its first request's, or after a repair
     * the repair's ({@link JudgeRequests#repair} numbers them by the attempt whose reply it follows).
     */
    public static String awaitedRequestId(Slot slot) {
        String id = slot.requestId();
        for (int attempt = 1; attempt < slot.attempts(); attempt++) {
            id = JudgeRequests.repairId(id, attempt);
        }
        return id;
    }

    /** The ballot with its slot {@code index} given up for {@code problem}, as a failed judge call gives it up. */
    public static Ballot givenUp(Ballot ballot, int index, String problem) {
        Slot slot = ballot.slots().get(index);
        return ballot.withSlot(
                index,
                new Slot(
                        slot.member(),
                        slot.order(),
                        slot.requestId(),
                        slot.attempts(),
                        Slot.UNPARSEABLE,
                        slot.raw(),
                        null,
                        null,
                        null,
                        problem));
    }

    /** The judgment of a complete ballot. */
    public Judgment judgment(Ballot ballot) {
        JudgeSpec judge = ballot.judge();
        List<Map<String, Object>> members = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        String rationale = null;
        for (Slot slot : ballot.slots()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("judgeModel", slot.member());
            if (slot.order() != null) {
                m.put("order", slot.order());
            }
            m.put("status", slot.status());
            m.put("attempts", slot.attempts());
            m.put("raw", slot.raw());
            if (Slot.PARSED.equals(slot.status())) {
                m.put("label", slot.label());
                m.put("value", slot.value());
                labels.add(slot.label());
                if (rationale == null) {
                    rationale = slot.rationale();
                }
            } else {
                m.put("problem", slot.problem());
            }
            members.add(m);
        }
        Map<String, Double> byMember = memberValues(ballot);
        List<String> voted = List.copyOf(byMember.keySet());
        List<Double> memberValues = List.copyOf(byMember.values());
        String rule = judge.combine() == null ? Combination.MEAN : judge.combine();
        boolean unparseable = memberValues.isEmpty();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("template", judge.method() + "@" + judge.promptVersion());
        details.put("verdicts", members);
        if (members(judge).size() > 1) {
            details.put("combine", rule);
        }
        List<Double> weights = null;
        if (Combination.WEIGHTED.equals(rule) && !unparseable) {
            JuryWeights.Weighting weighting =
                    juryWeights.weigh(agreement.apply(ballot.benchmark()), judge.id(), judge.versionKey(), voted);
            weights = weighting.of(voted);
            details.put("weighting", weighting.basis());
            if (weights != null) {
                details.put("weights", weighting.weights());
                details.put("weightsAsOf", weighting.asOf());
                details.put("qualification", juryWeights.qualification());
            }
        }
        Judgment.Score score = null;
        Judgment.Pairwise pairwise = null;
        Double preference = null;
        JudgmentKind kind;
        switch (judge.protocol()) {
            case SCORE -> {
                kind = JudgmentKind.SCORE;
                if (!unparseable) {
                    score = new Judgment.Score(
                            Combination.score(memberValues, rule, weights),
                            VerdictParser.SCORE_MIN,
                            VerdictParser.SCORE_MAX);
                }
            }
            case PAIRWISE -> {
                kind = JudgmentKind.PAIRWISE;
                if (!unparseable) {
                    PairwiseOutcome outcome = Combination.pairwise(memberValues, rule, weights);
                    pairwise = new Judgment.Pairwise(
                            outcome,
                            ballot.baseline().modelId(),
                            ballot.baseline().requestId(),
                            ballot.baseline().chars(),
                            orderOf(ballot),
                            labels,
                            ballot.baseline().truncated(),
                            ballot.baseline().empty());
                }
            }
            default -> {
                kind = JudgmentKind.PREFERENCE;
                if (!unparseable) {
                    preference = Combination.preference(memberValues, rule, weights);
                    details.put("baselineModel", ballot.baseline().modelId());
                    details.put("baselineRequestId", ballot.baseline().requestId());
                    details.put("baselineChars", ballot.baseline().chars());
                    details.put("baselineTruncated", ballot.baseline().truncated());
                    details.put("baselineEmpty", ballot.baseline().empty());
                    ballot.putInstructionDifficulty(details);
                    details.put("order", orderOf(ballot));
                }
            }
        }
        if (unparseable) {
            rationale = "no parseable verdict: "
                    + ballot.slots().stream().map(Slot::problem).distinct().collect(Collectors.joining("; "));
        }
        Answer subject = ballot.subject();
        return new Judgment(
                ballot.ballotId(),
                ballot.benchmark(),
                ballot.itemId(),
                ballot.revision(),
                ballot.category(),
                ballot.categories(),
                ballot.publishedAt(),
                judge,
                new Judgment.Subject(subject.modelId(), subject.requestId(), subject.variant(), subject.chars()),
                kind,
                null,
                score,
                pairwise,
                preference,
                null,
                subject.truncated(),
                subject.empty(),
                unparseable,
                rationale,
                details,
                Origin.PIPELINE,
                clock.instant());
    }

    /**
     * Each judge model's verdict from the subject's side, its presentation orders averaged: the values a jury
     * combines. Judge models without a parseable verdict are absent; the order is the ballot's.
     */
    public static Map<String, Double> memberValues(Ballot ballot) {
        Map<String, List<Double>> byMember = new LinkedHashMap<>();
        for (Slot slot : ballot.slots()) {
            if (Slot.PARSED.equals(slot.status())) {
                byMember.computeIfAbsent(slot.member(), k -> new ArrayList<>())
                        .add(subjectSide(ballot.judge().protocol(), slot));
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        byMember.forEach((member, values) -> out.put(member, Combination.mean(values)));
        return out;
    }

    /**
     * Whether the two orders a judge model gave agree (same sign on the subject's side); empty unless the
     * model has both orders parsed.
     */
    public static Map<String, Boolean> swapConsistency(Ballot ballot) {
        Map<String, List<Double>> byMember = new LinkedHashMap<>();
        for (Slot slot : ballot.slots()) {
            if (slot.order() != null && Slot.PARSED.equals(slot.status())) {
                byMember.computeIfAbsent(slot.member(), k -> new ArrayList<>())
                        .add(subjectSide(ballot.judge().protocol(), slot));
            }
        }
        Map<String, Boolean> out = new LinkedHashMap<>();
        byMember.forEach((member, values) -> {
            if (values.size() == 2) {
                double centre = ballot.judge().protocol() == Protocol.PREFERENCE ? 0.5 : 0;
                out.put(member, Math.signum(values.get(0) - centre) == Math.signum(values.get(1) - centre));
            }
        });
        return out;
    }

    /** The slot's verdict from the subject's side (pairwise −2..2, preference P(subject), score as is). */
    static double subjectSide(Protocol protocol, Slot slot) {
        boolean mirrored = Ballot.BASELINE_FIRST.equals(slot.order());
        return switch (protocol) {
            case PAIRWISE -> mirrored ? -slot.value() : slot.value();
            case PREFERENCE -> mirrored ? 1 - slot.value() : slot.value();
            default -> slot.value();
        };
    }

    private static String orderOf(Ballot ballot) {
        List<String> parsedOrders = ballot.slots().stream()
                .filter(s -> Slot.PARSED.equals(s.status()))
                .map(Slot::order)
                .distinct()
                .toList();
        return parsedOrders.size() == 1 ? parsedOrders.get(0) : "both";
    }

    /**
     * A new ballot and the judge requests to send.
     *
     * @param ballot the ballot to store
     * @param requests one per slot
     */
    public record Opened(Ballot ballot, List<PromptRequest> requests) {}

    /**
     * The result of reading one reply.
     *
     * @param ballot the updated ballot
     * @param repair a repair request to send, or {@code null}
     */
    public record Step(Ballot ballot, PromptRequest repair) {}
}
