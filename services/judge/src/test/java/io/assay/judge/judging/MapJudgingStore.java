package io.assay.judge.judging;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.ModelResponse;
import io.assay.judge.drift.Canary;
import io.assay.judge.drift.CanaryRef;
import io.assay.judge.drift.CanarySet;
import io.assay.judge.drift.Drift;
import io.assay.judge.llm.Ballot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link JudgingStore} in maps, in the same order as the Kafka stores' prefix scans. */
final class MapJudgingStore implements JudgingStore {
    private final Map<String, BenchmarkItem> items = new HashMap<>();
    private final Map<String, TreeMap<String, Waiting>> waiting = new TreeMap<>();
    private final Map<Answers, TreeMap<String, ModelResponse>> answers = new HashMap<>();
    private final Map<String, Ballot> ballots = new HashMap<>();
    private final Map<String, JudgeCall> calls = new HashMap<>();
    private final TreeMap<List<String>, CanarySet> canarySets = new TreeMap<>(MapJudgingStore::compare);
    private final TreeMap<List<String>, Canary> canaries = new TreeMap<>(MapJudgingStore::compare);
    private final Map<String, CanaryRef> canaryBallots = new HashMap<>();
    private final TreeMap<List<String>, Drift> drifts = new TreeMap<>(MapJudgingStore::compare);

    /** The answers to one item revision and variant. */
    private record Answers(String itemKey, int revision, String variant) {}

    @Override
    public BenchmarkItem item(String itemKey) {
        return items.get(itemKey);
    }

    @Override
    public void putItem(BenchmarkItem item) {
        items.put(item.key(), item);
    }

    @Override
    public void deleteItem(String itemKey) {
        items.remove(itemKey);
    }

    @Override
    public List<Waiting> waiting(String itemKey) {
        return new ArrayList<>(waiting.getOrDefault(itemKey, new TreeMap<>()).values());
    }

    /** The first {@code limit} (the unit tests' stores are smaller than a sweep's batch). */
    @Override
    public List<Waiting> nextWaiting(int limit) {
        List<Waiting> every = new ArrayList<>();
        waiting.values().forEach(w -> every.addAll(w.values()));
        return every.subList(0, Math.min(limit, every.size()));
    }

    @Override
    public void putWaiting(Waiting w) {
        ModelResponse response = w.response();
        waiting.computeIfAbsent(response.key(), k -> new TreeMap<>()).put(response.requestId(), w);
    }

    @Override
    public void deleteWaiting(ModelResponse response) {
        waiting.getOrDefault(response.key(), new TreeMap<>()).remove(response.requestId());
    }

    @Override
    public ModelResponse answer(String itemKey, int revision, String variant, String modelId) {
        return answers.getOrDefault(new Answers(itemKey, revision, variant), new TreeMap<>())
                .get(modelId);
    }

    @Override
    public List<ModelResponse> answers(String itemKey, int revision, String variant) {
        return new ArrayList<>(answers.getOrDefault(new Answers(itemKey, revision, variant), new TreeMap<>())
                .values());
    }

    @Override
    public void putAnswer(ModelResponse answer) {
        answers.computeIfAbsent(
                        new Answers(
                                answer.key(),
                                answer.revision(),
                                answer.variant().label()),
                        k -> new TreeMap<>())
                .put(answer.modelId(), answer);
    }

    @Override
    public List<ModelResponse> nextAnswers(int limit) {
        List<ModelResponse> every = new ArrayList<>();
        answers.values().forEach(a -> every.addAll(a.values()));
        return every.subList(0, Math.min(limit, every.size()));
    }

    @Override
    public void deleteAnswer(ModelResponse answer) {
        answers.getOrDefault(
                        new Answers(
                                answer.key(),
                                answer.revision(),
                                answer.variant().label()),
                        new TreeMap<>())
                .remove(answer.modelId());
    }

    @Override
    public void deleteAnswersBefore(String itemKey, int revision) {
        answers.keySet().removeIf(a -> a.itemKey().equals(itemKey) && a.revision() < revision);
    }

    @Override
    public Ballot ballot(String ballotId) {
        return ballots.get(ballotId);
    }

    @Override
    public void putBallot(Ballot ballot) {
        ballots.put(ballot.ballotId(), ballot);
    }

    @Override
    public List<Ballot> nextBallots(int limit) {
        return new ArrayList<>(ballots.values()).subList(0, Math.min(limit, ballots.size()));
    }

    @Override
    public void deleteBallot(String ballotId) {
        ballots.remove(ballotId);
    }

    @Override
    public JudgeCall call(String requestId) {
        return calls.get(requestId);
    }

    @Override
    public void putCall(JudgeCall call) {
        calls.put(call.request().requestId(), call);
    }

    @Override
    public void deleteCall(String requestId) {
        calls.remove(requestId);
    }

    /** How many answers are kept for pairing. */
    int answerCount() {
        return answers.values().stream().mapToInt(Map::size).sum();
    }

    @Override
    public CanarySet canarySet(String benchmark, String judge) {
        return canarySets.get(List.of(benchmark, judge));
    }

    @Override
    public List<CanarySet> canarySets() {
        return new ArrayList<>(canarySets.values());
    }

    @Override
    public void putCanarySet(CanarySet set) {
        canarySets.put(List.of(set.benchmark(), set.judge()), set);
    }

    @Override
    public List<Canary> canaries(String benchmark, String judge) {
        return canaries.values().stream()
                .filter(c -> c.benchmark().equals(benchmark) && c.judge().equals(judge))
                .toList();
    }

    @Override
    public Canary canary(String benchmark, String judge, String canaryId) {
        return canaries.get(List.of(benchmark, judge, canaryId));
    }

    @Override
    public void putCanary(Canary canary) {
        canaries.put(List.of(canary.benchmark(), canary.judge(), canary.canaryId()), canary);
    }

    @Override
    public void deleteCanary(Canary canary) {
        canaries.remove(List.of(canary.benchmark(), canary.judge(), canary.canaryId()));
    }

    @Override
    public CanaryRef canaryOfBallot(String ballotId) {
        return canaryBallots.get(ballotId);
    }

    @Override
    public void putCanaryOfBallot(String ballotId, CanaryRef canary) {
        canaryBallots.put(ballotId, canary);
    }

    @Override
    public void deleteCanaryOfBallot(String ballotId) {
        canaryBallots.remove(ballotId);
    }

    @Override
    public List<Drift> drifts() {
        return new ArrayList<>(drifts.values());
    }

    @Override
    public void putDrift(Drift drift) {
        drifts.put(List.of(drift.benchmark(), drift.judge()), drift);
    }

    /** Keys compared part by part, as the Kafka store's joined keys sort. */
    private static int compare(List<String> a, List<String> b) {
        return String.join("\u0000", a).compareTo(String.join("\u0000", b));
    }
}
