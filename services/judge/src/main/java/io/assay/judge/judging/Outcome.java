package io.assay.judge.judging;

import io.assay.contracts.Judgment;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.ReviewRequest;
import io.assay.judge.drift.Drift;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What one event made {@link Judging} do: the judgments and judge requests to emit, the responses to
 * dead-letter, and what the meters count. Filled while the event is handled, then only read.
 */
public final class Outcome {
    private final List<Judgment> judgments = new ArrayList<>();
    private final List<PromptRequest> requests = new ArrayList<>();
    private final List<PromptRequest> repairs = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();
    private final List<Response> responses = new ArrayList<>();
    private final List<Unjudged> unjudged = new ArrayList<>();
    private final List<String> unparseable = new ArrayList<>();
    private final List<SwappedPair> swappedPairs = new ArrayList<>();
    private final List<ReviewRequest> reviews = new ArrayList<>();
    private final List<Drift> drifts = new ArrayList<>();
    private final List<Unanswered> unanswered = new ArrayList<>();
    private final List<Swept> swept = new ArrayList<>();
    private boolean replyRead;

    Outcome() {}

    /** Judgments to emit, in order. */
    public List<Judgment> judgments() {
        return Collections.unmodifiableList(judgments);
    }

    /** First judge requests to emit (one per slot of each ballot opened), in order. */
    public List<PromptRequest> requests() {
        return Collections.unmodifiableList(requests);
    }

    /** Repair requests to emit (after an unparseable reply). */
    public List<PromptRequest> repairs() {
        return Collections.unmodifiableList(repairs);
    }

    /** Responses to dead-letter. */
    public List<Rejection> rejections() {
        return Collections.unmodifiableList(rejections);
    }

    /** What happened to the responses handled, one entry per decision. */
    public List<Response> responses() {
        return Collections.unmodifiableList(responses);
    }

    /** Judges that gave no judgment for a reason worth counting. */
    public List<Unjudged> unjudged() {
        return Collections.unmodifiableList(unjudged);
    }

    /** The judges (ids) whose reply could not be parsed, once per reply. */
    public List<String> unparseable() {
        return Collections.unmodifiableList(unparseable);
    }

    /** For each judge model that judged both presentation orders of a pair: whether they agree. */
    public List<SwappedPair> swappedPairs() {
        return Collections.unmodifiableList(swappedPairs);
    }

    /** Judgments a human should review ({@code assay.reviews}), in order. */
    public List<ReviewRequest> reviews() {
        return Collections.unmodifiableList(reviews);
    }

    /** Drifts measured: a judge's canaries are back under its new version. */
    public List<Drift> drifts() {
        return Collections.unmodifiableList(drifts);
    }

    /** Judge requests given up on (no reply within the retention): dead letters ({@code expired}). */
    public List<Unanswered> unanswered() {
        return Collections.unmodifiableList(unanswered);
    }

    /** Entries the retention sweep took out of a store, one per entry. */
    public List<Swept> swept() {
        return Collections.unmodifiableList(swept);
    }

    /** Whether a judge reply this judge asked for was read (it is no longer pending). */
    public boolean replyRead() {
        return replyRead;
    }

    void judgment(Judgment judgment) {
        judgments.add(judgment);
    }

    void request(PromptRequest request) {
        requests.add(request);
    }

    void repair(PromptRequest request) {
        repairs.add(request);
    }

    void reject(Rejection rejection) {
        rejections.add(rejection);
    }

    void response(Response response) {
        responses.add(response);
    }

    void unjudged(Unjudged judge) {
        unjudged.add(judge);
    }

    void unparseable(String judge) {
        unparseable.add(judge);
    }

    void swappedPair(SwappedPair pair) {
        swappedPairs.add(pair);
    }

    void review(ReviewRequest review) {
        reviews.add(review);
    }

    void drift(Drift drift) {
        drifts.add(drift);
    }

    void unanswered(Unanswered request) {
        unanswered.add(request);
    }

    void swept(Swept entry) {
        swept.add(entry);
    }

    void readReply() {
        replyRead = true;
    }

    /**
     * A judge request whose reply never came within the retention: its slot was given up.
     *
     * @param request the request, as sent to the invoker
     * @param reason why it is given up
     */
    public record Unanswered(PromptRequest request, String reason) {}

    /**
     * An entry the retention sweep took out of a store.
     *
     * @param store {@code pending}, {@code answers} or {@code ballots}
     * @param outcome {@link #EXPIRED} (it still waited: a dead letter) or {@link #REMOVED} (nothing waited on
     *     it any more)
     */
    public record Swept(String store, String outcome) {
        /** Still waiting when its retention ran out: dead-lettered ({@code expired}). */
        public static final String EXPIRED = "expired";
        /** Kept past its use for pairing or deduplication, and now forgotten. */
        public static final String REMOVED = "removed";
        /** The store of responses waiting for their item. */
        public static final String PENDING = "pending";
        /** The store of answers kept for pairing. */
        public static final String ANSWERS = "answers";
        /** The store of ballots. */
        public static final String BALLOTS = "ballots";
    }

    /** What happened to a response; the meter's {@code outcome} tag. */
    public enum Response {
        /** Judged: every judge of its benchmark decided or opened a ballot. */
        JUDGED,
        /** Waits for its item revision. */
        PENDING,
        /** Answers an older revision than the item's. */
        STALE,
        /** The model call failed: nothing to judge. */
        FAILED,
        /** No judge could judge it, or a judge reply nobody waits for. */
        SKIPPED,
        /** A judge reply read into its ballot. */
        VERDICT,
        /** A redelivered answer or judge reply: nothing more to do. */
        DUPLICATE,
        /**
         * Waited longer than the retention for its item revision, or (an answer kept for pairing) for a
         * baseline's answer: dead-lettered ({@code expired}).
         */
        EXPIRED;

        /** The tag value. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A response that cannot be judged and goes to the dead-letter topic.
     *
     * @param reasonClass the low-cardinality reason (meter tag)
     * @param reason what went wrong
     * @param response the response
     * @param readAt where it was read in its topic
     */
    public record Rejection(String reasonClass, String reason, ModelResponse response, ReadAt readAt) {}

    /**
     * A judge that gave no judgment.
     *
     * @param judge the judge id
     * @param protocol the protocol's wire name ({@code unknown} when none)
     * @param outcome {@link #MISCONFIGURED} or {@link #UNSCORABLE}
     */
    public record Unjudged(String judge, String protocol, String outcome) {
        /** An LLM judge without a judge model or a prompt template. */
        public static final String MISCONFIGURED = "misconfigured";
        /** A reference judge the item gives nothing to decide with. */
        public static final String UNSCORABLE = "unscorable";
    }

    /**
     * One judge model's two presentation orders of one pair.
     *
     * @param judge the judge id
     * @param consistent both orders favour the same side
     */
    public record SwappedPair(String judge, boolean consistent) {}
}
