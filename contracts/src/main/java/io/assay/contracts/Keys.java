package io.assay.contracts;

/** Kafka keys. Every per-item event is keyed {@code benchmark/itemId}, so an item's life stays on one partition. */
public final class Keys {
    private Keys() {}

    /** The key of an item and of every prompt, response and judgment about it. */
    public static String item(String benchmark, String itemId) {
        return benchmark + "/" + itemId;
    }

    /** The key of a leaderboard snapshot. */
    public static String leaderboard(String benchmark, String view) {
        return benchmark + "/" + view;
    }
}
