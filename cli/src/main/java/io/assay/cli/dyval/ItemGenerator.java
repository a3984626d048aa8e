package io.assay.cli.dyval;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Ids;
import io.assay.contracts.Reference;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A live source of DyVal-style reasoning items: generated on demand, so they cannot have leaked
 * into any model's training data, each with a verifiable answer and a difficulty taken from the
 * size of its generating graph. Item {@code i} of a seed is always the same item.
 */
public final class ItemGenerator {
    /** The kinds generated, in rotation. */
    public static final List<String> KINDS = List.of("arithmetic", "logic", "reachability");
    /** Smallest and largest graph size (inner nodes, or nodes for reachability). */
    static final int MIN_SIZE = 2;

    static final int MAX_SIZE = 10;
    /** Reachability needs a few nodes to ask anything; its sizes start here. */
    static final int MIN_REACHABILITY_SIZE = 4;

    private final String benchmark;
    private final long seed;

    /** A generator of items for {@code benchmark}, reproducible from {@code seed}. */
    public ItemGenerator(String benchmark, long seed) {
        this.benchmark = benchmark;
        this.seed = seed;
    }

    /** The Rasch difficulty of a graph size: linear on the logit scale, 0 at the middle size. */
    public static double difficulty(int size) {
        double middle = (MIN_SIZE + MAX_SIZE) / 2.0;
        return (size - middle) / 2.0;
    }

    /** The task of item {@code index} (without wrapping it in an item). */
    public Task task(long index) {
        SplittableRandom rng = new SplittableRandom(Long.parseUnsignedLong(
                Ids.hash("dyval", Long.toString(seed), Long.toString(index)).substring(0, 16), 16));
        String kind = KINDS.get((int) Math.floorMod(index, (long) KINDS.size()));
        int min = kind.equals("reachability") ? MIN_REACHABILITY_SIZE : MIN_SIZE;
        int size = min + rng.nextInt(MAX_SIZE - min + 1);
        return switch (kind) {
            case "arithmetic" -> ArithmeticTasks.generate(rng, size);
            case "logic" -> LogicTasks.generate(rng, size);
            default -> ReachabilityTasks.generate(rng, size);
        };
    }

    /** Item {@code index}, published at {@code publishedAt}. */
    public BenchmarkItem item(long index, Instant publishedAt) {
        Task task = task(index);
        Reference reference = task.numeric() != null
                ? new Reference(List.of(task.answer()), task.numeric(), 0.0, null, null)
                : Reference.answer(task.answer());
        Map<String, Object> metadata = new LinkedHashMap<>(task.shape());
        metadata.put("generator", "assay-dyval/" + task.kind());
        metadata.put("seed", seed);
        metadata.put("index", index);
        return new BenchmarkItem(
                benchmark,
                String.format("%s-%d-%06d", task.kind(), seed, index),
                1,
                publishedAt,
                "assay-dyval",
                task.kind(),
                List.of("generated", "size-" + task.size()),
                task.question(),
                null,
                null,
                reference,
                difficulty(task.size()),
                metadata);
    }
}
