package io.assay.aggregator.messaging;

import io.assay.aggregator.leaderboard.Fold;
import io.assay.aggregator.leaderboard.Leaderboards;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.SlotScan;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.aggregator.leaderboard.ViewSlots;
import io.assay.contracts.Ids;
import io.assay.contracts.JudgmentKind;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PairwiseOutcome;
import io.assay.contracts.Provider;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Heap of the slot path ({@link LeaderboardReader#slots(String)}, then {@code Leaderboards.build}) with
 * realistic slots, each encoded and decoded by the {@code slots} store's serde as a RocksDB read hands it
 * over (the RocksDB read itself is not included): LLM judges' verdicts carry a rationale of 300–500
 * characters, reference verdicts a short one; 100 models; ids as the platform makes them (32 hex digits).
 *
 * <p>First the retained heap per slot, 100,000 slots of each kind: decoded whole, as the slot path held them
 * before ({@link Slot#withoutDrillDown}, each with its key in a sorted list of entries) and as it holds them
 * now ({@link ViewSlots}). Then each view the slot path computes over 1,000,000 slots of 100 models (10,000
 * items; lc-winrate's preferences carry their item's instruction difficulty, as AlpacaEval's items do): slots read, live heap after the read, the peak heap after any GC during the read and two builds (an
 * upper bound of the live peak: a young collection leaves the old generation's garbage in), time of the read
 * and of the first and second build (wall and thread CPU), and whether the view answers at this heap now and
 * did before ({@code 2048} bytes a slot). {@code -Dassay.bench.views=lc-winrate,regression} measures only
 * those views (and skips the per-slot figures), {@code -Dassay.bench.slots=100000,1000000} at those sizes
 * (default 1,000,000; {@code -Dassay.bench.slots.lc-winrate=...} for one view), {@code -Dassay.bench.builds=1}
 * builds each once, {@code -Dassay.bench.new-model=true} builds first without the last model's slots, then with
 * them; a view whose two builds take more than {@code -Dassay.bench.timeout-s} (900) stops the
 * run, the JVM halted after printing how far it got. Prints figures, asserts nothing; run it in the chart's heap:
 * {@code ./mvnw -o -q test -pl services/aggregator -am -Dtest=SlotPathFootprintBenchmark
 * -Dassay.bench=slot-path -DargLine="-Xmx384m -XX:+UseSerialGC" -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "slot-path")
class SlotPathFootprintBenchmark {
    private static final String BENCHMARK = "mmlu-pro";
    private static final int MODELS = 100;
    private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
    private static final String[] CATEGORIES = {
        "biology", "business", "chemistry", "computer science", "economics", "engineering", "health",
        "history", "law", "math", "other", "philosophy", "physics", "psychology"
    };
    private static final String BASELINE = "openai/gpt-4-turbo-2024-04-09";
    private static final Serializer<Slot> ENCODE = new JsonStoreSerde<>(Slot.class).serializer();
    private static final Deserializer<Slot> DECODE = new JsonStoreSerde<>(Slot.class).deserializer();
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** Seconds a view's two builds may take before the run is stopped ({@code assay.bench.timeout-s}). */
    private static final long TIMEOUT_S = Long.getLong("assay.bench.timeout-s", 900);
    /** Builds of each view: 2 (first and again) unless {@code assay.bench.builds} says 1. */
    private static final int BUILDS = Integer.getInteger("assay.bench.builds", 2);
    /**
     * With {@code assay.bench.new-model}, the first build leaves out the slots of the last model (by id), the
     * second has them: a model's verdicts arriving, which views that keep their fits ({@code lc-winrate}) answer
     * by fitting that model alone.
     */
    private static final boolean NEW_MODEL = Boolean.getBoolean("assay.bench.new-model");

    /** The kinds of slot measured one by one. */
    private enum Kind {
        REFERENCE,
        POSITIONED,
        SCORE,
        PAIRWISE,
        PREFERENCE,
        HUMAN
    }

    /** The views measured, each with the slots of its kind: every one unless {@code assay.bench.views} picks some. */
    private record Measured(View view, String label, IntFunction<Slot> slot, Map<String, ModelSpec> models) {}

    @Test
    void slotPathHeap() throws InterruptedException {
        System.out.printf(
                "max heap %,d MiB, %s; load average %s%n",
                Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .toList(),
                loadAverage());
        String picked = System.getProperty("assay.bench.views");
        if (picked == null) {
            for (Kind kind : Kind.values()) {
                perSlot(kind, 100_000);
            }
        }
        List<Measured> views = List.of(
                new Measured(View.IRT, "irt (reference verdicts)", i -> slot(Kind.REFERENCE, i), Map.of()),
                new Measured(
                        View.JUDGE_AGREEMENT,
                        "judge-agreement (1 in 5 items labelled)",
                        SlotPathFootprintBenchmark::labelled,
                        Map.of()),
                new Measured(
                        View.POSITION_BIAS,
                        "position-bias (positioned choices)",
                        i -> slot(Kind.POSITIONED, i),
                        Map.of()),
                new Measured(View.REGRESSION, "regression (99 pairs)", i -> slot(Kind.REFERENCE, i), pairs()),
                new Measured(
                        View.LC_WINRATE,
                        "lc-winrate (preferences, difficulty given)",
                        i -> slot(Kind.PREFERENCE, i),
                        Map.of()));
        List<String> names = picked == null ? View.names() : List.of(picked.split(","));
        String sizes = System.getProperty("assay.bench.slots", "1000000");
        for (Measured m : views) {
            if (names.contains(m.view().wireName())) {
                String own = System.getProperty("assay.bench.slots." + m.view().wireName(), sizes);
                for (String size : own.split(",")) {
                    view(m.label(), m.view(), Integer.parseInt(size.trim()), m.slot(), m.models());
                }
            }
        }
        System.out.printf("load average %s%n", loadAverage());
    }

    /** Retained heap per slot of {@code kind}: decoded whole, as the slot path held them before, and now. */
    private static void perSlot(Kind kind, int n) throws InterruptedException {
        long base = usedAfterGc();
        List<Slot> whole = new ArrayList<>(n);
        scan(n, i -> slot(kind, i)).forEach((key, s) -> whole.add(s));
        long decoded = usedAfterGc() - base;
        whole.clear();
        base = usedAfterGc();
        // Before: each slot without its drill-down, with its key, in a list sorted by key.
        List<Map.Entry<String, Slot>> entries = new ArrayList<>(n);
        scan(n, i -> slot(kind, i)).forEach((key, s) -> entries.add(Map.entry(key, s.withoutDrillDown())));
        entries.sort(Map.Entry.comparingByKey());
        long before = usedAfterGc() - base;
        entries.clear();
        base = usedAfterGc();
        List<Slot> now = ViewSlots.read(scan(n, i -> slot(kind, i)), s -> true);
        long after = usedAfterGc() - base;
        System.out.printf(
                "%-10s %,d slots: decoded whole %,5d B/slot; as the slot path held them before %,5d B/slot"
                        + " (slots and keys), now %,4d B/slot%n",
                kind, now.size(), decoded / n, before / n, after / n);
    }

    /** Reads {@code n} slots as the slot path does and builds {@code view} twice over them. */
    private static void view(String label, View view, int n, IntFunction<Slot> slot, Map<String, ModelSpec> models)
            throws InterruptedException {
        long max = Runtime.getRuntime().maxMemory();
        // the reader's default: the old generation / 512 B; before, the max heap / 512 B
        long limit = LeaderboardReader.slotHeap() / LeaderboardReader.HEAP_PER_SLOT;
        long base = usedAfterGc();
        Leaderboards.Context ctx = new Leaderboards.Context(models, null);
        InProcessBench.PeakAfterGc peak = new InProcessBench.PeakAfterGc();
        String[] answer = {"OutOfMemoryError"};
        long live = 0;
        double readMs = 0;
        double[] buildMs = new double[2];
        double[] buildCpuMs = new double[2];
        long[] gcMs = new long[1];
        int read = 0;
        try {
            long start = System.nanoTime();
            List<Slot> slots = ViewSlots.read(scan(n, slot), s -> true);
            readMs = (System.nanoTime() - start) / 1e6;
            read = slots.size();
            live = usedAfterGc() - base;
            String last =
                    slots.stream().map(Slot::modelId).max(String::compareTo).orElse("");
            List<Slot> withoutLast = NEW_MODEL
                    ? slots.stream().filter(s -> !s.modelId().equals(last)).toList()
                    : slots;
            // The builds on a thread of their own, so that one that collects garbage for ever is stopped.
            Thread builds = new Thread(
                    () -> {
                        long gc = gcMillis();
                        try {
                            for (int run = 0; run < BUILDS; run++) {
                                long cpu = CPU.getCurrentThreadCpuTime();
                                long began = System.nanoTime();
                                LeaderboardSnapshot s = Leaderboards.build(
                                        BENCHMARK, run == 0 ? withoutLast : slots, ctx, ViewQuery.of(view), AT);
                                buildMs[run] = (System.nanoTime() - began) / 1e6;
                                buildCpuMs[run] = (CPU.getCurrentThreadCpuTime() - cpu) / 1e6;
                                answer[0] = "answered, " + s.rows().size() + " rows, " + s.judgments() + " judgments";
                            }
                        } catch (OutOfMemoryError e) {
                            answer[0] = "OutOfMemoryError in a build";
                        }
                        gcMs[0] = gcMillis() - gc;
                    },
                    "builds");
            builds.setDaemon(true);
            builds.start();
            builds.join(TIMEOUT_S * 1000);
            if (builds.isAlive()) {
                System.out.printf(
                        "%-40s %,9d slots read in %,6.0f ms; live after the read %,5.1f MiB; no answer %,d s into the"
                                + " builds (first build %s), stopped; load average %s%n",
                        label,
                        read,
                        readMs,
                        live / 1048576.0,
                        TIMEOUT_S,
                        buildMs[0] > 0 ? String.format("%,.0f ms", buildMs[0]) : "unfinished",
                        loadAverage());
                // The fork's output reaches the build through a stream that halt would cut.
                System.out.flush();
                Thread.sleep(2000);
                Runtime.getRuntime().halt(1);
            }
        } catch (OutOfMemoryError e) {
            answer[0] = "OutOfMemoryError";
        }
        long peakAbove = peak.stop() - base;
        System.out.printf(
                "%-40s %,9d slots read in %,6.0f ms; live after the read %,5.1f MiB (%,4d B/slot); peak after a GC"
                        + " %,5.1f MiB above the start; build first%s %,6.0f ms (CPU %,6.0f), again%s %,6.0f ms (CPU %,6.0f);"
                        + " GC %,d ms in the builds; %s; limit now %,d (%s), before %,d (%s)%n",
                label,
                read,
                readMs,
                live / 1048576.0,
                read == 0 ? 0 : live / read,
                peakAbove / 1048576.0,
                NEW_MODEL ? " (without the last model)" : "",
                buildMs[0],
                buildCpuMs[0],
                NEW_MODEL ? " (with it)" : "",
                buildMs[1],
                buildCpuMs[1],
                gcMs[0],
                answer[0],
                limit,
                n <= limit ? "answers" : "refused",
                max / LeaderboardReader.HEAP_PER_SLOT,
                n <= max / LeaderboardReader.HEAP_PER_SLOT ? "answered" : "refused");
    }

    /** A scan that hands over {@code n} slots in key order, each encoded and decoded as the store does. */
    private static SlotScan scan(int n, IntFunction<Slot> make) {
        return action -> {
            for (int i = 0; i < n; i++) {
                Slot s = make.apply(i);
                action.accept(key(s), DECODE.deserialize("slots", ENCODE.serialize("slots", s)));
            }
        };
    }

    /** The slot's key as the fold writes it (no prompt variant). */
    private static String key(Slot s) {
        String key = String.join(
                Fold.SEPARATOR, BENCHMARK, s.itemId(), s.modelId(), Fold.NONE, s.judgeId(), s.judgeVersion());
        return s.baseline() == null ? key : key + Fold.SEPARATOR + s.baseline();
    }

    /**
     * Slot {@code i} of {@code kind}: item {@code i / 100}, model {@code i % 100}; a human label is a reference
     * verdict of the reviewer on the same answer.
     */
    private static Slot slot(Kind kind, int i) {
        int item = i / MODELS;
        int model = i % MODELS;
        String itemId = String.format("%s-%06d", BENCHMARK, item);
        String modelId = String.format("provider-%d/model-%03d", model % 7, model);
        String category = CATEGORIES[item % CATEGORIES.length];
        boolean llm = kind == Kind.SCORE || kind == Kind.PAIRWISE || kind == Kind.PREFERENCE;
        JudgmentKind jk = switch (kind) {
            case SCORE -> JudgmentKind.SCORE;
            case PAIRWISE -> JudgmentKind.PAIRWISE;
            case PREFERENCE -> JudgmentKind.PREFERENCE;
            default -> JudgmentKind.CORRECT;
        };
        String judgeId = switch (kind) {
            case SCORE -> "wb-checklist";
            case PAIRWISE -> "arena-hard";
            case PREFERENCE -> "alpaca-eval-2";
            case HUMAN -> "reviewer-1";
            default -> "choice-exact";
        };
        String judgeVersion = llm ? "2/p3/1..10/openai/gpt-4o-2024-08-06" : "1/p1";
        boolean pair = kind == Kind.PAIRWISE || kind == Kind.PREFERENCE;
        boolean unparseable = i % 97 == 0;
        double skill = model / (double) MODELS;
        double hard = (item % 101) / 101.0;
        boolean correct = (mix(i) % 1000) / 1000.0 < 0.2 + 0.6 * skill * (1 - hard) + 0.2 * (1 - hard);
        int answerChars = 300 + (int) (mix(i + 7) % 2700);
        return new Slot(
                Ids.hash("judgment", Integer.toString(i), kind.name()),
                1,
                correct,
                null,
                unparseable,
                itemId,
                modelId,
                jk,
                "plain",
                judgeId,
                kind == Kind.SCORE && !unparseable ? 1.0 + mix(i) % 10 : null,
                kind == Kind.PAIRWISE && !unparseable ? PairwiseOutcome.values()[(int) (mix(i) % 5)] : null,
                pair ? BASELINE : null,
                answerChars,
                pair ? 400 + (int) (mix(item) % 2000) : null,
                false,
                // AlpacaEval's preference is in [1, 2] (0 a draw): the soft label p − 1 in [0, 1].
                kind == Kind.PREFERENCE && !unparseable ? 1 + (mix(i) % 10_001) / 10_000.0 : null,
                AT.plusSeconds(3600L * item),
                AT.plusSeconds(3600L * item + 60).plusMillis(i),
                Ids.hash("req", itemId, modelId),
                llm
                        ? rationale(i)
                        : "answer (" + (char) ('A' + i % 4) + "), reference (" + (char) ('A' + item % 4) + ")",
                kind == Kind.SCORE ? 1.0 : null,
                kind == Kind.SCORE ? 10.0 : null,
                List.of(category),
                judgeVersion,
                kind == Kind.PREFERENCE ? 0.5 + (mix(item) % 100) / 100.0 : null,
                kind == Kind.PAIRWISE ? "both" : null,
                kind == Kind.PAIRWISE ? List.of("A>>B", "B>A") : null,
                kind == Kind.POSITIONED ? (int) (mix(i + 3) % 4) : null,
                kind == Kind.HUMAN);
    }

    /**
     * A judge-agreement history: every answer judged, and those of one item in five labelled by a human too
     * (blocks of 600 slots: the labelled item's 200, then four items' 100).
     */
    private static Slot labelled(int i) {
        int block = i / 600;
        int r = i % 600;
        int item = r < 200 ? block * 5 : block * 5 + 1 + (r - 200) / MODELS;
        return slot(r >= MODELS && r < 200 ? Kind.HUMAN : Kind.REFERENCE, item * MODELS + r % MODELS);
    }

    /** Model {@code k} declares model {@code k - 1} its previous version. */
    private static Map<String, ModelSpec> pairs() {
        Map<String, ModelSpec> models = new TreeMap<>();
        for (int m = 1; m < MODELS; m++) {
            String id = String.format("provider-%d/model-%03d", m % 7, m);
            String previous = String.format("provider-%d/model-%03d", (m - 1) % 7, m - 1);
            models.put(
                    id,
                    new ModelSpec(
                            id,
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
                            null));
        }
        return models;
    }

    /** An LLM judge's explanation of 300–500 characters. */
    private static String rationale(int i) {
        StringBuilder b = new StringBuilder("The response addresses the question (")
                .append(i)
                .append("). ");
        int length = 300 + (int) (mix(i) % 200);
        while (b.length() < length) {
            b.append("It states the key facts correctly, but the derivation skips a step and the final answer"
                    + " is given without the units the question asks for. ");
        }
        return b.substring(0, length);
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return (x ^ (x >>> 33)) & Long.MAX_VALUE;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Milliseconds every collector has spent so far. */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    /** The heap in use after five full GCs. */
    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
