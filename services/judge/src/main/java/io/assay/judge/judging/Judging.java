package io.assay.judge.judging;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Judgment;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Protocol;
import io.assay.contracts.Purpose;
import io.assay.contracts.ReviewRequest;
import io.assay.judge.drift.Canary;
import io.assay.judge.drift.CanaryRef;
import io.assay.judge.drift.CanarySet;
import io.assay.judge.drift.Drift;
import io.assay.judge.drift.VerdictClass;
import io.assay.judge.judging.JudgingStore.Waiting;
import io.assay.judge.judging.Outcome.Rejection;
import io.assay.judge.judging.Outcome.Response;
import io.assay.judge.judging.Outcome.SwappedPair;
import io.assay.judge.judging.Outcome.Swept;
import io.assay.judge.judging.Outcome.Unanswered;
import io.assay.judge.judging.Outcome.Unjudged;
import io.assay.judge.llm.Ballot;
import io.assay.judge.llm.LlmJudging;
import io.assay.judge.pairing.PairingPolicy;
import io.assay.judge.review.ReviewSelection;
import io.assay.judge.scoring.ReferenceJudge;
import io.assay.judge.scoring.UnscorableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Joins responses with their items and judges them, one partition at a time (items and responses are
 * both keyed {@code benchmark/itemId}, so an item and every response to it meet here).
 *
 * <p>Arrival order is free: a response whose item (at its revision) is not here yet waits in the store
 * and is judged when the item arrives; a response to an older revision than the stored item is stale
 * and dropped. A revision is judged against the content it was first published with.
 *
 * <p>Reference judges decide at once ({@link ReferenceJudge}). LLM judges ({@code score},
 * {@code pairwise}, {@code preference}) open a {@link Ballot} and ask the judge models; their replies
 * come back as responses to the same item, fill the ballot, and it becomes a judgment once every verdict
 * is in ({@link LlmJudging}). Pairwise and preference judges pair a candidate's answer with each
 * baseline's answer to the same item revision and variant; answers wait in the store, so the pair forms
 * in either arrival order.
 *
 * <p>On the canary task ({@code canaries > 0}) it keeps each judge's first {@code canaries} judged answers
 * and, when the judge's version changes, judges them again and measures how far the two versions agree
 * ({@link #checkCanaries}, docs/judging.md "Judge drift").
 *
 * <p>Knows nothing of Kafka: it is handed parsed events and returns an {@link Outcome} to emit.
 *
 * <p>The join, ballots and pairing: docs/judging.md; what a new or late revision does here and in the
 * other stages: docs/revisions.md.
 */
public final class Judging {
    private static final Logger LOG = Logger.getLogger(Judging.class);

    /** The setting every retention of the judge's state follows. */
    public static final String RETENTION_SETTING = "assay.judge.pending-retention";

    /** The dead-letter reason of what waited longer than the retention. */
    public static final String EXPIRED = "expired";

    /** How many entries of each store one retention sweep reads at most: its cost does not grow with the store. */
    public static final int SWEEP_BATCH = 10_000;

    /** Where an answer kept for pairing was read: the {@code answers} store does not keep it (its letter names the topic only). */
    private static final ReadAt NOT_KEPT = new ReadAt(-1, -1);

    private final ReferenceJudge reference;
    private final LlmJudging llm;
    private final JudgingStore store;
    private final Function<String, BenchmarkSpec> benchmarks;
    private final Predicate<String> simulated;
    /** The share of LLM judgments drawn for the random human audit ({@code assay.judge.review-rate}). */
    private final double reviewRate;
    /** Canaries kept per judge of a benchmark: {@code assay.judge.canaries} on the canary task, else 0. */
    private final int canaries;
    /** A benchmark's latest published {@code bt} leaderboard, for adaptive pairing. */
    private final Function<String, Optional<LeaderboardSnapshot>> ratings;

    /**
     * @param reference the reference judge
     * @param llm the LLM-judge protocols
     * @param store this partition's state
     * @param benchmarks a benchmark's spec, its defaults when none is registered
     * @param simulated whether a judge model is a registered {@code sim} model (its requests get hints)
     */
    public Judging(
            ReferenceJudge reference,
            LlmJudging llm,
            JudgingStore store,
            Function<String, BenchmarkSpec> benchmarks,
            Predicate<String> simulated) {
        this(reference, llm, store, benchmarks, simulated, 0);
    }

    /**
     * A judging that also asks for human review of the LLM judgments that are position-inconsistent or drawn
     * by the audit at {@code reviewRate} ({@link ReviewSelection}).
     */
    public Judging(
            ReferenceJudge reference,
            LlmJudging llm,
            JudgingStore store,
            Function<String, BenchmarkSpec> benchmarks,
            Predicate<String> simulated,
            double reviewRate) {
        this(reference, llm, store, benchmarks, simulated, reviewRate, 0, benchmark -> Optional.empty());
    }

    /**
     * A judging that also keeps up to {@code canaries} canaries per judge of a benchmark and measures a
     * changed judge's drift on them (only the task of partition 0 keeps canaries: give the others 0), and
     * whose adaptive pairwise judges pair answers by {@code ratings}, a benchmark's latest published
     * {@code bt} leaderboard ({@link PairingPolicy}); empty when none is known.
     */
    public Judging(
            ReferenceJudge reference,
            LlmJudging llm,
            JudgingStore store,
            Function<String, BenchmarkSpec> benchmarks,
            Predicate<String> simulated,
            double reviewRate,
            int canaries,
            Function<String, Optional<LeaderboardSnapshot>> ratings) {
        this.ratings = ratings;
        this.reference = reference;
        this.llm = llm;
        this.store = store;
        this.benchmarks = benchmarks;
        this.simulated = simulated;
        this.reviewRate = reviewRate;
        this.canaries = canaries;
    }

    /** An item revision: a newer one is stored and judges the responses that waited for it. */
    public Outcome onItem(BenchmarkItem item) {
        Outcome out = new Outcome();
        BenchmarkItem stored = store.item(item.key());
        // A revision is judged against the content it was first published with, as the prompt generator
        // prompts it: a re-publish changes nothing, a change without a revision bump is refused there,
        // and an older revision arriving late is ignored.
        int storedRevision = stored == null ? 0 : stored.revisionOrDefault();
        if (storedRevision >= item.revisionOrDefault()) {
            LOG.debugf(
                    "ignoring revision %s of %s: revision %s is stored",
                    (Object) item.revisionOrDefault(), item.key(), storedRevision);
            return out;
        }
        store.putItem(item);
        // Answers to older revisions can never pair again: a new revision is judged on its own answers.
        store.deleteAnswersBefore(item.key(), item.revisionOrDefault());
        for (Waiting waiting : store.waiting(item.key())) {
            ModelResponse response = waiting.response();
            if (response.revision() > item.revisionOrDefault()) {
                continue;
            }
            store.deleteWaiting(response);
            if (response.revision() < item.revisionOrDefault()) {
                out.response(Response.STALE);
            } else {
                judge(item, response, waiting.readAt(), out);
            }
        }
        return out;
    }

    /**
     * The retention sweep, over the next {@code batch} entries of each store ({@link JudgingStore#nextWaiting}):
     * whatever waited longer than {@code retention} for what it needs is given up on with a dead letter
     * (reason {@code expired}), and what was kept past its use is forgotten, so no store grows with history.
     *
     * <ul>
     *   <li>{@code pending}: a response answered before the cutoff still waiting for its item revision (the
     *       item was never published, was retired and never came back, or never reached that revision).</li>
     *   <li>{@code answers}: an answer answered before the cutoff that is not a baseline's answer; a dead letter
     *       when a baseline's answer it would be paired with never came, else it is forgotten (it was paired).
     *       A baseline's answer stays while its item revision is current: every model registered later
     *       (back-fill) is paired with it. A benchmark with an adaptive pairing judge keeps every answer (any of
     *       them may be a later model's opponent).</li>
     *   <li>{@code ballots}: a ballot opened before the cutoff. A finished one is forgotten: a redelivery of its
     *       answer opens it again (same id, so the aggregator ignores the judgment). An open one, whose judge
     *       calls never got a reply, has those slots given up as a failed call gives them up, is emitted as its
     *       judgment (from the verdicts it has, else {@code unparseable}), and is forgotten; each unanswered
     *       request is a dead letter. A ballot stored before ballots kept their time is stamped now.</li>
     * </ul>
     *
     * <p>Answers and responses without an answer time never expire (every successful answer has one).
     *
     * @param now the sweep's wall-clock time
     * @param retention how long an entry is kept ({@code assay.judge.pending-retention})
     * @param batch the entries of each store read by this sweep at most
     */
    public Outcome expire(Instant now, Duration retention, int batch) {
        Outcome out = new Outcome();
        Instant cutoff = now.minus(retention);
        expireWaiting(cutoff, retention, batch, out);
        expireAnswers(cutoff, retention, batch, out);
        expireBallots(now, cutoff, retention, batch, out);
        return out;
    }

    private void expireWaiting(Instant cutoff, Duration retention, int batch, Outcome out) {
        for (Waiting waiting : store.nextWaiting(batch)) {
            ModelResponse response = waiting.response();
            Instant answered = response.answeredAt();
            if (answered == null || !answered.isBefore(cutoff)) {
                continue;
            }
            store.deleteWaiting(response);
            BenchmarkItem item = store.item(response.key());
            out.reject(new Rejection(
                    EXPIRED,
                    "waited longer than " + retention + " (" + RETENTION_SETTING + ") for revision "
                            + response.revision() + " of item " + response.key() + "; answered at " + answered
                            + ", the item is " + (item == null ? "absent" : "at revision " + item.revisionOrDefault()),
                    response,
                    waiting.readAt()));
            out.response(Response.EXPIRED);
            out.swept(new Swept(Swept.PENDING, Swept.EXPIRED));
        }
    }

    private void expireAnswers(Instant cutoff, Duration retention, int batch, Outcome out) {
        Map<String, Kept> kept = new HashMap<>();
        for (ModelResponse answer : store.nextAnswers(batch)) {
            Instant answered = answer.answeredAt();
            if (answered == null || !answered.isBefore(cutoff)) {
                continue;
            }
            Kept keep = kept.computeIfAbsent(answer.benchmark(), this::kept);
            if (keep.every() || keep.baselines().contains(answer.modelId())) {
                continue;
            }
            store.deleteAnswer(answer);
            String variant = answer.variant().label();
            Set<String> missing = new TreeSet<>();
            for (String baseline : keep.baselines()) {
                if (store.answer(answer.key(), answer.revision(), variant, baseline) == null) {
                    missing.add(baseline);
                }
            }
            if (missing.isEmpty()) {
                out.swept(new Swept(Swept.ANSWERS, Swept.REMOVED));
                continue;
            }
            out.reject(new Rejection(
                    EXPIRED,
                    "waited longer than " + retention + " (" + RETENTION_SETTING + ") to be paired: no answer of "
                            + String.join(", ", missing) + " to revision " + answer.revision() + " (variant "
                            + variant + ") of item " + answer.key() + "; answered at " + answered,
                    answer,
                    NOT_KEPT));
            out.response(Response.EXPIRED);
            out.swept(new Swept(Swept.ANSWERS, Swept.EXPIRED));
        }
    }

    /**
     * Which answers of a benchmark its pairing judges keep while their item revision is current: every
     * answer when one of them is adaptive, else the baselines' (each judge's, else the benchmark's).
     */
    private Kept kept(String benchmark) {
        BenchmarkSpec spec = benchmarks.apply(benchmark);
        Set<String> baselines = new TreeSet<>();
        for (JudgeSpec judge : spec.judgesOrDefault()) {
            if (judge.protocol() == null
                    || judge.protocol() == Protocol.REFERENCE
                    || judge.protocol() == Protocol.SCORE) {
                continue;
            }
            if (judge.pairing() != null && judge.pairing().adaptive()) {
                return new Kept(true, Set.of());
            }
            List<String> own =
                    judge.baselines() != null && !judge.baselines().isEmpty() ? judge.baselines() : spec.baselines();
            if (own != null) {
                baselines.addAll(own);
            }
        }
        return new Kept(false, baselines);
    }

    /**
     * The answers a benchmark keeps past the retention.
     *
     * @param every every answer (an adaptive pairing judge)
     * @param baselines else these models' answers
     */
    private record Kept(boolean every, Set<String> baselines) {}

    private void expireBallots(Instant now, Instant cutoff, Duration retention, int batch, Outcome out) {
        for (Ballot ballot : store.nextBallots(batch)) {
            if (ballot.openedAt() == null) {
                store.putBallot(ballot.withOpenedAt(now));
                continue;
            }
            if (!ballot.openedAt().isBefore(cutoff)) {
                continue;
            }
            if (!ballot.done()) {
                giveUp(ballot, retention, out);
            }
            store.deleteBallot(ballot.ballotId());
            out.swept(new Swept(Swept.BALLOTS, ballot.done() ? Swept.REMOVED : Swept.EXPIRED));
        }
    }

    /** Gives up the waiting slots of a ballot whose replies never came, and emits its judgment. */
    private void giveUp(Ballot ballot, Duration retention, Outcome out) {
        Ballot updated = ballot;
        for (int i = 0; i < ballot.slots().size(); i++) {
            Ballot.Slot slot = ballot.slots().get(i);
            if (!Ballot.Slot.WAITING.equals(slot.status())) {
                continue;
            }
            String requestId = LlmJudging.awaitedRequestId(slot);
            JudgeCall call = store.call(requestId);
            store.deleteCall(requestId);
            if (call != null) {
                out.unanswered(new Unanswered(
                        call.request(),
                        "no reply within " + retention + " (" + RETENTION_SETTING + ") from judge model "
                                + slot.member() + " to this request of ballot " + ballot.ballotId() + " (judge "
                                + ballot.judge().id() + ", item " + ballot.benchmark() + "/" + ballot.itemId()
                                + ", opened at " + ballot.openedAt() + "): its slot is given up"));
            }
            updated = LlmJudging.givenUp(updated, i, "no reply within " + retention);
        }
        complete(updated, out);
    }

    /** The item was retired: responses to it wait until it comes back (or expire, {@link #expire}). */
    public void onItemRetired(String itemKey) {
        store.deleteItem(itemKey);
    }

    /**
     * A response: a model's answer to judge, or a judge model's reply to a judge request.
     *
     * @param response the response
     * @param readAt where it was read in its topic (a dead letter names it)
     */
    public Outcome onResponse(ModelResponse response, ReadAt readAt) {
        Outcome out = new Outcome();
        if (response.purpose() == Purpose.JUDGE) {
            onReply(response, out);
            return out;
        }
        if (response.failed()) {
            out.response(Response.FAILED);
            return out;
        }
        BenchmarkItem item = store.item(response.key());
        if (item != null && item.revisionOrDefault() == response.revision()) {
            judge(item, response, readAt, out);
        } else if (item != null && item.revisionOrDefault() > response.revision()) {
            out.response(Response.STALE);
        } else {
            store.putWaiting(new Waiting(response, readAt));
            out.response(Response.PENDING);
        }
        return out;
    }

    /**
     * Runs every judge of the benchmark on the response: reference judges decide at once, LLM judges
     * open ballots and ask their judge models.
     */
    private void judge(BenchmarkItem published, ModelResponse response, ReadAt readAt, Outcome out) {
        BenchmarkSpec benchmark = benchmarks.apply(published.benchmark());
        // Its categories as the spec maps its tags now: the judgment counts in each.
        BenchmarkItem item = published.withCategories(benchmark.categoriesOf(published));
        boolean judged = false;
        boolean stored = false;
        for (JudgeSpec spec : benchmark.judgesOrDefault()) {
            String protocol =
                    spec.protocol() == null ? "unknown" : spec.protocol().wireName();
            if (spec.protocol() != Protocol.REFERENCE) {
                Optional<JudgeSpec> resolved = llm.resolve(spec);
                if (resolved.isEmpty()) {
                    LOG.warnf(
                            "judge %s of %s has no judge model or no %s prompt template; skipped",
                            spec.id(), item.benchmark(), protocol);
                    out.unjudged(new Unjudged(spec.id(), protocol, Unjudged.MISCONFIGURED));
                    continue;
                }
                if (spec.protocol() == Protocol.SCORE) {
                    open(item, resolved.get(), response, null, out);
                } else {
                    if (!stored) {
                        store.putAnswer(response);
                        stored = true;
                    }
                    pair(item, resolved.get(), response, out);
                }
                judged = true;
                continue;
            }
            Judgment judgment;
            try {
                judgment = reference.judge(item, response, spec);
            } catch (UnscorableException e) {
                LOG.warnf("judge %s cannot score %s: %s", spec.id(), response.key(), e.getMessage());
                out.unjudged(new Unjudged(spec.id(), protocol, Unjudged.UNSCORABLE));
                continue;
            } catch (RuntimeException e) {
                // A scorer bug must not stop the stream: park the response and go on.
                LOG.errorf(e, "judge %s failed on %s", spec.id(), response.key());
                out.reject(new Rejection("error", "judge " + spec.id() + " failed: " + e, response, readAt));
                continue;
            }
            judged = true;
            out.judgment(judgment);
            keepCanary(item, judgment.judge(), response, null, null, VerdictClass.of(judgment));
        }
        out.response(judged ? Response.JUDGED : Response.SKIPPED);
    }

    /**
     * Pairs an answer with the stored answers of the same item revision and variant, as the judge's
     * pairing policy decides ({@link PairingPolicy}): by default as a candidate with each baseline, and,
     * when it is a baseline, as the baseline of every other model's answer.
     */
    private void pair(BenchmarkItem item, JudgeSpec judge, ModelResponse response, Outcome out) {
        Set<String> baselines = new LinkedHashSet<>();
        if (judge.baselines() != null && !judge.baselines().isEmpty()) {
            baselines.addAll(judge.baselines());
        } else {
            List<String> benchmarkBaselines = benchmarks.apply(item.benchmark()).baselines();
            if (benchmarkBaselines != null) {
                baselines.addAll(benchmarkBaselines);
            }
        }
        String variant = response.variant().label();
        Map<String, ModelResponse> present = new LinkedHashMap<>();
        for (ModelResponse other : store.answers(item.key(), item.revisionOrDefault(), variant)) {
            present.putIfAbsent(other.modelId(), other);
        }
        present.put(response.modelId(), response);
        Optional<LeaderboardSnapshot> bt =
                judge.pairing() != null && judge.pairing().adaptive()
                        ? ratings.apply(item.benchmark())
                        : Optional.empty();
        List<PairingPolicy.Pair> pairs = PairingPolicy.pairs(
                judge.pairing(), baselines, item.key(), variant, response.modelId(), List.copyOf(present.keySet()), bt);
        for (PairingPolicy.Pair p : pairs) {
            open(item, judge, present.get(p.subject()), present.get(p.baseline()), out);
        }
    }

    /** Opens a ballot unless it exists (a redelivered or duplicate answer), and asks its judge models. */
    private void open(BenchmarkItem item, JudgeSpec judge, ModelResponse subject, ModelResponse baseline, Outcome out) {
        String ballotId = LlmJudging.ballotId(judge, subject, baseline);
        if (store.ballot(ballotId) != null) {
            out.response(Response.DUPLICATE);
            return;
        }
        ask(item, judge, subject, baseline, out);
        keepCanary(item, judge, subject, baseline, ballotId, null);
    }

    /** Stores a new ballot and its judge calls, and asks the judge models. */
    private void ask(BenchmarkItem item, JudgeSpec judge, ModelResponse subject, ModelResponse baseline, Outcome out) {
        LlmJudging.Opened opened = llm.open(item, judge, subject, baseline, simulated);
        String ballotId = opened.ballot().ballotId();
        store.putBallot(opened.ballot());
        for (int i = 0; i < opened.requests().size(); i++) {
            PromptRequest request = opened.requests().get(i);
            store.putCall(new JudgeCall(ballotId, i, request));
            out.request(request);
        }
    }

    /** A judge model's reply: fills its ballot slot, repairs once, emits the judgment when complete. */
    private void onReply(ModelResponse response, Outcome out) {
        JudgeCall call = store.call(response.requestId());
        if (call == null) {
            // Not ours, or a redelivery of a reply already read.
            out.response(Response.SKIPPED);
            return;
        }
        store.deleteCall(response.requestId());
        out.readReply();
        Ballot ballot = store.ballot(call.ballotId());
        if (ballot == null) {
            out.response(Response.SKIPPED);
            return;
        }
        if (ballot.done()
                || !Ballot.Slot.WAITING.equals(ballot.slots().get(call.slot()).status())) {
            out.response(Response.DUPLICATE);
            return;
        }
        out.response(Response.VERDICT);
        LlmJudging.Step step = llm.read(ballot, call.slot(), call.request(), response);
        Ballot updated = step.ballot();
        String judge = ballot.judge().id();
        if (updated.slots().get(call.slot()).problem() != null) {
            out.unparseable(judge);
        }
        if (step.repair() != null) {
            store.putCall(new JudgeCall(ballot.ballotId(), call.slot(), step.repair()));
            out.repair(step.repair());
        }
        if (updated.complete()) {
            updated = complete(updated, out);
        }
        store.putBallot(updated);
    }

    /** Emits the judgment of a ballot whose every slot is filled or given up; returns it finished. */
    private Ballot complete(Ballot ballot, Outcome out) {
        Judgment judgment = llm.judgment(ballot);
        LlmJudging.swapConsistency(ballot)
                .values()
                .forEach(consistent ->
                        out.swappedPair(new SwappedPair(ballot.judge().id(), consistent)));
        out.judgment(judgment);
        canaryVerdict(ballot, judgment, out);
        List<String> reasons = ReviewSelection.reasons(ballot, judgment.judgmentId(), reviewRate);
        if (!reasons.isEmpty()) {
            out.review(ReviewRequest.of(judgment, reasons, judgment.judgedAt()));
        }
        return ballot.finished();
    }

    /**
     * Keeps a judged answer as a canary of its judge while the judge has fewer than {@code canaries} at
     * the version that judged it; not while its canaries are being judged again.
     *
     * @param ballotId the ballot whose verdict the canary waits for (LLM judges), else {@code null}
     * @param verdict the verdict class (reference judges, which decide at once), else {@code null}
     */
    private void keepCanary(
            BenchmarkItem item,
            JudgeSpec judge,
            ModelResponse subject,
            ModelResponse baseline,
            String ballotId,
            String verdict) {
        if (canaries == 0) {
            return;
        }
        String version = judge.versionKey();
        CanarySet set = store.canarySet(item.benchmark(), judge.id());
        if (set == null) {
            set = new CanarySet(item.benchmark(), judge.id(), version, null, 0, 0);
        }
        if (set.rejudgingTo() != null || !set.version().equals(version) || set.size() >= canaries) {
            return;
        }
        String id = Canary.id(subject, baseline);
        if (store.canary(item.benchmark(), judge.id(), id) != null) {
            return;
        }
        store.putCanary(new Canary(
                item.benchmark(),
                judge.id(),
                id,
                item.key(),
                item.revisionOrDefault(),
                subject,
                baseline,
                verdict,
                null,
                ballotId));
        if (ballotId != null) {
            store.putCanaryOfBallot(ballotId, new CanaryRef(item.benchmark(), judge.id(), id));
        }
        store.putCanarySet(set.grown());
    }

    /** A completed ballot a canary waits for: its first verdict, or its verdict under the new version. */
    private void canaryVerdict(Ballot ballot, Judgment judgment, Outcome out) {
        CanaryRef ref = canaries == 0 ? null : store.canaryOfBallot(ballot.ballotId());
        if (ref == null) {
            return;
        }
        store.deleteCanaryOfBallot(ballot.ballotId());
        Canary canary = store.canary(ref.benchmark(), ref.judge(), ref.canaryId());
        CanarySet set = store.canarySet(ref.benchmark(), ref.judge());
        if (canary == null || set == null || !ballot.ballotId().equals(canary.awaiting())) {
            return;
        }
        String version = ballot.judge().versionKey();
        if (set.rejudgingTo() == null && version.equals(set.version())) {
            store.putCanary(canary.withVerdict(VerdictClass.of(judgment)));
        } else if (version.equals(set.rejudgingTo())) {
            store.putCanary(canary.rejudged(VerdictClass.of(judgment)));
            settleIfBack(set.oneIn(), out);
        }
    }

    /**
     * Judges the canaries again of every judge whose version changed since they were judged: the canary
     * task's wall-clock check (so a changed spec is noticed with no new answer). A judge removed from its
     * benchmark, or an LLM judge left without a judge model or template, keeps its canaries as they are.
     */
    public Outcome checkCanaries() {
        Outcome out = new Outcome();
        if (canaries == 0) {
            return out;
        }
        for (CanarySet set : store.canarySets()) {
            BenchmarkSpec benchmark = benchmarks.apply(set.benchmark());
            Optional<JudgeSpec> current = benchmark.judgesOrDefault().stream()
                    .filter(j -> set.judge().equals(j.id()))
                    .findFirst()
                    .flatMap(j -> j.protocol() == Protocol.REFERENCE ? Optional.of(j) : llm.resolve(j));
            if (current.isEmpty()) {
                continue;
            }
            String version = current.get().versionKey();
            boolean settled = set.rejudgingTo() == null && version.equals(set.version());
            if (!settled && !version.equals(set.rejudgingTo())) {
                rejudge(set, benchmark, current.get(), out);
            }
        }
        return out;
    }

    /**
     * Judges a set's canaries under {@code judge}, a new version: reference judges at once, LLM judges by a
     * ballot each (the same ballot, and judgment id, as the new version would give the answer anyway, so an
     * open or finished one is reused). The new verdicts are ordinary judgments of the new version. A canary
     * whose item is gone or at a newer revision is dropped.
     */
    private void rejudge(CanarySet set, BenchmarkSpec benchmark, JudgeSpec judge, Outcome out) {
        String to = judge.versionKey();
        LOG.infof(
                "judge %s of %s changed from %s to %s: judging its %d canaries again",
                set.judge(), set.benchmark(), set.version(), to, set.size());
        int size = 0;
        int waiting = 0;
        for (Canary canary : store.canaries(set.benchmark(), set.judge())) {
            BenchmarkItem published = store.item(canary.itemKey());
            if (published == null || published.revisionOrDefault() != canary.revision()) {
                store.deleteCanary(canary);
                continue;
            }
            size++;
            BenchmarkItem item = published.withCategories(benchmark.categoriesOf(published));
            if (judge.protocol() == Protocol.REFERENCE) {
                store.putCanary(canary.rejudged(referenceVerdict(item, canary, judge, out)));
                continue;
            }
            String ballotId = LlmJudging.ballotId(judge, canary.subject(), canary.baseline());
            Ballot ballot = store.ballot(ballotId);
            if (ballot != null && ballot.done()) {
                store.putCanary(canary.rejudged(VerdictClass.of(llm.judgment(ballot))));
                continue;
            }
            if (ballot == null) {
                ask(item, judge, canary.subject(), canary.baseline(), out);
            }
            store.putCanary(canary.awaiting(ballotId));
            store.putCanaryOfBallot(ballotId, new CanaryRef(set.benchmark(), set.judge(), canary.canaryId()));
            waiting++;
        }
        settleIfBack(new CanarySet(set.benchmark(), set.judge(), set.version(), to, size, waiting), out);
    }

    /** A reference judge's verdict class on a canary (emitted as a judgment), {@code null} when it has none. */
    private String referenceVerdict(BenchmarkItem item, Canary canary, JudgeSpec judge, Outcome out) {
        try {
            Judgment judgment = reference.judge(item, canary.subject(), judge);
            out.judgment(judgment);
            return VerdictClass.of(judgment);
        } catch (RuntimeException e) {
            LOG.warnf("judge %s cannot judge canary %s again: %s", judge.id(), canary.canaryId(), e.getMessage());
            return null;
        }
    }

    /**
     * Stores {@code set}; when no canary waits any more, measures the drift from the set's version to the
     * new one, and the new version's verdicts become the canaries' verdicts.
     */
    private void settleIfBack(CanarySet set, Outcome out) {
        if (set.waiting() > 0) {
            store.putCanarySet(set);
            return;
        }
        List<String[]> pairs = new ArrayList<>();
        for (Canary canary : store.canaries(set.benchmark(), set.judge())) {
            if (canary.verdict() != null && canary.next() != null) {
                pairs.add(new String[] {canary.verdict(), canary.next()});
            }
            store.putCanary(canary.settled());
        }
        Drift drift = Drift.of(set.benchmark(), set.judge(), set.version(), set.rejudgingTo(), pairs);
        store.putDrift(drift);
        store.putCanarySet(new CanarySet(set.benchmark(), set.judge(), set.rejudgingTo(), null, set.size(), 0));
        LOG.infof(
                "judge %s of %s drifted from %s to %s: agreement %s on %d canaries, kappa %s [%s, %s]",
                drift.judge(),
                drift.benchmark(),
                drift.from(),
                drift.to(),
                drift.agreement(),
                drift.canaries(),
                drift.kappa(),
                drift.kappaLower(),
                drift.kappaUpper());
        out.drift(drift);
    }

    /** The last drift of every judge whose canaries this judging keeps (for the meters after a restart). */
    public List<Drift> drifts() {
        return canaries == 0 ? List.of() : store.drifts();
    }
}
