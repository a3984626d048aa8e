package io.assay.kit.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of one name, one per combination of its tags' values: each registered on first use and then
 * found by its values in a map. {@code registry.counter(name, tags...)} on every event builds and sorts the
 * tags, makes an id and passes it through the registry's filters before its own lookup, on every call: about
 * 0.5% of each service's CPU at pipeline rates, and one of the aggregator's largest compilations (BENCHMARKS.md,
 * "Counters found by their tag values"). The meters and their names are the registry's as before.
 */
public final class Counters {
    private final MeterRegistry registry;
    private final String name;
    private final List<String> keys;
    private final Map<List<String>, Counter> byValues = new ConcurrentHashMap<>();

    /**
     * @param registry where the counters are registered
     * @param name the counters' name
     * @param keys the tags' keys, in the order {@link #of} takes their values
     */
    public Counters(MeterRegistry registry, String name, String... keys) {
        this.registry = registry;
        this.name = name;
        this.keys = List.of(keys);
    }

    /**
     * The counter with these tag values, one per key in the keys' order, registered on first use.
     *
     * @throws IllegalArgumentException when there are not as many values as keys
     * @throws NullPointerException for a null value (the registry refuses one too)
     */
    public Counter of(String... values) {
        List<String> tagValues = List.of(values);
        Counter counter = byValues.get(tagValues);
        return counter != null ? counter : byValues.computeIfAbsent(tagValues, this::register);
    }

    private Counter register(List<String> values) {
        if (values.size() != keys.size()) {
            throw new IllegalArgumentException(
                    name + " takes " + keys.size() + " tag values " + keys + ", got " + values.size());
        }
        String[] tags = new String[2 * keys.size()];
        for (int t = 0; t < keys.size(); t++) {
            tags[2 * t] = keys.get(t);
            tags[2 * t + 1] = values.get(t);
        }
        return registry.counter(name, tags);
    }
}
