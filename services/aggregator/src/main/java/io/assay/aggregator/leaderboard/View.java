package io.assay.aggregator.leaderboard;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The leaderboard views the aggregator serves; more come with the aggregation issue. */
public enum View {
    /** Proportion of correct reference judgments with a Wilson interval. */
    ACCURACY("accuracy");

    private final String wireName;

    View(String wireName) {
        this.wireName = wireName;
    }

    /** The name in URLs, snapshot keys and snapshots. */
    public String wireName() {
        return wireName;
    }

    /** The view called {@code name}, if any. */
    public static Optional<View> byName(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName.equals(name)).findFirst();
    }

    /** Every view's name, for error messages. */
    public static List<String> names() {
        return Arrays.stream(values()).map(View::wireName).toList();
    }
}
