package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.Estimate;
import io.assay.aggregator.stats.Wilson;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.Kappa;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.LeaderboardSnapshot.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * undefined (every verdict and label in one class), its bounds when se is 0 ({@link Kappa}). A jury also gets
 * a row per member model, {@code jury[member]} with {@code jury} and {@code member} in its metrics: the member's
 * own verdict in each labelled jury judgment ({@link Slot#juryVerdicts}, classed by {@link #memberClass})
 * against the same labels, with the same statistics; a {@code combine: weighted} jury in the judge weighs its members by them (PRE-style
 * qualification). Unparseable verdicts and labels are left out. Without
 * human labels the view has no rows, and {@code params.humanLabels} says 0.
 *
 * <p>Computed as a merge of each item's part ({@link Part}: its pairs reduced to counts), whether the item's slots
 * were read with every slot or its part kept from an earlier computation ({@link LabelledItems.Cache}). See
 * docs/aggregation.md.
 */
final class JudgeAgreementBuilder implements ViewBuilder {

    /** The snapshot over a benchmark's slots of every kind (already restricted to a window or post-cutoff). */
    static LeaderboardSnapshot snapshot(
            String benchmark, List<Slot> slots, Leaderboards.Context ctx, ViewQuery query, Instant asOf) {
        return snapshot(benchmark, slots, null, ctx, query, asOf);
    }

    /**
     * The snapshot over {@code slots}, with each model judge counted at its version in {@code versions} ({@code
     * null}: {@link Leaderboards#currentVersion} of its parsed slots among {@code slots}): {@link #snapshot(String,
     * Collection, Map, Leaderboards.Context, ViewQuery, Instant)} of the slots' items ({@link #items}).
     */
    static LeaderboardSnapshot snapshot(
            String benchmark,
            List<Slot> slots,
            Map<String, String> versions,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf) {
        return snapshot(
                benchmark,
                items(slots, query.judge()),
                versions == null ? currentVersions(slots, query.judge()) : versions,
                ctx,
                query,
                asOf);
    }

    /**
     * The snapshot from the items' parts ({@link Part}, every item with a slot, or at least every item with a
     * label: the others add nothing), each model judge counted at its version in {@code versions}. {@link
     * LabelledItems} hands it the labelled items' parts, most of them kept from an earlier computation, with the
     * versions the tallies give over every slot.
     */
    static LeaderboardSnapshot snapshot(
            String benchmark,
            Collection<Part> items,
            Map<String, String> versions,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf) {
        TreeSet<String> humans = new TreeSet<>();
        long labels = 0;
        for (Part p : items) {
            humans.addAll(p.humans);
            labels += p.labels;
        }
        if (query.judge() != null && !humans.contains(query.judge())) {
            throw new UnknownParameterException("judge", query.judge(), List.copyOf(humans));
        }
        ViewBuilder builder = View.JUDGE_AGREEMENT.builder();
        List<Row> rows = Leaderboards.rank(builder.ranking(), rows(items, versions, ctx));
        Map<String, Object> params = query.params(0, query.judge(), null, null);
        params.put("humanLabels", labels);
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
        return rows(
                items(in.slots(), in.query().judge()),
                currentVersions(in.slots(), in.query().judge()),
                in.ctx());
    }

    /**
     * The parts of the items of {@code slots} ({@link #part}): a label pairs only with a verdict of its own item
     * id ({@link #key}), so each item is reduced on its own; the slots without an item id are one item here, as
     * {@link #key} pairs them.
     */
    static List<Part> items(List<Slot> slots, String judge) {
        Map<String, List<Slot>> byItem = new LinkedHashMap<>();
        for (Slot s : slots) {
            byItem.computeIfAbsent(s.itemId(), x -> new ArrayList<>()).add(s);
        }
        List<Part> out = new ArrayList<>(byItem.size());
        Canon canon = new Canon();
        byItem.values().forEach(ofItem -> out.add(part(ofItem, judge, canon)));
        return out;
    }

    /**
     * Per model judge, its current version ({@link Leaderboards#currentVersion}) over its parsed verdicts in
     * {@code slots} (those of the human judge {@code judge} asked for and other judges' labels are not verdicts).
     */
    private static Map<String, String> currentVersions(List<Slot> slots, String judge) {
        Map<String, List<Slot>> byJudge = new HashMap<>();
        for (Slot s : slots) {
            if (usable(s, judge) && !s.human() && s.judgeId() != null) {
                byJudge.computeIfAbsent(s.judgeId(), x -> new ArrayList<>()).add(s);
            }
        }
        Map<String, String> out = new HashMap<>();
        byJudge.forEach((j, ss) -> out.put(j, Leaderboards.currentVersion(ss)));
        return out;
    }

    /** Whether the view reads {@code s}: parsed, and a label only of the human judge asked for (if any). */
    private static boolean usable(Slot s, String judge) {
        return !s.unparseable() && (!s.human() || judge == null || judge.equals(s.judgeId()));
    }

    /**
     * One item's part of the view, from its slots (all of them, in key order) for the human judge {@code judge}
     * ({@code null}: every one): every model judge version's verdicts there paired with their labels, reduced.
     * The view is a merge of its items' parts ({@link #rows(Collection, Map, Leaderboards.Context)}), whatever
     * read them: every slot, or the labelled items, mostly kept from an earlier computation ({@link
     * LabelledItems.Cache}). Parts are kept for every judge version, the version counted being chosen over every
     * item's slots. The part's strings (judge ids, versions, classes) are {@code canon}'s, shared between parts.
     */
    static Part part(List<Slot> slots, String judge, Canon canon) {
        TreeSet<String> humans = new TreeSet<>();
        Map<String, List<Slot>> labels = new HashMap<>();
        long labelled = 0;
        for (Slot s : slots) {
            if (s.human()) {
                humans.add(canon.of(s.judgeId()));
                if (usable(s, judge)) {
                    labels.computeIfAbsent(key(s), x -> new ArrayList<>()).add(s);
                    labelled++;
                }
            }
        }
        TreeMap<String, Map<String, Judged>> judges = new TreeMap<>();
        if (!labels.isEmpty()) {
            for (Slot s : slots) {
                if (s.human() || s.judgeId() == null || !usable(s, judge)) {
                    continue;
                }
                Slot label = label(s, labels);
                if (label != null) {
                    String truth = canon.of(verdictClass(label));
                    Judged j = judges.computeIfAbsent(canon.of(s.judgeId()), x -> new HashMap<>(2))
                            .computeIfAbsent(canon.of(s.judgeVersion()), x -> new Judged());
                    j.exam.add(s, canon.of(verdictClass(s)), truth);
                    if (s.juryVerdicts() != null) {
                        s.juryVerdicts()
                                .forEach((member, v) -> j.members()
                                        .computeIfAbsent(canon.of(member), x -> new Pairs())
                                        .add(s, canon.of(memberClass(s.kind(), v)), truth));
                    }
                }
            }
            judges.values().forEach(versions -> versions.values().forEach(Judged::reduce));
        }
        return new Part(Set.copyOf(humans), labelled, judges);
    }

    /**
     * One item's part of the view ({@link #part}): the human judge ids among its slots (parsed or not), its labels
     * the view reads, and per model judge and judge version its verdicts paired with their labels, reduced to
     * counts. Heap ({@link #bytes}): a few objects per model judge version with a labelled verdict on the item (and
     * per jury member of it), with a handful of longs, and a map entry per distinct (verdict, label) class pair; the
     * strings are shared ({@link Canon}). See docs/aggregation.md, "Judge agreement".
     *
     * @param humans the human judge ids with a slot on the item
     * @param labels its labels the view reads (parsed, of the judge asked for)
     * @param judges per model judge, per judge version ({@code null} for none), its pairs
     */
    record Part(Set<String> humans, long labels, Map<String, Map<String, Judged>> judges) {
        /**
         * The heap the part takes besides its item's own ({@link LabelledItems.Cache#ITEM_BYTES}), estimated:
         * {@link LabelledItems.Cache#CELL_BYTES} per judge version and jury member with pairs here, {@link
         * LabelledItems.Cache#PAIR_BYTES} per distinct (verdict class, label class) pair of each.
         */
        long bytes() {
            long n = 0;
            for (Map<String, Judged> versions : judges.values()) {
                for (Judged j : versions.values()) {
                    n += bytes(j.exam);
                    if (j.members != null) {
                        for (Pairs p : j.members.values()) {
                            n += bytes(p);
                        }
                    }
                }
            }
            return n;
        }

        private static long bytes(Pairs p) {
            long pairs = 0;
            for (TreeMap<String, long[]> truths : p.classes.values()) {
                pairs += truths.size();
            }
            return LabelledItems.Cache.CELL_BYTES + pairs * LabelledItems.Cache.PAIR_BYTES;
        }
    }

    /** One judge version's pairs on an item: the judge's own, and each jury member's. */
    static final class Judged {
        final Pairs exam = new Pairs();
        /** Per jury member, its pairs; {@code null} while none. */
        private TreeMap<String, Pairs> members;

        TreeMap<String, Pairs> members() {
            if (members == null) {
                members = new TreeMap<>();
            }
            return members;
        }

        void reduce() {
            exam.reduce();
            if (members != null) {
                members.values().forEach(Pairs::reduce);
            }
        }
    }

    /**
     * Verdict classes against the labels' classes, and agreements per item ({@link ScoreTally#item}), reduced to
     * what the row reads: {@link Wilson#clustered(long, long, long, long, long, long)}'s sufficient statistics (C,
     * N, the items K, Σc², Σcn, Σn², sums over the items, exact in integers whatever order they are merged in, so
     * the same figures as {@link Wilson#clustered(long[], long[])} over the items in any order) and the count of
     * each (verdict class, label class) pair, which is all {@link Kappa#table} reads (the classes sorted, each
     * cell a count). Summing two items' is the pairs of both, as their {@link ScoreTally#item}s never meet.
     */
    static final class Pairs {
        long c;
        long n;
        long k;
        long c2;
        long cn;
        long n2;
        /** Per verdict class, per label class, the pairs; the classes are shared strings. */
        final TreeMap<String, TreeMap<String, long[]>> classes = new TreeMap<>();
        /** While an item is read: agreed and count per {@link ScoreTally#item}; {@code null} once reduced. */
        private Map<String, long[]> perItem = new HashMap<>();

        /** {@code s}'s verdict class against its label's, counted in its item ({@link ScoreTally#item}). */
        void add(Slot s, String said, String truth) {
            classes.computeIfAbsent(said, x -> new TreeMap<>()).computeIfAbsent(truth, x -> new long[1])[0]++;
            long[] t = perItem.computeIfAbsent(ScoreTally.item(s), x -> new long[2]);
            t[0] += said.equals(truth) ? 1 : 0;
            t[1]++;
        }

        /** Folds the per-item counts into the sums. */
        void reduce() {
            for (long[] t : perItem.values()) {
                plus(t[0], t[1], 1, t[0] * t[0], t[0] * t[1], t[1] * t[1]);
            }
            perItem = null;
        }

        /** Adds {@code o}'s pairs (reduced) to these. */
        void plus(Pairs o) {
            plus(o.c, o.n, o.k, o.c2, o.cn, o.n2);
            o.classes.forEach((said, truths) -> truths.forEach((truth, count) ->
                    classes.computeIfAbsent(said, x -> new TreeMap<>()).computeIfAbsent(truth, x -> new long[1])[0] +=
                            count[0]));
        }

        private void plus(long c, long n, long k, long c2, long cn, long n2) {
            this.c += c;
            this.n += n;
            this.k += k;
            this.c2 += c2;
            this.cn += cn;
            this.n2 += n2;
        }

        /** {@link Kappa#table} of the pairs: the classes either side used, sorted; each cell a count. */
        long[][] table() {
            TreeSet<String> all = new TreeSet<>(classes.keySet());
            classes.values().forEach(truths -> all.addAll(truths.keySet()));
            List<String> order = List.copyOf(all);
            long[][] t = new long[order.size()][order.size()];
            classes.forEach((said, truths) ->
                    truths.forEach((truth, count) -> t[order.indexOf(said)][order.indexOf(truth)] += count[0]));
            return t;
        }
    }

    /**
     * The rows from the items' parts, each model judge at its version in {@code versions}: per judge (sorted)
     * its pairs at that version merged over the items, then its members' (sorted).
     */
    private static List<Row> rows(Collection<Part> items, Map<String, String> versions, Leaderboards.Context ctx) {
        TreeMap<String, Judged> byJudge = new TreeMap<>();
        for (Part p : items) {
            p.judges.forEach((judge, ofVersion) -> {
                Judged j = ofVersion.get(versions.get(judge));
                if (j == null) {
                    return;
                }
                Judged sum = byJudge.computeIfAbsent(judge, x -> new Judged());
                sum.exam.plus(j.exam);
                if (j.members != null) {
                    j.members.forEach((member, e) -> sum.members()
                            .computeIfAbsent(member, x -> new Pairs())
                            .plus(e));
                }
            });
        }
        List<Row> rows = new ArrayList<>();
        byJudge.forEach((judge, j) -> {
            String version = versions.get(judge);
            if (j.exam.n > 0) {
                rows.add(row(judge, version, j.exam, Map.of(), ctx));
            }
            if (j.members != null) {
                j.members.forEach((member, e) -> rows.add(
                        row(memberRow(judge, member), version, e, Map.of("jury", judge, "member", member), ctx)));
            }
        });
        return rows;
    }

    /** The row id of a jury member: {@code jury[member]}. */
    static String memberRow(String jury, String member) {
        return jury + "[" + member + "]";
    }

    private static Row row(
            String judge, String version, Pairs pairs, Map<String, Object> extra, Leaderboards.Context ctx) {
        Estimate rate = Wilson.clustered(pairs.c, pairs.n, pairs.k, pairs.c2, pairs.cn, pairs.n2);
        Kappa.Result kappa = Kappa.of(pairs.table());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agreements", pairs.c);
        m.put("items", pairs.k);
        m.put("kappa", kappa.kappa());
        m.put("kappaLower", kappa.lower());
        m.put("kappaUpper", kappa.upper());
        m.put("kappaSe", kappa.se());
        m.put("expectedAgreement", kappa.expected());
        m.put("judgeVersion", version);
        m.putAll(extra);
        return Rows.row(judge, ctx, rate.value(), rate.lower(), rate.upper(), rate.n(), Map.of(), Rows.clean(m), true);
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
