package io.assay.invoker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.SamplingParams;
import io.assay.contracts.Variant;
import io.assay.invoker.cache.AnswerStore;
import io.assay.invoker.limits.Limiters;
import io.assay.invoker.limits.RequestQuota;
import io.assay.invoker.limits.Ticker;
import io.assay.invoker.providers.FakeOpenAi;
import io.assay.invoker.providers.FakeOpenAi.Call;
import io.assay.invoker.providers.FakeOpenAi.Reply;
import io.assay.invoker.providers.OpenAiProvider;
import io.assay.invoker.providers.Sleeper;
import io.assay.invoker.secrets.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The invoker in real time against a real HTTP endpoint that accepts at most 20 requests in any
 * sliding second and refuses the rest at once with 429 and {@code Retry-After: 1}: the quota is
 * found (from the headers, or from a 429) and every prompt is answered.
 *
 * <p>Only what holds however late threads run is asserted: how many calls the endpoint refuses
 * depends on when they reach it, which a loaded machine decides (a call whose thread wakes late
 * arrives next to later ones). The figures of pacing (refused share, quota used) are asserted on a
 * fake clock with simulated lateness ({@code LimitsTest}, {@code QuotaSimulation}) and measured by
 * {@code assay bench invoker}.
 */
class QuotaPacingTest {
    private static final int QUOTA = 20;
    private static final int REQUESTS = 60;

    private final TestModels registry = new TestModels();
    private FakeOpenAi server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAi();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withoutHeadersTheFirst429TeachesTheQuota() throws Exception {
        // Given the sliding-window endpoint sending no rate-limit headers
        SlidingWindowEndpoint endpoint = new SlidingWindowEndpoint(false);

        // When 60 prompts are invoked from 16 threads, at most 8 calls at once
        RequestQuota quota = run(endpoint);

        // Then every prompt was answered (run), and every 429 reached the quota: refused calls taught it
        // (source, decreases), and a quota is learned only from a 429
        System.out.printf("without headers: %d refused, quota %.0f%n", endpoint.refused(), quota.quota());
        if (endpoint.refused() > 0) {
            assertThat(quota.source()).isEqualTo(RequestQuota.Source.LEARNED);
            assertThat(quota.decreases()).isBetween(1L, (long) endpoint.refused());
            assertThat(quota.paced()).isCloseTo(0.98 * quota.quota(), Offset.offset(1e-9));
        } else {
            assertThat(quota.source()).isEqualTo(RequestQuota.Source.NONE);
        }
    }

    @Test
    void withHeadersTheBudgetIsSpreadOverTheWindow() throws Exception {
        // Given the sliding-window endpoint sending limit, remaining and reset
        SlidingWindowEndpoint endpoint = new SlidingWindowEndpoint(true);

        // When 60 prompts are invoked from 16 threads, at most 8 calls at once
        RequestQuota quota = run(endpoint);

        // Then every prompt was answered (run), the quota comes from the headers, never above their 20
        // (others' use, as the replies count it, only takes from it), paced at 0.98 of it per 1 s
        System.out.printf("with headers: %d refused, quota %.0f%n", endpoint.refused(), quota.quota());
        assertThat(quota.source()).isEqualTo(RequestQuota.Source.HEADERS);
        assertThat(quota.quota()).isBetween(1.0, (double) QUOTA);
        assertThat(quota.paced()).isCloseTo(0.98 * quota.quota(), Offset.offset(1e-9));
    }

    /** Invokes the prompts; every one is answered. Returns the model's quota as the invoker knows it. */
    private RequestQuota run(SlidingWindowEndpoint endpoint) throws Exception {
        Limiters limiters = new Limiters(
                16,
                Duration.ofSeconds(1),
                0.02,
                5,
                Duration.ofSeconds(10),
                Ticker.SYSTEM,
                Sleeper.THREAD,
                Limiters.Listener.NONE);
        ModelSpec m = model("m");
        registry.put(m);
        registry.put(model("warm-up"));
        OpenAiProvider openai =
                new OpenAiProvider(OpenAiProvider.client(Duration.ofSeconds(2)), Duration.ofSeconds(5), name -> null);
        Invoker invoker = new Invoker(
                registry,
                Map.of(Provider.OPENAI, openai),
                new RetryPolicy(5, Duration.ofMillis(50), Duration.ofSeconds(5), 20),
                Duration.ofMillis(50),
                Sleeper.THREAD,
                Clock.systemUTC(),
                limiters,
                AnswerStore.inMemory(),
                false,
                Invoker.Events.NONE,
                Redactor.SHAPES);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            // Warmed up through another model first, 8 calls at once: a cold HTTP client delivers its first
            // calls tens of milliseconds late, which is the JVM starting, not the pacing under test.
            List<Future<ModelResponse>> warmUp = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                PromptRequest r = request("warm-up", "w" + i);
                warmUp.add(pool.submit(() -> invoker.invoke(r)));
            }
            for (Future<ModelResponse> f : warmUp) {
                f.get();
            }
            server.script(endpoint);
            List<Future<ModelResponse>> futures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                PromptRequest r = request("m", "i" + i);
                futures.add(pool.submit(() -> invoker.invoke(r)));
            }
            for (Future<ModelResponse> f : futures) {
                assertThat(f.get().failed()).isFalse();
            }
        } finally {
            pool.shutdown();
        }
        return limiters.forModel(m).requests();
    }

    private ModelSpec model(String id) {
        return new ModelSpec(
                id,
                null,
                Provider.OPENAI,
                server.baseUrl(),
                "fake-model",
                null,
                new SamplingParams(0.7, null, 16, null, null, null, null),
                null,
                null,
                null,
                new ModelSpec.Limits(8, null, null),
                null,
                null,
                null);
    }

    private static PromptRequest request(String modelId, String itemId) {
        Variant variant = new Variant("plain", "1", 0, null);
        SamplingParams params = new SamplingParams(0.7, null, null, null, null, null, null);
        return new PromptRequest(
                Ids.requestId("b", itemId, 1, modelId, variant, params),
                Purpose.EVALUATE,
                "b",
                itemId,
                1,
                modelId,
                variant,
                List.of(Message.user("question " + itemId)),
                params,
                "cat",
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** At most {@value #QUOTA} accepted in any second, 50 ms latency; the rest refused at once. */
    private static final class SlidingWindowEndpoint implements Function<Call, Reply> {
        private static final long SECOND = 1_000_000_000L;
        private final boolean headers;
        private final ArrayDeque<Long> accepted = new ArrayDeque<>();
        private int refused;

        SlidingWindowEndpoint(boolean headers) {
            this.headers = headers;
        }

        synchronized int refused() {
            return refused;
        }

        @Override
        public synchronized Reply apply(Call call) {
            long now = call.arrivedNanos();
            while (!accepted.isEmpty() && accepted.peekFirst() <= now - SECOND) {
                accepted.pollFirst();
            }
            if (accepted.size() >= QUOTA) {
                refused++;
                Map<String, String> h = headers
                        ? Map.of(
                                "Retry-After",
                                "1",
                                "x-ratelimit-limit-requests",
                                Integer.toString(QUOTA),
                                "x-ratelimit-remaining-requests",
                                "0",
                                "x-ratelimit-reset-requests",
                                ms(accepted.peekLast() + SECOND - now))
                        : Map.of("Retry-After", "1");
                return Reply.status(429, h);
            }
            accepted.addLast(now);
            Map<String, String> h = headers
                    ? Map.of(
                            "x-ratelimit-limit-requests", Integer.toString(QUOTA),
                            "x-ratelimit-remaining-requests", Integer.toString(QUOTA - accepted.size()),
                            "x-ratelimit-reset-requests", "1s")
                    : Map.of();
            return Reply.ok("ok", 50, h);
        }

        private static String ms(long nanos) {
            return Math.max(0, nanos / 1_000_000) + "ms";
        }
    }
}
