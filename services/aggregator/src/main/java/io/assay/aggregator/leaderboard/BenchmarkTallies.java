package io.assay.aggregator.leaderboard;

import io.assay.contracts.JudgmentKind;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One benchmark's sufficient statistics, kept up to date slot by slot as the fold writes them (a
 * revised slot takes its old verdict away and adds its new one), so the views built on them
 * ({@link TalliedViews}) cost what the number of models and categories costs, not the number of
 * verdicts:
 *
 * <ul>
 *   <li>per kind, the slots (a view of a kind the benchmark has none of is the empty view);</li>
 *   <li>for reference verdicts, per judge and judge version: the slots in ledger order (the judge's
 *       current version, and the stability tau's earlier ranking, which leaves out the latest few), and
 *       per model and per model and category a {@link ProportionTally}.</li>
 * </ul>
 *
 * <p>Not thread-safe: its owner serialises writes and reads (the aggregator's {@code SlotMirror}).
 */
public final class BenchmarkTallies {
    /** {@link Leaderboards#LEDGER}, then the slot key, which the slot path's stable sort of key-ordered slots keeps. */
    static final Comparator<Entry> LEDGER_THEN_KEY =
            Comparator.<Entry, Slot>comparing(Entry::slot, Leaderboards.LEDGER).thenComparing(Entry::key);

    private final long[] ofKind = new long[JudgmentKind.values().length];
    private final long[] withoutJudge = new long[JudgmentKind.values().length];
    private final Map<Group, GroupTally> reference = new HashMap<>();
    private long slots;
    private long positioned;
    /** Slots that are human labels. */
    private long human;

    /** A slot under its store key. */
    record Entry(String key, Slot slot) {}

    /** The verdicts of one judge version of one kind: the slot path's {@code ofVersion}. */
    record Group(String judge, String version) {}

    /** The reference verdicts of one judge version. */
    static final class GroupTally {
        final TreeSet<Entry> ledger = new TreeSet<>(LEDGER_THEN_KEY);
        final TreeMap<String, ModelTally> models = new TreeMap<>();
    }

    /** One model's reference verdicts of one judge version: overall and per category. */
    static final class ModelTally {
        final ProportionTally overall = new ProportionTally();
        final TreeMap<String, ProportionTally> categories = new TreeMap<>();
        /** Per prompt format ({@link Fold#NONE} for none), the parseable verdicts: correct, n. */
        final TreeMap<String, long[]> formats = new TreeMap<>();

        long unparseable;
    }

    /** Records that the slot under {@code key} went from {@code old} to {@code now} (either {@code null}: none). */
    public void replace(String key, Slot old, Slot now) {
        if (old != null) {
            add(key, old, -1);
        }
        if (now != null) {
            add(key, now, 1);
        }
    }

    /** The slots counted. */
    public long slots() {
        return slots;
    }

    /** The slots of {@code kind}. */
    long ofKind(JudgmentKind kind) {
        return ofKind[kind.ordinal()];
    }

    /** The slots of {@code kind} stored without a judge id (before ids were kept): the slot path decides. */
    long withoutJudge(JudgmentKind kind) {
        return withoutJudge[kind.ordinal()];
    }

    /** The human labels ({@link Slot#human}): the slot path picks the default judge among the others. */
    long human() {
        return human;
    }

    /** The slots that say where the correct choice was shown ({@link Slot#correctPosition}). */
    long positioned() {
        return positioned;
    }

    /** The reference verdicts by judge version. */
    Map<Group, GroupTally> reference() {
        return reference;
    }

    private void add(String key, Slot s, int sign) {
        slots += sign;
        ofKind[s.kind().ordinal()] += sign;
        if (s.judgeId() == null) {
            withoutJudge[s.kind().ordinal()] += sign;
        }
        if (s.correctPosition() != null) {
            positioned += sign;
        }
        if (s.human()) {
            human += sign;
        }
        if (s.kind() != JudgmentKind.CORRECT) {
            return;
        }
        Group g = new Group(s.judgeId(), s.judgeVersion());
        GroupTally group = reference.computeIfAbsent(g, x -> new GroupTally());
        Entry e = new Entry(key, s);
        if (sign > 0) {
            group.ledger.add(e);
        } else {
            group.ledger.remove(e);
        }
        ModelTally m = group.models.computeIfAbsent(s.modelId(), x -> new ModelTally());
        m.overall.add(s, sign);
        if (s.unparseable()) {
            m.unparseable += sign;
        } else {
            String f = s.format() == null ? Fold.NONE : s.format();
            long[] counts = m.formats.computeIfAbsent(f, x -> new long[2]);
            counts[0] += s.correct() ? sign : 0;
            counts[1] += sign;
            if (counts[1] == 0) {
                m.formats.remove(f);
            }
        }
        for (String c : s.categoriesOrSingle()) {
            ProportionTally t = m.categories.computeIfAbsent(c, x -> new ProportionTally());
            t.add(s, sign);
            if (t.slots() == 0) {
                m.categories.remove(c);
            }
        }
        if (m.overall.slots() == 0) {
            group.models.remove(s.modelId());
        }
        if (group.ledger.isEmpty()) {
            reference.remove(g);
        }
    }

    /**
     * The judge ids with reference verdicts, and per judge the version the slot path calls current
     * ({@link Leaderboards#currentVersion}: that of the most recent verdict, judgedAt then the greater version).
     */
    Map<String, String> currentReferenceVersions() {
        Map<String, Group> best = new TreeMap<>();
        Map<String, Instant> bestAt = new HashMap<>();
        Comparator<Instant> at = Comparator.nullsFirst(Comparator.naturalOrder());
        Comparator<String> version = Comparator.nullsFirst(Comparator.naturalOrder());
        reference.forEach((g, t) -> {
            Instant latest = t.ledger.last().slot().judgedAt();
            Group b = best.get(g.judge());
            if (b == null) {
                best.put(g.judge(), g);
                bestAt.put(g.judge(), latest);
                return;
            }
            int cmp = at.compare(latest, bestAt.get(g.judge()));
            if (cmp > 0 || cmp == 0 && version.compare(g.version(), b.version()) > 0) {
                best.put(g.judge(), g);
                bestAt.put(g.judge(), latest);
            }
        });
        Map<String, String> out = new TreeMap<>();
        best.forEach((judge, g) -> out.put(judge, g.version()));
        return out;
    }

    /** The {@code lag} slots judged last in {@code group} (ledger order, latest first). */
    static List<Slot> latest(GroupTally group, int lag) {
        List<Slot> out = new java.util.ArrayList<>(lag);
        Iterator<Entry> it = group.ledger.descendingIterator();
        while (out.size() < lag && it.hasNext()) {
            out.add(it.next().slot());
        }
        return out;
    }

    @Override
    public String toString() {
        return "BenchmarkTallies[" + slots + " slots, " + Objects.toString(reference.keySet()) + "]";
    }
}
