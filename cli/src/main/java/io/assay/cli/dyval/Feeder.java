package io.assay.cli.dyval;

import io.assay.cli.kafka.Publisher;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Topics;
import java.time.Instant;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Publishes generated items to {@code assay.items} at a steady rate. Each item is labelled
 * {@code benchmark/itemId}, so one the publisher could not deliver within its timeout is named.
 */
public final class Feeder implements Runnable {
    private final Publisher publisher;
    private final ItemGenerator generator;
    private final long from;
    private final long count;
    private final double ratePerSecond;
    private final LongConsumer progress;
    private volatile boolean stopped;
    private volatile long published;
    private volatile List<Publisher.Undelivered> undelivered = List.of();

    /**
     * A feeder of items {@code from .. from+count-1} ({@code count} 0 = without end) at
     * {@code ratePerSecond}, calling {@code progress} with the number published so far.
     */
    public Feeder(
            Publisher publisher,
            ItemGenerator generator,
            long from,
            long count,
            double ratePerSecond,
            LongConsumer progress) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.publisher = publisher;
        this.generator = generator;
        this.from = from;
        this.count = count;
        this.ratePerSecond = ratePerSecond;
        this.progress = progress;
    }

    /** Asks the feeder to stop after the current item. */
    public void stop() {
        stopped = true;
    }

    /** Publishes the items, then waits until each is delivered or has run out of time (see {@link #undelivered()}). */
    @Override
    public void run() {
        long start = System.nanoTime();
        long intervalNanos = (long) (1e9 / ratePerSecond);
        for (long i = 0; !stopped && (count == 0 || i < count); i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            BenchmarkItem item = generator.item(from + i, Instant.now());
            publisher.send(Topics.ITEMS, item.key(), item, item.key());
            published = i + 1;
            progress.accept(i + 1);
        }
        undelivered = publisher.awaitDelivery();
    }

    /** How many items were sent (delivered or not). */
    public long published() {
        return published;
    }

    /** The items not delivered, once {@link #run()} has returned. */
    public List<Publisher.Undelivered> undelivered() {
        return undelivered;
    }
}
