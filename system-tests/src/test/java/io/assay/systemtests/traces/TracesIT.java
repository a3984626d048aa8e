package io.assay.systemtests.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.cli.DemoSetup;
import io.assay.cli.api.ServiceHttp;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Json;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One trace per item through the four packaged services, read from the records' W3C {@code traceparent}
 * headers: an item published with a trace has its prompts, responses and judgments in that trace, each
 * under a span of its own; an item published without one (as kcat does), or with an invalid one, gets a
 * new trace at the prompt generator, which its records share, and is not dead-lettered.
 */
@RequiresBroker
class TracesIT {
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final String BENCHMARK = "traces-" + System.currentTimeMillis();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_ID = "00f067aa0ba902b7";

    private static LocalStack services;
    private static TestClient kafka;

    @BeforeAll
    static void startServices() {
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        services = new LocalStack(repo, repo.resolve("system-tests/target/traces-it"), 24_000);
        services.startServices(TestBroker.get().bootstrapServers(), System.out);
        kafka = TestBroker.get().client();
    }

    @AfterAll
    static void stopServices() {
        if (kafka != null) {
            kafka.close();
        }
        if (services != null) {
            List<ProcessHandle> processes = services.processes();
            services.stop();
            assertThat(processes).as("no service process is left running").noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void anItemsPromptsResponsesAndJudgmentsCarryOneTraceId() throws Exception {
        // Given four simulated models the services know (a warm-up item judged for all of them: a prompt
        // back-filled for a model registered after its item starts a trace of its own)
        List<ModelSpec> models = DemoSetup.models(Instant.now());
        kafka.send(Topics.BENCHMARKS, BENCHMARK, DemoSetup.benchmark(BENCHMARK, Instant.now()));
        models.forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));
        ItemGenerator generator = new ItemGenerator(BENCHMARK, 17);
        BenchmarkItem warmUp = generator.item(0, Instant.now());
        kafka.send(Topics.ITEMS, warmUp.key(), warmUp);
        awaitRecords(Topics.JUDGMENTS.name(), warmUp.key(), models.size());

        // When an item comes in a trace, one without a traceparent and one with an invalid traceparent
        BenchmarkItem traced = generator.item(1, Instant.now());
        BenchmarkItem plain = generator.item(2, Instant.now());
        BenchmarkItem invalid = generator.item(3, Instant.now());
        kafka.send(
                Topics.ITEMS, traced.key(), traced, Map.of("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01"));
        kafka.send(Topics.ITEMS, plain.key(), plain);
        kafka.send(Topics.ITEMS, invalid.key(), invalid, Map.of("traceparent", "00-" + TRACE_ID + "-zz-01"));

        // Then each is judged for every model, and its prompts, responses and judgments are in one trace:
        // the publisher's for the first, a new one each for the others
        Set<String> newTraces = new HashSet<>();
        for (BenchmarkItem item : List.of(traced, plain, invalid)) {
            awaitRecords(Topics.JUDGMENTS.name(), item.key(), models.size());
            List<String> traceparents = new ArrayList<>();
            for (String topic : List.of(Topics.PROMPTS.name(), Topics.RESPONSES.name(), Topics.JUDGMENTS.name())) {
                List<ConsumerRecord<String, byte[]>> records = records(topic, item.key());
                assertThat(records).as(topic + " of " + item.key()).hasSize(models.size());
                records.forEach(r -> traceparents.add(TestClient.header(r, "traceparent")));
            }
            assertThat(traceparents).allMatch(t -> t != null && t.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
            Set<String> traceIds = new HashSet<>();
            Set<String> spanIds = new HashSet<>();
            traceparents.forEach(t -> {
                traceIds.add(t.substring(3, 35));
                spanIds.add(t.substring(36, 52));
            });
            System.out.printf(
                    "%s: %d records in trace(s) %s, %d distinct parent span ids%n",
                    item.itemId(), traceparents.size(), traceIds, spanIds.size());
            assertThat(traceIds).as("the trace ids of " + item.key()).hasSize(1);
            // One span at the prompt generator, then one per prompt at the invoker and one per response at the judge
            assertThat(spanIds).doesNotContain(PARENT_ID).hasSize(1 + 2 * models.size());
            if (item == traced) {
                assertThat(traceIds).containsExactly(TRACE_ID);
            } else {
                assertThat(traceIds).doesNotContain(TRACE_ID);
                newTraces.addAll(traceIds);
            }
        }
        assertThat(newTraces).as("one new trace per item").hasSize(2);
        assertThat(records(Topics.DEAD_LETTERS.name(), invalid.key())).isEmpty();

        // And the item page's verdicts name the trace of the answer they judged
        String url = services.url(Component.AGGREGATOR) + "/api/benchmarks/" + BENCHMARK + "/items/" + traced.itemId();
        List<String> shown = awaitTraceIds(url, models.size());
        System.out.printf("item page of %s: trace ids %s%n", traced.itemId(), shown);
        assertThat(shown).hasSize(models.size()).containsOnly(TRACE_ID);
    }

    /** The trace ids of the item's verdicts once {@code count} of them carry one. */
    private static List<String> awaitTraceIds(String url, int count) throws Exception {
        HttpClient http = ServiceHttp.client();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<String> ids = List.of();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response =
                    http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                ids = new ArrayList<>();
                for (JsonNode verdict : Json.mapper().readTree(response.body())) {
                    if (verdict.hasNonNull("traceId")) {
                        ids.add(verdict.get("traceId").asText());
                    }
                }
                if (ids.size() >= count) {
                    return ids;
                }
            }
            Thread.sleep(200);
        }
        return ids;
    }

    private static List<ConsumerRecord<String, byte[]>> records(String topic, String key) {
        return kafka.readAllRaw(topic).stream().filter(r -> key.equals(r.key())).toList();
    }

    private static void awaitRecords(String topic, String key, int count) {
        kafka.awaitRaw(topic, r -> key.equals(r.key()), count, PATIENCE);
    }
}
