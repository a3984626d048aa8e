package io.assay.judge.judging;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.ModelResponse;
import io.assay.judge.drift.Canary;
import io.assay.judge.drift.CanaryRef;
import io.assay.judge.drift.CanarySet;
import io.assay.judge.drift.Drift;
import io.assay.judge.llm.Ballot;
import java.util.List;

/**
 * The state {@link Judging} works on, one partition's worth: items, responses waiting for their item,
 * answers waiting to be paired, ballots and the judge calls that fill them, and (on the canary task) the
 * judges' canaries and their last drift. The Kafka Streams
 * processor backs it with task-local changelogged stores (so a restart resumes where the last
 * transaction ended); unit tests back it with maps. Lists come back in a stable order (by request id,
 * by model id), so the same events emit the same records in the same order.
 */
public interface JudgingStore {

    /** The item stored under {@code itemKey} ({@code benchmark/itemId}), {@code null} when none. */
    BenchmarkItem item(String itemKey);

    /** Stores an item under its key, replacing the one there. */
    void putItem(BenchmarkItem item);

    /** Forgets the item under {@code itemKey} (it was retired). */
    void deleteItem(String itemKey);

    /** The responses waiting for the item under {@code itemKey}, by request id. */
    List<Waiting> waiting(String itemKey);

    /**
     * The next at most {@code limit} waiting responses of the partition in key order (item key, then request
     * id), after those the last call returned; after the last one, from the first again. Expiry reads one
     * such slice per sweep, so a sweep's cost does not grow with the store.
     */
    List<Waiting> nextWaiting(int limit);

    /** Keeps a response until its item revision arrives. */
    void putWaiting(Waiting waiting);

    /** Stops keeping a waiting response. */
    void deleteWaiting(ModelResponse response);

    /** The answer of {@code modelId} to this item revision and variant, {@code null} when none. */
    ModelResponse answer(String itemKey, int revision, String variant, String modelId);

    /** Every stored answer to this item revision and variant, by model id. */
    List<ModelResponse> answers(String itemKey, int revision, String variant);

    /** Keeps an answer to be paired, under its item, revision, variant and model. */
    void putAnswer(ModelResponse answer);

    /** The next at most {@code limit} stored answers in key order, as {@link #nextWaiting} pages. */
    List<ModelResponse> nextAnswers(int limit);

    /** Forgets a stored answer. */
    void deleteAnswer(ModelResponse answer);

    /** Forgets the answers to revisions of the item older than {@code revision}. */
    void deleteAnswersBefore(String itemKey, int revision);

    /** The ballot with this id, {@code null} when none. */
    Ballot ballot(String ballotId);

    /** Stores a ballot under its id. */
    void putBallot(Ballot ballot);

    /** The next at most {@code limit} ballots in id order, as {@link #nextWaiting} pages. */
    List<Ballot> nextBallots(int limit);

    /** Forgets a ballot. */
    void deleteBallot(String ballotId);

    /** The call awaiting the reply to {@code requestId}, {@code null} when none. */
    JudgeCall call(String requestId);

    /** Stores a call under its request's id. */
    void putCall(JudgeCall call);

    /** Forgets the call of {@code requestId} (its reply was read). */
    void deleteCall(String requestId);

    /** The canary set of a judge of a benchmark, {@code null} when none. */
    CanarySet canarySet(String benchmark, String judge);

    /** Every canary set of the partition, by benchmark then judge. */
    List<CanarySet> canarySets();

    /** Stores a canary set under its benchmark and judge. */
    void putCanarySet(CanarySet set);

    /** The canaries of a judge of a benchmark, by canary id. */
    List<Canary> canaries(String benchmark, String judge);

    /** One canary, {@code null} when none. */
    Canary canary(String benchmark, String judge, String canaryId);

    /** Stores a canary under its benchmark, judge and id. */
    void putCanary(Canary canary);

    /** Forgets a canary. */
    void deleteCanary(Canary canary);

    /** The canary waiting for the verdict of {@code ballotId}, {@code null} when none. */
    CanaryRef canaryOfBallot(String ballotId);

    /** Notes that a canary waits for the verdict of {@code ballotId}. */
    void putCanaryOfBallot(String ballotId, CanaryRef canary);

    /** Forgets which canary waited for {@code ballotId}. */
    void deleteCanaryOfBallot(String ballotId);

    /** The last drift measured of every judge of the partition, by benchmark then judge. */
    List<Drift> drifts();

    /** Stores the last drift of a judge, replacing the one before. */
    void putDrift(Drift drift);

    /**
     * A response waiting for its item revision.
     *
     * @param response the response
     * @param readAt where it was read in its topic, so a dead letter made when it is judged can name it
     */
    record Waiting(ModelResponse response, ReadAt readAt) {}
}
