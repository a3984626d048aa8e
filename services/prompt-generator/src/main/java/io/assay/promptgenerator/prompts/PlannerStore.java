package io.assay.promptgenerator.prompts;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The state {@link PromptPlanner} works on: the items a task has seen and what it has acknowledged
 * (models, variants, benchmarks). The key layout is the planner's; the Kafka Streams adapter backs it
 * with the task's two persistent stores, unit tests with maps.
 */
public interface PlannerStore {

    /** The item stored under {@code key} ({@code benchmark/itemId}), {@code null} when none. */
    StoredItem item(String key);

    /** Stores {@code item} under {@code key}, replacing what was there. */
    void putItem(String key, StoredItem item);

    /** Forgets the item under {@code key}. */
    void deleteItem(String key);

    /** Calls {@code action} with every stored item whose key starts with {@code keyPrefix}. */
    void forEachItem(String keyPrefix, Consumer<StoredItem> action);

    /** The acknowledgement under {@code key}, {@code null} when none. */
    String acknowledgement(String key);

    /** Every acknowledgement whose key starts with {@code keyPrefix}, by key. */
    Map<String, String> acknowledgements(String keyPrefix);

    /** Records an acknowledgement. */
    void acknowledge(String key, String value);

    /** Removes the acknowledgement under {@code key}. */
    void forget(String key);
}
