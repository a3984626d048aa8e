package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Wilson;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.Kappa;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code judge-agreement}: per model judge, how often it says what a human said about the same answer. A
 * human label is a judgment with {@code origin: human} ({@link Slot#human}), folded under its own judge id;
 * every other judge is a model judge, counted at its current version ({@link Leaderboards#currentVersion}).
 * A judge's slot is <i>labelled</i> when a human slot of the same kind has the same item, revision, model,
 * prompt format and baseline (and the same request, when both name one); with several, the newest by
 * {@link Fold#NEWEST}. {@code judge=} keeps the labels of that human judge only.
 *
 * <p>Agreement per kind: {@code correct} equal; {@code pairwise} the same outcome class (win = much_better
 * or better, tie, loss = worse or much_worse); {@code preference} the same side of 1.5 (0, no verdict, is a
 * tie); {@code score} the exact same score (no tolerance: a judge on an integer scale agrees only on the
 * same grade).
 *
 * <p>A row per model judge with a labelled slot (the row's {@code modelId} is the judge's id):
 * value/lower/upper = the agreement rate with its 95% Wilson interval, clustered by item as {@code accuracy}
 * ({@link Wilson#clustered}; plain Wilson with one labelled slot per item); n = labelled slots;
 * {@code kappa} with {@code kappaLower}/{@code kappaUpper}/{@code kappaSe}: Cohen's kappa of the judge's
 * classes against the human's, with the large-sample interval of Fleiss, Cohen &amp; Everitt 1969
 * ({@link Kappa}); {@code expectedAgreement} = p_e; {@code agreements}; {@code items}. Kappa is null when
 * undefined (every verdict and label in one class). A jury also gets a row per member model, {@code
 * jury[member]} with {@code jury} and {@code member} in its metrics: the member's own verdict in each labelled
 * jury judgment ({@link Slot#juryVerdicts}, classed by {@link #memberClass}) against the same labels, with the
 * same statistics; a {@code combine: weighted} jury in the judge weighs its members by them (PRE-style
 * qualification). Unparseable verdicts and labels are left out. Without
 * human labels the view has no rows, and {@code params.humanLabels} says 0. See docs/aggregation.md.
 */
final class JudgeAgreementBuilder implements ViewBuilder {

    /** The snapshot over a benchmark's slots of every kind (already restricted to a window or post-cutoff). */
    static LeaderboardSnapshot snapshot(
            String benchmark, List<Slot> slots, Leaderboards.Context ctx, ViewQuery query, Instant asOf) {
        return snapshot(benchmark, slots, null, ctx, query, asOf);
    }

    /**
     * The snapshot over {@code slots}, with each model judge counted at its version in {@code versions} ({@code
     * null}: {@link Leaderboards#currentVersion} of its parsed slots among {@code slots}). {@link LabelledItems}
     * hands it the slots of the labelled items only, with the versions the tallies give over every slot.
     */
    static LeaderboardSnapshot snapshot(
            String benchmark,
            List<Slot> slots,
            Map<String, String> versions,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf) {
        TreeSet<String> humans = new TreeSet<>();
        slots.stream().filter(Slot::human).forEach(s -> humans.add(s.judgeId()));
        if (query.judge() != null && !humans.contains(query.judge())) {
            throw new UnknownParameterException("judge", query.judge(), List.copyOf(humans));
        }
        List<Slot> usable = slots.stream()
                .filter(s -> !s.unparseable())
                .filter(s ->
                        !s.human() || query.judge() == null || query.judge().equals(s.judgeId()))
                .toList();
        ViewBuilder builder = View.JUDGE_AGREEMENT.builder();
        Input in = new Input(benchmark, usable, Map.of(), ctx, query, 0, true);
        List<Row> rows = Leaderboards.rank(builder.ranking(), rows(in, versions));
        Map<String, Object> params = query.params(0, query.judge(), null, null);
        params.put("humanLabels", usable.stream().filter(Slot::human).count());
        params.put("humanJudges", List.copyOf(humans));
        return new LeaderboardSnapshot(
                benchmark,
                query.view().wireName(),
                asOf,
                rows.stream().mapToLong(Row::n).sum(),
                rows,
                params,
                null,
                0L,
                Leaderboards.failing(ctx, rows));
    }

    @Override
    public List<Row> rows(Input in) {
        return rows(in, null);
    }

    /** The rows, each model judge at its version in {@code versions} ({@code null}: its slots' current one). */
    private static List<Row> rows(Input in, Map<String, String> versions) {
        Map<String, List<Slot>> labels = new HashMap<>();
        Map<String, List<Slot>> byJudge = new TreeMap<>();
        for (Slot s : in.slots()) {
            if (s.human()) {
                labels.computeIfAbsent(key(s), x -> new ArrayList<>()).add(s);
            } else if (s.judgeId() != null) {
                byJudge.computeIfAbsent(s.judgeId(), x -> new ArrayList<>()).add(s);
            }
        }
        List<Row> rows = new ArrayList<>();
        if (labels.isEmpty()) {
            return rows;
        }
        byJudge.forEach((judge, ss) -> {
            String version = versions == null ? Leaderboards.currentVersion(ss) : versions.get(judge);
            Exam exam = new Exam();
            Map<String, Exam> members = new TreeMap<>();
            for (Slot s : ss) {
                Slot label = Objects.equals(s.judgeVersion(), version) ? label(s, labels) : null;
                if (label != null) {
                    String truth = verdictClass(label);
                    exam.add(s, verdictClass(s), truth);
                    if (s.juryVerdicts() != null) {
                        s.juryVerdicts()
                                .forEach((member, v) -> members.computeIfAbsent(member, x -> new Exam())
                                        .add(s, memberClass(s.kind(), v), truth));
                    }
                }
            }
            if (!exam.pairs.isEmpty()) {
                rows.add(row(judge, version, exam, Map.of(), in));
            }
            members.forEach((member, e) ->
                    rows.add(row(memberRow(judge, member), version, e, Map.of("jury", judge, "member", member), in)));
        });
        return rows;
    }

    /** The row id of a jury member: {@code jury[member]}. */
    static String memberRow(String jury, String member) {
        return jury + "[" + member + "]";
    }

    /** Verdict classes against the labels' classes, and agreements per item. */
    private static final class Exam {
        final List<String[]> pairs = new ArrayList<>();
        final Map<String, long[]> perItem = new TreeMap<>();

        /** {@code s}'s verdict class against its label's, counted in its item ({@link ScoreTally#item}). */
        void add(Slot s, String said, String truth) {
            pairs.add(new String[] {said, truth});
            long[] t = perItem.computeIfAbsent(ScoreTally.item(s), x -> new long[2]);
            t[0] += said.equals(truth) ? 1 : 0;
            t[1]++;
        }
    }

    private static Row row(String judge, String version, Exam exam, Map<String, Object> extra, Input in) {
        List<String[]> pairs = exam.pairs;
        Map<String, long[]> perItem = exam.perItem;
        long[] agreed = new long[perItem.size()];
        long[] counts = new long[perItem.size()];
        int i = 0;
        for (long[] t : perItem.values()) {
            agreed[i] = t[0];
            counts[i++] = t[1];
        }
        Estimate rate = Wilson.clustered(agreed, counts);
        Kappa.Result kappa = Kappa.of(Kappa.table(pairs));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agreements", java.util.Arrays.stream(agreed).sum());
        m.put("items", (long) perItem.size());
        m.put("kappa", kappa.kappa());
        m.put("kappaLower", kappa.lower());
        m.put("kappaUpper", kappa.upper());
        m.put("kappaSe", kappa.se());
        m.put("expectedAgreement", kappa.expected());
        m.put("judgeVersion", version);
        m.putAll(extra);
        return Rows.row(
                judge, in.ctx(), rate.value(), rate.lower(), rate.upper(), rate.n(), Map.of(), Rows.clean(m), true);
    }

    /** The human label of a model judge's slot, {@code null} when none. */
    private static Slot label(Slot s, Map<String, List<Slot>> labels) {
        return labels.getOrDefault(key(s), List.of()).stream()
                .filter(h -> h.requestId() == null
                        || s.requestId() == null
                        || h.requestId().equals(s.requestId()))
                .max(Fold.NEWEST)
                .orElse(null);
    }

    /** What a label and a verdict must share: kind, item, revision, model, prompt format, baseline. */
    private static String key(Slot s) {
        return String.join(
                Fold.SEPARATOR,
                s.kind().name(),
                s.itemId(),
                Integer.toString(s.revision()),
                s.modelId(),
                Objects.requireNonNullElse(s.format(), Fold.NONE),
                Objects.requireNonNullElse(s.baseline(), Fold.NONE));
    }

    /**
     * The class of a jury member's verdict ({@link Slot#juryVerdicts}, from the subject's side), as
     * {@link #verdictClass} classes the jury's: a pairwise mean whose magnitude rounds (half toward zero, as the
     * judge rounds it) to 0 is a tie; a preference P(subject) is a win above 0.5; a score is its value.
     */
    static String memberClass(JudgmentKind kind, double v) {
        return switch (kind) {
            case PAIRWISE -> Math.abs(v) - 0.5 <= 1e-12 ? "tie" : v > 0 ? "win" : "loss";
            case PREFERENCE -> v == 0.5 ? "tie" : v > 0.5 ? "win" : "loss";
            case SCORE -> "score " + v;
            case CORRECT -> throw new IllegalArgumentException("a reference judgment has no jury");
        };
    }

    /** The class a verdict is compared in: two verdicts agree when their classes are equal. */
    static String verdictClass(Slot s) {
        JudgmentKind kind = s.kind();
        return switch (kind) {
            case CORRECT -> s.correct() ? "correct" : "wrong";
            case PAIRWISE ->
                switch (s.outcome()) {
                    case MUCH_BETTER, BETTER -> "win";
                    case TIE -> "tie";
                    case WORSE, MUCH_WORSE -> "loss";
                };
            case PREFERENCE -> {
                double p = s.preference() == null ? 0.0 : s.preference();
                yield p == 0.0 || p == 1.5 ? "tie" : p > 1.5 ? "win" : "loss";
            }
            case SCORE -> "score " + s.score();
        };
    }
}
