package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.contracts.JudgmentKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Heap the slot mirror retains per score slot whose judge wrote a WildBench-length rationale, tallies
 * included: as it keeps slots now (without the drill-down text) against that plus the rationales (what it
 * kept before), measured in the same run. Prints figures, asserts nothing: {@code ./mvnw -o test -pl services/aggregator
 * -am -Dtest=SlotMirrorFootprintBenchmark -Dassay.bench=slot-mirror -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "slot-mirror")
class SlotMirrorFootprintBenchmark {
    private static final int SLOTS = 100_000;
    /** WildBench's checklist-style reasoning runs to about 1,000–2,000 characters. */
    private static final String RATIONALE = "The response addresses the checklist item by item. ".repeat(30);

    @Test
    void retainedHeapPerSlot() throws InterruptedException {
        double whole = retainedPerSlot(false);
        double lean = retainedPerSlot(true);
        System.out.printf(
                "slot mirror, %d score slots with %d-character rationales: whole %.0f bytes/slot, without the "
                        + "drill-down text %.0f bytes/slot (%.1fx less)%n",
                SLOTS, RATIONALE.length(), whole, lean, whole / lean);
    }

    private static double retainedPerSlot(boolean lean) throws InterruptedException {
        SlotMirror mirror = new SlotMirror();
        java.util.List<String> kept = new java.util.ArrayList<>(lean ? 0 : SLOTS);
        long before = usedAfterGc();
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        for (int i = 0; i < SLOTS; i++) {
            String item = "item-" + i / 10;
            String model = "model-" + i % 10;
            Slot slot = new Slot(
                    "judgment-" + i,
                    1,
                    false,
                    "Coding & Debugging",
                    false,
                    item,
                    model,
                    JudgmentKind.SCORE,
                    null,
                    "wb-score",
                    1.0 + i % 10,
                    null,
                    null,
                    800,
                    null,
                    false,
                    null,
                    at,
                    at.plusSeconds(i),
                    "request-" + i,
                    new String(RATIONALE.toCharArray()),
                    1.0,
                    10.0,
                    null,
                    "1",
                    null,
                    null,
                    null);
            String key = String.join(Fold.SEPARATOR, "wildbench", item, model, "-", "wb-score", "1");
            mirror.put(i % 3, key, slot);
            if (!lean) {
                // What the mirror retained before it dropped the text: the same, plus each rationale
                // (and a list reference per slot, 4 bytes, which the figure overstates).
                kept.add(slot.rationale());
            }
        }
        long after = usedAfterGc();
        if (mirror.slots("wildbench").size() != SLOTS) {
            throw new IllegalStateException("mirror lost slots");
        }
        if (kept.size() != (lean ? 0 : SLOTS)) {
            throw new IllegalStateException("lost rationales");
        }
        return (after - before) / (double) SLOTS;
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
