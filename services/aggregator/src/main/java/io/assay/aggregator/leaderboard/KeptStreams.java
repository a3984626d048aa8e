package io.assay.aggregator.leaderboard;

import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One benchmark's streamed views without a window, kept in step with its writes: the fresh tallies {@link
 * StreamedViews} makes of a view restricted to post-cutoff items, under another length penalty K or with a longer
 * stability lag are made once from the slots, then fed every write whose slot the view counts. So such a view costs
 * what a tallied view costs ({@link TalliedViews}) on every computation after its first, instead of a scan of every
 * slot. The snapshot is the streamed one: the tallies are fed the same slots, each with the other kept slots of its
 * item and model, as a scan would feed them (tested over randomised writes against the slot path).
 *
 * <p>A view with a window is not kept: its start moves with the newest item, and slots leave it without a write.
 *
 * <p>Which slots a post-cutoff view keeps depends on each model's knowledge cutoff, which the registry may change at
 * any time. Each kept view records the cutoff it kept or dropped each model's slots under; it is made again from the
 * slots when a model's cutoff is not the one its slots were kept under (a model registered anew with another cutoff,
 * or two writes of one model under two cutoffs). A model registered without slots changes nothing.
 *
 * <p>At most {@link #MAX} views are kept per benchmark, the least recently read dropped first: each keeps what the
 * tallies keep (models × categories, a ledger tail), whatever the history. A kept view whose tallies stop answering
 * (revisions took the latest verdicts of its ledger tail) is made again from the slots once.
 *
 * <p>Not thread-safe: its owner serialises writes and reads (the aggregator's {@code SlotTallies}, under the
 * benchmark's lock, so that a view made from the store's slots misses no write).
 */
public final class KeptStreams {
    /** The most views kept per benchmark. */
    static final int MAX = 8;

    /** Per view's parameters, its kept tallies; in access order, so the eldest is the least recently read. */
    private final LinkedHashMap<Key, Stream> streams = new LinkedHashMap<>(16, 0.75f, true);
    /** How many views were made from the slots (tests). */
    private long made;

    /** The parameters of the fresh tallies of a view: its kind, what it counts, the restriction, K and tail. */
    private record Key(JudgmentKind kind, StreamedViews.Counted counted, boolean postCutoff, int k, int tail) {}

    /** One kept view's tallies and what it kept them under. */
    private static final class Stream {
        final Predicate<Slot> counts;
        final boolean postCutoff;
        /** Per model with a counted slot, the knowledge cutoff its slots were kept or dropped under (null: none). */
        final Map<String, LocalDate> applied = new HashMap<>();
        /** A model's slots were kept or dropped under two cutoffs: made again before it is read. */
        boolean mixed;
        /** Whether its last read answered: one that stops answering is made again, once. */
        boolean answered;

        BenchmarkTallies tallies;

        Stream(Predicate<Slot> counts, boolean postCutoff) {
            this.counts = counts;
            this.postCutoff = postCutoff;
        }

        /** Whether the view counts {@code s} under {@code models}' cutoffs, recording the cutoff it was judged under. */
        boolean keeps(Slot s, Map<String, ModelSpec> models) {
            if (!counts.test(s)) {
                return false;
            }
            if (!postCutoff) {
                return true;
            }
            LocalDate cutoff = Leaderboards.cutoff(models, s.modelId());
            if (!applied.containsKey(s.modelId())) {
                applied.put(s.modelId(), cutoff);
            } else if (!Objects.equals(applied.get(s.modelId()), cutoff)) {
                mixed = true;
            }
            return Leaderboards.postCutoff(s, cutoff);
        }

        /** Whether every model's slots were kept under the cutoff {@code models} give it now. */
        boolean current(Map<String, ModelSpec> models) {
            if (mixed) {
                return false;
            }
            for (Map.Entry<String, LocalDate> e : applied.entrySet()) {
                if (!Objects.equals(e.getValue(), Leaderboards.cutoff(models, e.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        List<Slot> kept(List<Slot> slots, Map<String, ModelSpec> models) {
            if (slots.isEmpty()) {
                return slots;
            }
            List<Slot> out = new ArrayList<>(slots.size());
            for (Slot s : slots) {
                if (keeps(s, models)) {
                    out.add(s);
                }
            }
            return out;
        }
    }

    /**
     * Whether a streamed {@code query} is kept here: it has no window, and it is not restricted to post-cutoff items
     * while no model declares a cutoff (it then reads nothing: {@link StreamedViews}).
     */
    public static boolean keeps(ViewQuery query, Leaderboards.Context ctx) {
        return query.window() == null && !(query.restrictToPostCutoff() && StreamedViews.noCutoffs(ctx));
    }

    /**
     * Feeds one write to every kept view: the slot under {@code key} went from {@code old} to {@code now} (either
     * {@code null}: none), with {@code others} and {@code partnerSlots} as {@link BenchmarkTallies#replace} takes
     * them; {@code models} are the registered models now, whose cutoffs decide what a post-cutoff view keeps.
     */
    public void replace(
            String key,
            Slot old,
            Slot now,
            List<Slot> others,
            DeclaredPairs pairs,
            List<Slot> partnerSlots,
            Map<String, ModelSpec> models) {
        for (Stream s : streams.values()) {
            Slot before = old != null && s.keeps(old, models) ? old : null;
            Slot after = now != null && s.keeps(now, models) ? now : null;
            if (before != null || after != null) {
                // One partition: the fresh tallies of a scan keep every slot in partition 0 (StreamedViews).
                s.tallies.replace(0, key, before, after, s.kept(others, models), pairs, s.kept(partnerSlots, models));
            }
        }
    }

    /**
     * The snapshot {@link StreamedViews#build} gives of {@code query} ({@link #keeps} it, and {@code counted} is
     * what it counts), read from the view's kept tallies, made first from the slots {@code scan} reads when there
     * are none yet, when a model's cutoff is not the one they kept its slots under, or when they stopped answering.
     */
    public Optional<LeaderboardSnapshot> build(
            String benchmark,
            StreamedViews.Counted counted,
            Leaderboards.Context ctx,
            ViewQuery query,
            Instant asOf,
            SlotScan scan,
            ItemSlots stored) {
        View view = query.effective();
        int k = Leaderboards.lengthPenalty(ctx, query, counted.judge());
        boolean postCutoff = query.restrictToPostCutoff();
        Key key = new Key(view.kind(), counted, postCutoff, k, Math.max(BenchmarkTallies.TAIL, query.stabilityLag()));
        Stream s = streams.get(key);
        boolean fresh = s == null || !s.current(ctx.models());
        if (fresh) {
            s = make(key, view, ctx, query, scan);
        }
        // The slots it counts under the cutoffs now, which are the ones it kept them under (current).
        Predicate<Slot> keep = s.counts.and(slot ->
                !postCutoff || Leaderboards.postCutoff(slot, Leaderboards.cutoff(ctx.models(), slot.modelId())));
        Optional<LeaderboardSnapshot> out =
                StreamedViews.read(benchmark, s.tallies, keep, counted, ctx, query, k, asOf, stored);
        if (out.isEmpty() && s.answered && !fresh) {
            s = make(key, view, ctx, query, scan);
            out = StreamedViews.read(benchmark, s.tallies, keep, counted, ctx, query, k, asOf, stored);
        }
        s.answered = out.isPresent();
        return out;
    }

    /** Makes the view's tallies from the slots {@code scan} reads, keeps them, and drops the eldest over {@link #MAX}. */
    private Stream make(Key key, View view, Leaderboards.Context ctx, ViewQuery query, SlotScan scan) {
        Stream s = new Stream(StreamedViews.counts(key.counted(), view), key.postCutoff());
        s.tallies = StreamedViews.tally(scan, slot -> s.keeps(slot, ctx.models()), ctx, query, key.k());
        made++;
        streams.put(key, s);
        Iterator<Stream> eldest = streams.values().iterator();
        while (streams.size() > MAX) {
            eldest.next();
            eldest.remove();
        }
        return s;
    }

    /** Drops every kept view (the benchmark's slots were tallied anew, or a partition moved). */
    public void clear() {
        streams.clear();
    }

    /** How many views are kept. */
    public int size() {
        return streams.size();
    }

    /** How many views were made from the slots since these were created. */
    public long made() {
        return made;
    }
}
