package io.assay.aggregator.leaderboard;

import io.assay.contracts.JudgmentKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The items of one benchmark with their verdict counts, for the paginated item list of the web pages
 * ({@code GET /api/benchmarks/{b}/items}), without one entry per item in heap: the number of items and
 * the slot-key prefix of every {@value #EVERY}th one (a bookmark), taken in one pass over the benchmark's
 * slots in key order ({@link #of}). A page seeks to the bookmark at or before its offset and reads on from
 * there ({@link #page}), so it reads fewer than {@value #EVERY} items it does not show, whatever the offset.
 * The bookmarks are those of the state they were taken from: items that arrived since shift a page by as
 * many places until they are taken again.
 */
public final class ItemIndex {
    /** Items between two bookmarks. */
    static final int EVERY = 256;

    private final long total;
    private final List<String> bookmarks;

    private ItemIndex(long total, List<String> bookmarks) {
        this.total = total;
        this.bookmarks = bookmarks;
    }

    /** Slots in key order (the stores merged), from a key on, until the action says stop. */
    @FunctionalInterface
    public interface Slots {
        /** Hands {@code action} every slot of the benchmark whose key is at or after {@code from}, in key order, while it returns true. */
        void from(String from, BiPredicate<String, Slot> action);
    }

    /**
     * One item.
     *
     * @param itemId the item
     * @param category its (first) category, {@code null} when it has none
     * @param verdicts verdicts that count on it (every model, variant, judge and baseline)
     * @param models models judged on it
     * @param meanValue the share of correct reference verdicts when it has any, else the mean score of its
     *     score verdicts, else {@code null} (pairwise and preference verdicts have no per-item value)
     */
    public record ItemSummary(String itemId, String category, long verdicts, int models, Double meanValue) {}

    /**
     * One page of the list.
     *
     * @param total items in the benchmark
     * @param offset index of the first item of this page
     * @param limit the page size asked for
     * @param items the page, in item id order
     */
    public record Page(long total, int offset, int limit, List<ItemSummary> items) {}

    /** The index of the slots under {@code prefix} (one benchmark's, {@link Fold#prefix}). */
    public static ItemIndex of(String prefix, Slots slots) {
        long[] total = {0};
        String[] item = {null};
        List<String> bookmarks = new ArrayList<>();
        slots.from(prefix, (key, slot) -> {
            String at = Fold.itemPrefix(key);
            if (!at.equals(item[0])) {
                if (total[0] % EVERY == 0) {
                    bookmarks.add(at);
                }
                total[0]++;
                item[0] = at;
            }
            return true;
        });
        return new ItemIndex(total[0], List.copyOf(bookmarks));
    }

    /** Items {@code offset} to {@code offset + limit} (fewer at the end), read from {@code slots}. */
    public Page page(int offset, int limit, Slots slots) {
        List<ItemSummary> out = new ArrayList<>();
        if (offset < total && limit > 0) {
            int mark = offset / EVERY;
            long[] skip = {offset - (long) mark * EVERY};
            String[] item = {null};
            Tally[] tally = {null};
            slots.from(bookmarks.get(mark), (key, slot) -> {
                String at = Fold.itemPrefix(key);
                if (!at.equals(item[0])) {
                    if (tally[0] != null) {
                        out.add(tally[0].summary());
                        tally[0] = null;
                    }
                    if (out.size() == limit) {
                        return false;
                    }
                    item[0] = at;
                    if (skip[0] > 0) {
                        skip[0]--;
                    } else {
                        tally[0] = new Tally(slot.itemId());
                    }
                }
                if (tally[0] != null) {
                    tally[0].add(slot);
                }
                return true;
            });
            if (tally[0] != null && out.size() < limit) {
                out.add(tally[0].summary());
            }
        }
        return new Page(total, offset, limit, List.copyOf(out));
    }

    /** How many items. */
    public long size() {
        return total;
    }

    /** How many bookmarks it keeps (items / {@value #EVERY}, rounded up). */
    int bookmarks() {
        return bookmarks.size();
    }

    private static final class Tally {
        private final String itemId;
        private String category;
        private long verdicts;
        private final Set<String> models = new HashSet<>();
        private long correctOf;
        private long correct;
        private long scored;
        private double scoreSum;

        Tally(String itemId) {
            this.itemId = itemId;
        }

        void add(Slot s) {
            verdicts++;
            models.add(s.modelId());
            if (category == null && !s.categoriesOrSingle().isEmpty()) {
                category = s.categoriesOrSingle().get(0);
            }
            if (s.unparseable()) {
                return;
            }
            if (s.kind() == JudgmentKind.CORRECT) {
                correctOf++;
                correct += s.correct() ? 1 : 0;
            } else if (s.kind() == JudgmentKind.SCORE && s.score() != null) {
                scored++;
                scoreSum += s.score();
            }
        }

        ItemSummary summary() {
            // Not one conditional expression: a double beside a Double unboxes the null of preference and pairwise
            // items (a NullPointerException, and every items page of an AlpacaEval benchmark answered 500).
            Double mean = null;
            if (correctOf > 0) {
                mean = (double) correct / correctOf;
            } else if (scored > 0) {
                mean = scoreSum / scored;
            }
            return new ItemSummary(itemId, category, verdicts, models.size(), mean);
        }
    }
}
