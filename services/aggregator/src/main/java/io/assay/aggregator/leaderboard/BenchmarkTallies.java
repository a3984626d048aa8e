package io.assay.aggregator.leaderboard;

import io.assay.aggregator.stats.PoissonBootstrap;
import io.assay.aggregator.stats.WbReward;
import io.assay.contracts.JudgmentKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One benchmark's sufficient statistics, kept up to date slot by slot as the fold writes them (a
 * revised slot takes its old verdict away and adds its new one), so the views built on them
 * ({@link TalliedViews}) cost what the number of models and categories costs, not the number of
 * verdicts:
 *
 * <ul>
 *   <li>per kind, the slots (a view of a kind the benchmark has none of is the empty view);</li>
 *   <li>for reference verdicts, per judge and judge version: per partition its latest slots in ledger
 *       order ({@link LedgerTails}: the judge's current version, and the stability tau's earlier ranking,
 *       which leaves out the latest few), and per model and per model and category a {@link
 *       ProportionTally}, which reads an item's other verdicts from the slots beside it in the store
 *       ({@link #replace}) rather than keeping them, and per model a {@link PositionTally} of the verdicts that say
 *       where the correct choice was shown ({@code position-bias}, likewise), and per pair of models the 2×2 table of
 *       their verdicts on the cases (item, prompt format) both answered ({@link FlipCounts}, {@code regression})
 *       for the pairs the model specs declare (a model and its previous version, {@link DeclaredPairs}), which
 *       pairs each verdict with its partners' on its case read from the store ({@link #replace}'s {@code
 *       partnerSlots}): bounded by judge versions, models, declared pairs, categories and choice positions;</li>
 *   <li>for score verdicts, per judge and judge version: per partition its latest slots in ledger order and its
 *       latest slots with a scale ({@link LedgerTails}: the current version, scale and the stability tau), the
 *       unparseable verdicts per model, and per scale and model a {@link ScoreTally} and a {@link
 *       WbScoreTally}, which read an item's other scores from the slots beside it in the store ({@link #replace})
 *       rather than keeping them: bounded by judge versions, scales, models and categories;</li>
 *   <li>for preference verdicts, {@link PreferenceTallies}: per judge version its ledger's tails, and per
 *       baseline and model a {@link WinRateTally}, which reads an item's other verdicts from {@code others}
 *       as the accuracy cells do;</li>
 *   <li>for pairwise verdicts, {@link PairwiseTallies} ({@code wb-reward}: per judge version its ledger's
 *       tails, and per model a {@link WbRewardTally}, which needs no item's other verdicts) and per judge and
 *       judge version a {@link BattleTally} ({@code bt}, {@code elo}).</li>
 * </ul>
 *
 * <p>Not thread-safe: its owner serialises writes and reads (the aggregator's {@code SlotTallies}).
 */
public final class BenchmarkTallies {
    /** {@link Leaderboards#LEDGER}, then the slot key, which the slot path's stable sort of key-ordered slots keeps. */
    static final Comparator<Entry> LEDGER_THEN_KEY =
            Comparator.<Entry, Slot>comparing(Entry::slot, Leaderboards.LEDGER).thenComparing(Entry::key);

    private final long[] ofKind = new long[JudgmentKind.values().length];
    private final long[] withoutJudge = new long[JudgmentKind.values().length];
    /**
     * How many verdicts of a judge version each partition keeps in heap ({@link LedgerTail}): a stability lag
     * up to this is answered from the tallies, a larger one from the slots.
     */
    static final int TAIL = 2 * ViewQuery.DEFAULT_LAG;

    private final int tail;
    private final Map<Group, GroupTally> reference = new HashMap<>();
    /** Per model, its slots of any kind (the benchmark list's model count). */
    private final TreeMap<String, Long> models = new TreeMap<>();
    /** The pairs the flips are counted for from now on ({@link #declare}). */
    private DeclaredPairs declared = DeclaredPairs.NONE;
    /** The declared pairs whose flips count every slot tallied ({@link #declare}). */
    private final HashSet<DeclaredPairs.Pair> tallied = new HashSet<>();
    /** The items with a slot, as counted by the owner ({@link #items(long)}). */
    private long items;

    private final Map<Group, ScoreGroup> scores = new HashMap<>();
    private final PreferenceTallies preferences;
    private final PairwiseTallies pairwise;
    private final Map<Group, BattleTally> battles = new HashMap<>();
    private long slots;
    /** Per kind, the human labels ({@link Slot#human}) of each judge id: never a view's default judge. */
    private final Map<JudgmentKind, TreeMap<String, Long>> humans = new EnumMap<>(JudgmentKind.class);
    /**
     * Per item ({@link Fold#itemPrefix} of its keys), its human labels of any kind, parsed or not: the items
     * {@code judge-agreement} reads ({@link LabelledItems}). Grows with the labelled items, not the verdicts.
     */
    private final TreeMap<String, Long> labelledItems = new TreeMap<>();
    /**
     * Per labelled item (the keys of {@link #labelledItems}), the {@link #stamp} of its latest write: what tells
     * {@code judge-agreement}'s cache of the items' parts ({@link LabelledItems.Cache}) which items to read again.
     */
    private final HashMap<String, Long> labelStamps = new HashMap<>();
    /** The last stamp given: each write to a labelled item takes the next, so a stamp is never given twice. */
    private long stamp;
    /** Tells these tallies' stamps from another instance's (the benchmark's tallies made anew from the stores). */
    private final long epoch = EPOCHS.incrementAndGet();

    private static final AtomicLong EPOCHS = new AtomicLong();
    /**
     * Capacity of the change journal ({@link #changedSince}): the latest this many writes of reference verdicts.
     */
    static final int JOURNAL = 65_536;
    /**
     * The change journal: a ring of the reference verdicts' writes, each with what its item and model prefix holds
     * after it ({@link IrtCells.Written}), the {@link #written}-th at {@code (written - 1) % JOURNAL}; grown as it
     * fills up to {@link #JOURNAL}, so a benchmark with few writes keeps a small one. What {@code irt}'s cache of
     * cells ({@link IrtCells}) takes the written cells' counts from.
     */
    private IrtCells.Written[] journal = new IrtCells.Written[0];
    /** The most writes the journal holds: {@link #JOURNAL}, tests fewer. */
    private final int journalCapacity;
    /** The sequence number of the latest write in the journal (the writes recorded so far). */
    private long written;
    /** Per kind, the human labels of each judge version: a version of labels only has no model verdict to find. */
    private final Map<JudgmentKind, Map<Group, Long>> labelVersions = new EnumMap<>(JudgmentKind.class);
    /**
     * The benchmark's streamed views kept in step with its writes, which the owner feeds beside these tallies and
     * reads under the same lock.
     */
    private final KeptStreams kept = new KeptStreams();

    /** A slot under its store key. */
    record Entry(String key, Slot slot) {}

    /** The verdicts of one judge version of one kind: the slot path's {@code ofVersion}. */
    record Group(String judge, String version) {}

    /** The reference verdicts of one judge version. */
    static final class GroupTally {
        /** Per partition, its latest verdicts in ledger order. */
        final LedgerTails ledger;

        final TreeMap<String, ModelTally> models = new TreeMap<>();
        /**
         * Per declared pair of models counted from its first slot ({@link #tallied}), the 2×2 table of their parsed
         * verdicts on the cases both answered ({@code regression}).
         */
        final FlipCounts flips = new FlipCounts();

        GroupTally(int tail) {
            ledger = new LedgerTails(tail);
        }

        /** The latest verdict, {@code null} when a partition that has verdicts keeps none. */
        Slot last() {
            return ledger.lastSlot();
        }
    }

    /** One model's reference verdicts of one judge version: overall and per category. */
    static final class ModelTally {
        final ProportionTally overall = new ProportionTally();
        final TreeMap<String, ProportionTally> categories = new TreeMap<>();
        /** Per prompt format ({@link Fold#NONE} for none), the parseable verdicts: correct, n. */
        final TreeMap<String, long[]> formats = new TreeMap<>();
        /**
         * The parsed verdicts that say where the correct choice was shown ({@code position-bias}), {@code null}
         * while there are none.
         */
        PositionTally positions;

        long unparseable;
        /**
         * The cases (item, prompt format) on which the model has two or more parsed verdicts, plus its parsed verdicts
         * without an item id: while any, its {@code regression} is left to the slots, which count the first slot of a
         * case in key order ({@link RegressionBuilder}) where {@link FlipCounts} counts every pair of slots.
         */
        long ambiguous;
    }

    /** The score verdicts of one judge version. */
    static final class ScoreGroup {
        /** Per partition, its latest verdicts in ledger order. */
        final LedgerTails ledger;
        /**
         * Per partition, its latest verdicts with a scale: the current scale, however many unparseable verdicts
         * (which have none) came last.
         */
        final LedgerTails scaled;
        /** Per model, its unparseable verdicts (of any scale: the slot path keeps them all). */
        final TreeMap<String, Long> unparseable = new TreeMap<>();
        /** Per scale ({@link Slot#scale}, {@code null} for none), per model, its parsed scores. */
        final Map<String, TreeMap<String, ScoreTally>> byScale = new HashMap<>();
        /** Per scale, per model, its parsed scores on WildBench's 1–10 scale ({@link Slot#onWildBenchScale}). */
        final Map<String, TreeMap<String, WbScoreTally>> wbByScale = new HashMap<>();
        /** Per scale, the categories of those scores with how many count in each (wb-score's weights). */
        final Map<String, TreeMap<String, Long>> wbCategories = new HashMap<>();
        /** The slots on WildBench's scale, unparseable ones included (wb-score's default judge has some). */
        long onWildBenchScale;

        long unparseableTotal;

        ScoreGroup(int tail) {
            ledger = new LedgerTails(tail);
            scaled = new LedgerTails(tail);
        }
    }

    /** Tallies that keep {@link #TAIL} verdicts per judge version and partition. */
    public BenchmarkTallies() {
        this(TAIL);
    }

    /** Tallies that keep {@code tail} verdicts per judge version and partition. */
    BenchmarkTallies(int tail) {
        this(tail, WbReward.DEFAULT_K, JOURNAL);
    }

    /**
     * Tallies that keep {@code tail} verdicts per judge version and partition, {@code wb-reward} under the length
     * penalty {@code k}, and a change journal of {@code journal} writes; none with 0 ({@link StreamedViews}' fresh
     * tallies of a filter, a longer lag or another K, which {@code irt} does not read).
     */
    BenchmarkTallies(int tail, int k, int journal) {
        this.journalCapacity = journal;
        this.tail = tail;
        this.preferences = new PreferenceTallies(tail);
        this.pairwise = new PairwiseTallies(tail, k);
    }

    /**
     * Records that the slot under {@code key}, stored in {@code partition}, went from {@code old} to {@code
     * now} (either {@code null}: none); {@code others} are the other slots of its item and model as tallied
     * ({@link #others}: those beside it in the store), from which the accuracy and win-rate cells read the
     * item's other verdicts instead of keeping them. No model declares a previous version here ({@link
     * DeclaredPairs#NONE}): the owners that tally {@code regression} call the other {@code replace}.
     */
    public void replace(int partition, String key, Slot old, Slot now, Collection<Slot> others) {
        replace(partition, key, old, now, others, DeclaredPairs.NONE, List.of());
    }

    /**
     * As {@link #replace(int, String, Slot, Slot, Collection)}, the {@code regression} flips counted for the pairs
     * {@code pairs} declares ({@link #declare} first): {@code partnerSlots} are the slots of its item of its model's
     * partners as tallied ({@link #partnerSlots}, or any superset of them, such as the item's every other model's
     * slots), whose reference verdicts on its case are paired with it. They are read only for a reference verdict of
     * a model with partners ({@link #readsPartners}): for other slots any list, the empty one, will do.
     */
    public void replace(
            int partition,
            String key,
            Slot old,
            Slot now,
            Collection<Slot> others,
            DeclaredPairs pairs,
            Collection<Slot> partnerSlots) {
        declare(pairs);
        if (old != null) {
            add(partition, key, old, -1, others, partnerSlots);
        }
        if (now != null) {
            add(partition, key, now, 1, others, partnerSlots);
        }
        if (!labelStamps.isEmpty()) {
            labelStamps.computeIfPresent(Fold.itemPrefix(key), (item, last) -> ++stamp);
        }
        if (journalCapacity > 0
                && (old != null && old.kind() == JudgmentKind.CORRECT
                        || now != null && now.kind() == JudgmentKind.CORRECT)) {
            record(IrtCells.Written.of(itemAndModel(key), others, now));
        }
    }

    /** Appends {@code write} to the journal, overwriting its oldest entry once it holds {@link #JOURNAL}. */
    private void record(IrtCells.Written write) {
        if (written == journal.length && journal.length < journalCapacity) {
            journal = Arrays.copyOf(journal, Math.min(journalCapacity, Math.max(64, journal.length * 2)));
        }
        journal[(int) (written % journal.length)] = write;
        written++;
    }

    /** The sequence number of the latest reference verdict written ({@link #changedSince}); 0 before any. */
    long sequence() {
        return written;
    }

    /**
     * The writes of reference verdicts (added, replaced or taken away) after the {@code sequence}-th, oldest first,
     * each with what its item and model prefix ({@link #itemAndModel}) holds after it; {@code null} when the journal
     * no longer holds them all (it keeps the latest {@link #JOURNAL}) or {@code sequence} is not one of these
     * tallies'.
     */
    List<IrtCells.Written> changedSince(long sequence) {
        if (sequence < 0 || sequence > written || written - sequence > journal.length) {
            return null;
        }
        List<IrtCells.Written> out = new ArrayList<>((int) (written - sequence));
        for (long s = sequence; s < written; s++) {
            out.add(journal[(int) (s % journal.length)]);
        }
        return out;
    }

    /**
     * From now on the flips are counted for the pairs {@code pairs} declares. A pair no longer declared is
     * forgotten. A newly declared pair is counted from here on ({@link #tallied}) only when one of its models has
     * no slot yet: its flips are then zero, so counting from here is counting from the first slot. A pair declared
     * when both its models had slots is not: its past verdicts were not paired, so the {@code regression} view
     * leaves it to the slots until the tallies are built again from the stores (a restart restores them with the
     * pairs declared then), and so is a pair once forgotten and declared again. Tallies built from a scan in one go
     * ({@link ItemRuns}) under the pairs declared then count them all.
     */
    void declare(DeclaredPairs pairs) {
        if (pairs == declared) {
            return;
        }
        Set<DeclaredPairs.Pair> before = declared.pairs();
        for (DeclaredPairs.Pair p : before) {
            if (!pairs.pairs().contains(p) && tallied.remove(p)) {
                reference.values().forEach(g -> g.flips.remove(p.lesser(), p.greater()));
            }
        }
        for (DeclaredPairs.Pair p : pairs.pairs()) {
            if (!before.contains(p) && (!models.containsKey(p.lesser()) || !models.containsKey(p.greater()))) {
                tallied.add(p);
            }
        }
        declared = pairs;
    }

    /**
     * Whether the flips between {@code a} and {@code b} (different models) are counted over every slot tallied:
     * declared from their first slot on ({@link #declare}).
     */
    boolean tallied(String a, String b) {
        return tallied.contains(DeclaredPairs.Pair.of(a, b));
    }

    /**
     * Whether a write of the slot under {@code key} from {@code old} to {@code now} reads {@link #replace}'s {@code
     * partnerSlots}: a reference verdict of a model with partners in {@code pairs} (the owner reads its partners'
     * slots on the item from the store only then).
     */
    public static boolean readsPartners(Slot old, Slot now, DeclaredPairs pairs) {
        // One key, one model and one kind of verdict.
        Slot s = now != null ? now : old;
        return s != null
                && s.kind() == JudgmentKind.CORRECT
                && !pairs.partners(s.modelId()).isEmpty();
    }

    /**
     * {@code benchmark|itemId|partner|}: the prefix of the slot keys of {@code key}'s item and model {@code
     * partner}, under which the store keeps that model's slots on the item side by side.
     */
    public static String itemAndModel(String key, String partner) {
        return Fold.itemPrefix(key) + partner + Fold.SEPARATOR;
    }

    /**
     * {@code benchmark|itemId|modelId|}: the prefix of the slot keys of {@code key}'s item and model, which
     * the slots store keeps side by side ({@link Fold#slotKey}); the empty prefix, every key's, for a key
     * without those parts (the cells pick the item's verdicts from {@code others} in any case).
     */
    public static String itemAndModel(String key) {
        int at = -1;
        for (int i = 0; i < 3; i++) {
            at = key.indexOf(Fold.SEPARATOR, at + 1);
            if (at < 0) {
                return "";
            }
        }
        return key.substring(0, at + 1);
    }

    /** The slots of {@code key}'s item and model in {@code slots}, besides {@code key}'s own. */
    public static List<Slot> others(NavigableMap<String, Slot> slots, String key) {
        String prefix = itemAndModel(key);
        List<Slot> out = new ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (!e.getKey().equals(key)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** The slots in {@code slots} of {@code key}'s item of its model's partners in {@code pairs}. */
    public static List<Slot> partnerSlots(NavigableMap<String, Slot> slots, String key, Slot s, DeclaredPairs pairs) {
        List<Slot> out = new ArrayList<>();
        for (String partner : pairs.partners(s.modelId()).keySet()) {
            String prefix = itemAndModel(key, partner);
            for (Map.Entry<String, Slot> e : slots.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** The benchmark's streamed views kept in step with its writes ({@link KeptStreams}): the owner feeds them. */
    public KeptStreams kept() {
        return kept;
    }

    /** Moves the count of items with a slot by {@code delta} (the owner reads it from the stores). */
    public void items(long delta) {
        items += delta;
    }

    /** The items with a slot. */
    public long items() {
        return items;
    }

    /** The models with a slot. */
    public int models() {
        return models.size();
    }

    /** The latest {@code judgedAt} of a slot, {@code null} when none has one. */
    public Instant lastJudgedAt() {
        Instant last = null;
        for (GroupTally g : reference.values()) {
            last = later(last, g.last());
        }
        for (ScoreGroup g : scores.values()) {
            last = later(last, g.ledger.lastSlot());
        }
        for (BattleTally t : battles.values()) {
            last = later(last, t.last());
        }
        return later(last, preferences.last());
    }

    private static Instant later(Instant at, Slot s) {
        if (s == null || s.judgedAt() == null) {
            return at;
        }
        return at == null || s.judgedAt().isAfter(at) ? s.judgedAt() : at;
    }

    /** The key prefixes ({@link Fold#itemPrefix}) of the items with a human label, sorted. */
    List<String> labelledItems() {
        return List.copyOf(labelledItems.keySet());
    }

    /** The stamps of {@code items} (labelled items, {@link #labelledItems}): each its latest write's. */
    long[] labelStamps(List<String> items) {
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labelStamps.get(items.get(i));
        }
        return out;
    }

    /** Which tallies the stamps are of: two instances' stamps cannot be compared. */
    long epoch() {
        return epoch;
    }

    /**
     * Per model judge, the version {@code judge-agreement} counts ({@link Leaderboards#currentVersion} over the
     * judge's parsed verdicts of every kind that are not human labels, as {@link JudgeAgreementBuilder} takes
     * it): of each judge version's latest such verdict in each kind's ledger ({@link LedgerTails}, walked back
     * past unparseable verdicts and labels; a version of labels only has none), the latest (judgedAt, then the
     * greater version). {@code null} when the tails do not hold one (a partition keeps none of a judge version's
     * latest parsed verdicts) or a slot without a judge id is stored: the slots decide.
     */
    Map<String, String> currentModelJudgeVersions() {
        for (long n : withoutJudge) {
            if (n > 0) {
                return null;
            }
        }
        Map<JudgmentKind, Map<Group, LedgerTails>> ledgers = new EnumMap<>(JudgmentKind.class);
        ledgers.put(JudgmentKind.CORRECT, new HashMap<>());
        reference.forEach((g, t) -> ledgers.get(JudgmentKind.CORRECT).put(g, t.ledger));
        ledgers.put(JudgmentKind.SCORE, new HashMap<>());
        scores.forEach((g, t) -> ledgers.get(JudgmentKind.SCORE).put(g, t.ledger));
        ledgers.put(JudgmentKind.PREFERENCE, preferences.ledgers());
        ledgers.put(JudgmentKind.PAIRWISE, pairwise.ledgers());
        Map<Group, Slot> latest = new HashMap<>();
        for (Map.Entry<JudgmentKind, Map<Group, LedgerTails>> kind : ledgers.entrySet()) {
            Map<Group, Long> labels = labelVersions.getOrDefault(kind.getKey(), Map.of());
            for (Map.Entry<Group, LedgerTails> e : kind.getValue().entrySet()) {
                if (labels.getOrDefault(e.getKey(), 0L) == e.getValue().slots()) {
                    continue; // labels only
                }
                List<Entry> last = e.getValue().latest(1, s -> !s.unparseable() && !s.human());
                if (last == null) {
                    return null;
                }
                if (!last.isEmpty()) {
                    latest.merge(
                            e.getKey(), last.get(0).slot(), (a, b) -> Leaderboards.LEDGER.compare(a, b) >= 0 ? a : b);
                }
            }
        }
        return currentVersions(latest, s -> s);
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

    /**
     * The judge ids with human labels ({@link Slot#human}) among the verdicts of {@code kind}: left out of the
     * default judge as {@link Leaderboards#defaultJudge} leaves them out.
     */
    Set<String> humanJudges(JudgmentKind kind) {
        TreeMap<String, Long> of = humans.get(kind);
        return of == null ? Set.of() : of.keySet();
    }

    /** The score verdicts by judge version. */
    Map<Group, ScoreGroup> scores() {
        return scores;
    }

    /** The length penalty K {@code wb-reward} is tallied under. */
    int lengthPenalty() {
        return pairwise.k();
    }

    /** The pairwise verdicts ({@code wb-reward}). */
    PairwiseTallies pairwise() {
        return pairwise;
    }

    /** The preference verdicts ({@code winrate}). */
    PreferenceTallies preferences() {
        return preferences;
    }

    /** The pairwise verdicts by judge version ({@code bt}, {@code elo}). */
    Map<Group, BattleTally> battles() {
        return battles;
    }

    /** The reference verdicts by judge version. */
    Map<Group, GroupTally> reference() {
        return reference;
    }

    private void add(
            int partition, String key, Slot s, int sign, Collection<Slot> others, Collection<Slot> partnerSlots) {
        slots += sign;
        if (models.merge(s.modelId(), (long) sign, Long::sum) == 0) {
            models.remove(s.modelId());
        }
        ofKind[s.kind().ordinal()] += sign;
        if (s.judgeId() == null) {
            withoutJudge[s.kind().ordinal()] += sign;
        }
        if (s.human()) {
            String item = Fold.itemPrefix(key);
            if (labelledItems.merge(item, (long) sign, Long::sum) == 0) {
                labelledItems.remove(item);
                labelStamps.remove(item);
            } else {
                // Stamped by replace once the write is tallied.
                labelStamps.putIfAbsent(item, 0L);
            }
            Map<Group, Long> of = labelVersions.computeIfAbsent(s.kind(), k -> new HashMap<>());
            Group g = new Group(s.judgeId(), s.judgeVersion());
            if (of.merge(g, (long) sign, Long::sum) == 0) {
                of.remove(g);
            }
        }
        if (s.human() && s.judgeId() != null) {
            TreeMap<String, Long> of = humans.computeIfAbsent(s.kind(), k -> new TreeMap<>());
            if (of.merge(s.judgeId(), (long) sign, Long::sum) == 0) {
                of.remove(s.judgeId());
            }
        }
        if (s.kind() == JudgmentKind.SCORE) {
            addScore(partition, key, s, sign, others);
            return;
        }
        if (s.kind() == JudgmentKind.PREFERENCE) {
            preferences.add(partition, key, s, sign, others);
            return;
        }
        if (s.kind() == JudgmentKind.PAIRWISE) {
            pairwise.add(partition, key, s, sign);
            addBattle(partition, key, s, sign);
            return;
        }
        if (s.kind() != JudgmentKind.CORRECT) {
            return;
        }
        Group g = new Group(s.judgeId(), s.judgeVersion());
        GroupTally group = reference.computeIfAbsent(g, x -> new GroupTally(tail));
        group.ledger.add(partition, new Entry(key, s), sign);
        ModelTally m = group.models.computeIfAbsent(s.modelId(), x -> new ModelTally());
        m.overall.add(s, sign, itemVerdicts(s, others, null));
        if (s.unparseable()) {
            m.unparseable += sign;
        } else {
            addCase(group, m, s, sign, others, partnerSlots);
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
            t.add(s, sign, itemVerdicts(s, others, c));
            if (t.slots() == 0) {
                m.categories.remove(c);
            }
        }
        if (s.correctPosition() != null && !s.unparseable()) {
            if (m.positions == null) {
                m.positions = new PositionTally();
            }
            m.positions.add(s, sign, others);
            if (m.positions.isEmpty()) {
                m.positions = null;
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
     * The {@code regression} counts of the parsed reference verdict {@code s} of model tally {@code m}: its pairs
     * with the parsed verdicts on its case (same judge version, item and prompt format) among {@code partnerSlots}
     * of its partners whose pair is {@link #tallied}, and whether it makes a case of its model ambiguous, from
     * {@code others} (a verdict without an item id always does: the slot path puts every such verdict of a format in
     * one case).
     */
    private void addCase(
            GroupTally group, ModelTally m, Slot s, int sign, Collection<Slot> others, Collection<Slot> partnerSlots) {
        if (s.itemId() == null) {
            m.ambiguous += sign;
            return;
        }
        int same = 0;
        for (Slot o : others) {
            if (sameCase(s, o) && Objects.equals(o.modelId(), s.modelId())) {
                same++;
            }
        }
        if (same == 1) {
            // Added, the case goes from one verdict to two; taken away, from two to one.
            m.ambiguous += sign;
        }
        Map<String, DeclaredPairs.Pair> partners = declared.partners(s.modelId());
        if (partners.isEmpty()) {
            return;
        }
        for (Slot o : partnerSlots) {
            DeclaredPairs.Pair pair = partners.get(o.modelId());
            if (pair != null && tallied.contains(pair) && sameCase(s, o)) {
                group.flips.add(s.modelId(), s.correct(), o.modelId(), o.correct(), sign);
            }
        }
    }

    /** Whether {@code o} is a parsed reference verdict on {@code s}'s case: judge version, item, prompt format. */
    static boolean sameCase(Slot s, Slot o) {
        return o.kind() == JudgmentKind.CORRECT
                && !o.unparseable()
                && Objects.equals(o.judgeId(), s.judgeId())
                && Objects.equals(o.judgeVersion(), s.judgeVersion())
                && Objects.equals(o.itemId(), s.itemId())
                && Objects.equals(o.format(), s.format());
    }

    /**
     * The parseable reference verdicts among {@code others} in {@code s}'s cell ({@link #sameItem}, and {@code
     * category} unless {@code null}), packed as {@link ProportionTally#pack}.
     */
    private static long itemVerdicts(Slot s, Collection<Slot> others, String category) {
        long correct = 0;
        long n = 0;
        for (Slot o : sameItem(s, others)) {
            if (category == null || o.categoriesOrSingle().contains(category)) {
                n++;
                correct += o.correct() ? 1 : 0;
            }
        }
        return ProportionTally.pack(correct, n);
    }

    /**
     * The parsed verdicts among {@code others} in {@code s}'s item: of its kind, judge version, baseline, model
     * and item; none when it has no item id (an item of its own, as {@link Rows#byItem}). With {@code s}
     * itself they are the item's verdicts after {@code s} is added, without it those after it is taken away.
     */
    static List<Slot> sameItem(Slot s, Collection<Slot> others) {
        if (s.itemId() == null) {
            return List.of();
        }
        List<Slot> out = new ArrayList<>();
        for (Slot o : others) {
            if (o.kind() == s.kind()
                    && !o.unparseable()
                    && Objects.equals(o.judgeId(), s.judgeId())
                    && Objects.equals(o.judgeVersion(), s.judgeVersion())
                    && Objects.equals(o.baseline(), s.baseline())
                    && Objects.equals(o.modelId(), s.modelId())
                    && Objects.equals(o.itemId(), s.itemId())) {
                out.add(o);
            }
        }
        return out;
    }

    private void addScore(int partition, String key, Slot s, int sign, Collection<Slot> others) {
        Group g = new Group(s.judgeId(), s.judgeVersion());
        ScoreGroup group = scores.computeIfAbsent(g, x -> new ScoreGroup(tail));
        Entry e = new Entry(key, s);
        group.ledger.add(partition, e, sign);
        String scale = s.scale();
        if (scale != null) {
            group.scaled.add(partition, e, sign);
        }
        if (s.onWildBenchScale()) {
            group.onWildBenchScale += sign;
        }
        if (s.unparseable()) {
            group.unparseableTotal += sign;
            if (group.unparseable.merge(s.modelId(), (long) sign, Long::sum) == 0) {
                group.unparseable.remove(s.modelId());
            }
        } else {
            int[] weights = PoissonBootstrap.weights(ScoreTally.item(s));
            List<Slot> item = itemScores(s, others);
            TreeMap<String, ScoreTally> models = group.byScale.computeIfAbsent(scale, x -> new TreeMap<>());
            ScoreTally t = models.computeIfAbsent(s.modelId(), x -> new ScoreTally(true));
            t.add(s, weights, sign, item);
            if (t.judgments() == 0) {
                models.remove(s.modelId());
            }
            if (models.isEmpty()) {
                group.byScale.remove(scale);
            }
            if (s.onWildBenchScale()) {
                addWbScore(group, scale, s, weights, sign, item);
            }
        }
        if (group.ledger.isEmpty()) {
            scores.remove(g);
        }
    }

    /**
     * The parsed score verdicts among {@code slots} in {@code s}'s row: of its judge version, scale, model and
     * item ({@link ScoreTally#item}: a slot without an item id is an item of its own). Among {@code others} the
     * item's other scores that {@link ScoreTally#add} reads; among an item and model's stored slots its scores.
     */
    static List<Slot> itemScores(Slot s, Collection<Slot> slots) {
        String item = ScoreTally.item(s);
        List<Slot> out = new ArrayList<>();
        for (Slot o : slots) {
            if (o.kind() == JudgmentKind.SCORE
                    && !o.unparseable()
                    && Objects.equals(o.judgeId(), s.judgeId())
                    && Objects.equals(o.judgeVersion(), s.judgeVersion())
                    && Objects.equals(o.scale(), s.scale())
                    && Objects.equals(o.modelId(), s.modelId())
                    && ScoreTally.item(o).equals(item)) {
                out.add(o);
            }
        }
        return out;
    }

    private void addBattle(int partition, String key, Slot s, int sign) {
        Group g = new Group(s.judgeId(), s.judgeVersion());
        BattleTally t = battles.computeIfAbsent(
                g, x -> new BattleTally(true, BattleTally.capacity(tail), BattleTally.CHECKPOINT));
        t.add(partition, new Entry(key, s), sign);
        if (t.isEmpty()) {
            battles.remove(g);
        }
    }

    private static void addWbScore(ScoreGroup group, String scale, Slot s, int[] weights, int sign, List<Slot> item) {
        TreeMap<String, WbScoreTally> models = group.wbByScale.computeIfAbsent(scale, x -> new TreeMap<>());
        WbScoreTally t = models.computeIfAbsent(s.modelId(), x -> new WbScoreTally(true));
        t.add(s, weights, sign, item);
        if (t.judgments() == 0) {
            models.remove(s.modelId());
        }
        if (models.isEmpty()) {
            group.wbByScale.remove(scale);
        }
        TreeMap<String, Long> categories = group.wbCategories.computeIfAbsent(scale, x -> new TreeMap<>());
        for (String c : s.categoriesOrSingle()) {
            if (categories.merge(c, (long) sign, Long::sum) == 0) {
                categories.remove(c);
            }
        }
        if (categories.isEmpty()) {
            group.wbCategories.remove(scale);
        }
    }

    /**
     * The judge ids with reference verdicts, and per judge the version the slot path calls current
     * ({@link Leaderboards#currentVersion}: that of the most recent verdict, judgedAt then the greater version).
     */
    Map<String, String> currentReferenceVersions() {
        return currentVersions(reference, GroupTally::last);
    }

    /** Whether every partition keeps its latest reference verdict (else the slots decide the current version). */
    boolean referenceLatestKept() {
        return reference.values().stream().allMatch(g -> g.last() != null);
    }

    /**
     * {@link #currentReferenceVersions} of the pairwise verdicts, {@code null} when a partition that has verdicts
     * of a judge version keeps none (the slots decide).
     */
    Map<String, String> currentBattleVersions() {
        if (battles.values().stream().anyMatch(t -> t.last() == null)) {
            return null;
        }
        return currentVersions(battles, BattleTally::last);
    }

    /** {@link #currentReferenceVersions} of the score verdicts. */
    Map<String, String> currentScoreVersions() {
        return currentVersions(scores, t -> t.ledger.lastSlot());
    }

    /** Whether every partition keeps its latest score verdict (else the slots decide the current version). */
    boolean scoreLatestKept() {
        return scores.values().stream().allMatch(g -> g.ledger.last() != null);
    }

    /**
     * The verdicts with a scale judged when the latest of them was (latest first): {@link
     * Leaderboards#currentScale} over them is the group's current scale (judgedAt, then the greater scale).
     * Empty when no verdict has a scale; {@code null} when the tails do not hold them all (the slots decide).
     */
    static List<Slot> latestScaled(ScoreGroup group) {
        // Ties on judgedAt are rare: read twice as many latest verdicts until one was judged earlier.
        for (int n = 2; ; n *= 2) {
            List<Entry> latest = group.scaled.latest(n);
            if (latest == null) {
                return null;
            }
            List<Slot> out = new ArrayList<>();
            for (Entry e : latest) {
                if (!Objects.equals(e.slot().judgedAt(), latest.get(0).slot().judgedAt())) {
                    return out;
                }
                out.add(e.slot());
            }
            if (latest.size() < n) {
                return out;
            }
        }
    }

    static <T> Map<String, String> currentVersions(Map<Group, T> groups, Function<T, Slot> last) {
        Map<String, Group> best = new TreeMap<>();
        Map<String, Instant> bestAt = new HashMap<>();
        Comparator<Instant> at = Comparator.nullsFirst(Comparator.naturalOrder());
        Comparator<String> version = Comparator.nullsFirst(Comparator.naturalOrder());
        groups.forEach((g, t) -> {
            Instant latest = last.apply(t).judgedAt();
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

    /**
     * The {@code lag} slots judged last in {@code group} (ledger order, latest first), {@code null} when a
     * partition does not keep its {@code lag} latest ({@link LedgerTail}).
     */
    static List<Slot> latest(GroupTally group, int lag) {
        List<Entry> latest = group.ledger.latest(lag);
        return latest == null ? null : latest.stream().map(Entry::slot).toList();
    }

    /** The {@code lag} slots of {@code ledger} judged last that pass {@code keep} (latest first). */
    static List<Slot> latest(TreeSet<Entry> ledger, int lag, Predicate<Slot> keep) {
        List<Slot> out = new java.util.ArrayList<>(lag);
        Iterator<Entry> it = ledger.descendingIterator();
        while (out.size() < lag && it.hasNext()) {
            Slot s = it.next().slot();
            if (keep.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "BenchmarkTallies[" + slots + " slots, " + Objects.toString(reference.keySet()) + "]";
    }
}
