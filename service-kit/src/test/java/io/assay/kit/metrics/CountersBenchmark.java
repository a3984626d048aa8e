package io.assay.kit.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What counting one event costs: the registry's lookup on every call ({@code registry.counter(name, tags...)},
 * as the services counted before) against {@link Counters}, and the increment of a counter already held as the
 * floor, on Micrometer's simple registry (the lookup is the base registry's, the same for Prometheus's; only a first
 * registration differs), with the aggregator's two tags (100 benchmark values × 3 outcomes), measured in the same
 * run. Prints figures, asserts nothing: {@code ./mvnw -o test -pl service-kit -Dtest=CountersBenchmark -Dassay.bench=counters}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "counters")
class CountersBenchmark {
    private static final int EVENTS = 5_000_000;
    private static final String[] OUTCOMES = {"counted", "revised", "duplicate"};

    @Test
    void nanosecondsPerEvent() {
        String[] benchmarks = new String[100];
        for (int b = 0; b < benchmarks.length; b++) {
            benchmarks[b] = "benchmark-" + b;
        }
        MeterRegistry looked = new SimpleMeterRegistry();
        MeterRegistry kept = new SimpleMeterRegistry();
        Counters counters = new Counters(kept, "assay.bench.judgments", "benchmark", "outcome");
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                looked.counter("assay.bench.judgments", "benchmark", benchmarks[i % 100], "outcome", OUTCOMES[i % 3])
                        .increment();
            }
            double lookup = (System.nanoTime() - start) / (double) EVENTS;
            start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                counters.of(benchmarks[i % 100], OUTCOMES[i % 3]).increment();
            }
            double found = (System.nanoTime() - start) / (double) EVENTS;
            Counter[] held = new Counter[300];
            for (int c = 0; c < held.length; c++) {
                held[c] = counters.of(benchmarks[c % 100], OUTCOMES[c % 3]);
            }
            start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                held[i % 300].increment();
            }
            double floor = (System.nanoTime() - start) / (double) EVENTS;
            System.out.printf(
                    "round %d: registry.counter(...) %.0f ns/event, Counters.of(...) %.0f ns/event (%.1fx), "
                            + "the increment alone (counters held in an array) %.0f ns; counted %.0f and %.0f (both paths and the floor)%n",
                    round, lookup, found, lookup / found, floor, counted(looked), counted(kept));
        }
    }

    /** The events counted in {@code registry} so far, so neither loop can be optimised away unseen. */
    private static double counted(MeterRegistry registry) {
        return registry.find("assay.bench.judgments").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
