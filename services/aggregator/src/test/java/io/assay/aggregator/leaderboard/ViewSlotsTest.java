package io.assay.aggregator.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The slot path's compact slots ({@link ViewSlots}) change no view: over randomised slots of every kind (reference
 * verdicts with and without the correct choice's position, human labels, a jury's verdicts, scores, pairwise and
 * preference verdicts with rationales), handed over store by store as the local tasks' stores do, every view is
 * the same as over the whole slots in key order.
 */
class ViewSlotsTest {
    private static final String BENCHMARK = "b";
    private static final Instant AS_OF = Instant.parse("2026-12-01T00:00:00Z");
    private static final int STORES = 3;

    @Test
    void everyViewOverCompactSlotsIsTheViewOverWholeSlots() {
        Map<View, Integer> withRows = new EnumMap<>(View.class);
        for (long seed = 1; seed <= 30; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            // Given: the whole slots by key, and the same slots handed over store by store (an item in one store)
            TreeMap<String, Slot> whole = slots(r);
            List<Map.Entry<String, Slot>> scanned = new ArrayList<>();
            for (int store = 0; store < STORES; store++) {
                for (Map.Entry<String, Slot> e : whole.entrySet()) {
                    if (Math.floorMod(Fold.itemPrefix(e.getKey()).hashCode(), STORES) == store) {
                        scanned.add(e);
                    }
                }
            }
            // When: the slot path reads them
            List<Slot> compact =
                    ViewSlots.read(action -> scanned.forEach(e -> action.accept(e.getKey(), e.getValue())), s -> true);
            // Then: the drill-down's fields are gone, the repeated values shared, and every view is the same
            assertThat(compact).hasSameSizeAs(whole.values());
            assertThat(compact).allMatch(s -> s.rationale() == null && s.pairVerdicts() == null);
            assertThat(compact.stream().map(Slot::modelId).distinct().count())
                    .isEqualTo(compact.stream()
                            .map(s -> System.identityHashCode(s.modelId()))
                            .distinct()
                            .count());
            Leaderboards.Context ctx = context(r);
            for (View v : View.values()) {
                ViewQuery q = ViewQuery.of(v);
                LeaderboardSnapshot expected =
                        Leaderboards.build(BENCHMARK, List.copyOf(whole.values()), ctx, q, AS_OF);
                assertThat(Leaderboards.build(BENCHMARK, compact, ctx, q, AS_OF))
                        .as("seed %d, %s", seed, v)
                        .isEqualTo(expected);
                if (!expected.rows().isEmpty()) {
                    withRows.merge(v, 1, Integer::sum);
                }
            }
        }
        // Not empty views only: every view the slot path computes had rows in some runs.
        assertThat(withRows)
                .containsKeys(
                        View.IRT,
                        View.JUDGE_AGREEMENT,
                        View.LC_WINRATE,
                        View.POSITION_BIAS,
                        View.REGRESSION,
                        View.WB_REWARD,
                        View.SCORE,
                        View.ACCURACY);
    }

    @Test
    void anItemInTwoRunsIsRefused() {
        Slot s = slot(new SplittableRandom(1), "q1", "m1", "v0", "j1", "1", null, JudgmentKind.CORRECT, false);
        SlotScan scan = action -> {
            action.accept("b|q1|m1|v0|j1|1", s);
            action.accept("b|q2|m1|v0|j1|1", s);
            action.accept("b|q1|m2|v0|j1|1", s);
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ViewSlots.read(scan, x -> true))
                .isInstanceOf(IllegalStateException.class);
    }

    /** Every kind's slots on up to 12 items of 5 models, 2 variants, some slots left out. */
    private static TreeMap<String, Slot> slots(SplittableRandom r) {
        TreeMap<String, Slot> out = new TreeMap<>();
        int items = 4 + r.nextInt(9);
        for (int i = 0; i < items; i++) {
            for (int m = 0; m < 5; m++) {
                for (String variant : List.of("v0", "v1")) {
                    String item = "q" + i;
                    String model = "m" + m;
                    add(
                            out,
                            r,
                            item,
                            model,
                            variant,
                            "j1",
                            r.nextInt(5) == 0 ? "2" : "1",
                            null,
                            JudgmentKind.CORRECT,
                            false);
                    add(out, r, item, model, variant, "j2", "1", null, JudgmentKind.CORRECT, false);
                    add(out, r, item, model, variant, "h1", "1", null, JudgmentKind.CORRECT, true);
                    add(out, r, item, model, variant, "s1", "1", null, JudgmentKind.SCORE, false);
                    add(out, r, item, model, variant, "h2", "1", null, JudgmentKind.SCORE, true);
                    for (String baseline : List.of("m0", "base")) {
                        add(out, r, item, model, variant, "p1", "1", baseline, JudgmentKind.PAIRWISE, false);
                        add(out, r, item, model, variant, "a1", "1", baseline, JudgmentKind.PREFERENCE, false);
                    }
                }
            }
        }
        return out;
    }

    private static void add(
            TreeMap<String, Slot> out,
            SplittableRandom r,
            String item,
            String model,
            String variant,
            String judge,
            String version,
            String baseline,
            JudgmentKind kind,
            boolean human) {
        if (r.nextInt(6) == 0) {
            return;
        }
        String key = String.join(Fold.SEPARATOR, BENCHMARK, item, model, variant, judge, version);
        out.put(
                baseline == null ? key : key + Fold.SEPARATOR + baseline,
                slot(r, item, model, variant, judge, version, baseline, kind, human));
    }

    /** A slot of {@code kind} whose other values are drawn; strings made anew, as each decoded slot's are. */
    private static Slot slot(
            SplittableRandom r,
            String item,
            String model,
            String variant,
            String judge,
            String version,
            String baseline,
            JudgmentKind kind,
            boolean human) {
        boolean pair = baseline != null;
        boolean unparseable = r.nextInt(15) == 0;
        List<String> categories = r.nextInt(4) == 0 ? null : new ArrayList<>(List.of(fresh("c" + item.length() % 2)));
        return new Slot(
                "id" + Long.toHexString(r.nextLong() & 0xfff),
                1 + r.nextInt(2),
                r.nextBoolean(),
                categories == null && r.nextBoolean() ? fresh("c") : null,
                unparseable,
                fresh(item),
                fresh(model),
                kind,
                variant.equals("v0") ? null : fresh("cot"),
                fresh(judge),
                kind == JudgmentKind.SCORE && !unparseable ? (double) r.nextInt(11) : null,
                kind == JudgmentKind.PAIRWISE ? PairwiseOutcome.values()[r.nextInt(5)] : null,
                pair ? fresh(baseline) : null,
                100 + r.nextInt(2000),
                pair ? 100 + r.nextInt(2000) : null,
                r.nextInt(10) == 0,
                kind == JudgmentKind.PREFERENCE ? r.nextDouble() : null,
                AS_OF.minusSeconds(86_400L * (1 + item.length())),
                r.nextInt(20) == 0 ? null : AS_OF.minusSeconds(r.nextInt(30)),
                r.nextInt(8) == 0 ? "other" : fresh("req-" + item + model + variant),
                "rationale " + r.nextLong(),
                kind == JudgmentKind.SCORE ? 1.0 * r.nextInt(2) : null,
                kind == JudgmentKind.SCORE ? 10.0 : null,
                categories,
                fresh(version),
                kind == JudgmentKind.PREFERENCE && r.nextBoolean() ? 1.0 + item.length() : null,
                kind == JudgmentKind.PAIRWISE ? "both" : null,
                kind == JudgmentKind.PAIRWISE ? List.of("A>B", "B>A") : null,
                kind == JudgmentKind.CORRECT && r.nextBoolean() ? r.nextInt(4) : null,
                human,
                kind == JudgmentKind.SCORE && !human && r.nextBoolean()
                        ? Map.of("ja", r.nextDouble(), "jb", r.nextDouble())
                        : null);
    }

    /** A new copy of {@code s}, as each slot decoded from the store holds its own. */
    private static String fresh(String s) {
        return new String(s.toCharArray());
    }

    /** Model m2 follows m1 (a regression pair) in some runs. */
    private static Leaderboards.Context context(SplittableRandom r) {
        String previous = r.nextInt(3) == 0 ? null : "m1";
        return new Leaderboards.Context(
                Map.of(
                        "m2",
                        new ModelSpec(
                                "m2",
                                null,
                                Provider.OPENAI,
                                null,
                                null,
                                null,
                                null,
                                null,
                                previous,
                                null,
                                null,
                                null,
                                null,
                                null)),
                null);
    }
}
