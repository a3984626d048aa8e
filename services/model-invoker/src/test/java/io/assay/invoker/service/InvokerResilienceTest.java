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
import io.assay.invoker.limits.FakeTicker;
import io.assay.invoker.limits.Limiters;
import io.assay.invoker.providers.ErrorKinds;
import io.assay.invoker.providers.FakeOpenAi;
import io.assay.invoker.providers.FakeOpenAi.Reply;
import io.assay.invoker.providers.OpenAiProvider;
import io.assay.invoker.providers.Sleeper;
import io.assay.invoker.secrets.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invoker against a real local HTTP server speaking the Chat Completions protocol. */
class InvokerResilienceTest {
    /**
     * How long an attempt may take before it is a timeout, in real time: long enough that a local
     * answer on a loaded machine is never read as one (only the test of timeouts sets a short one).
     */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

    private final TestModels registry = new TestModels();
    private final FakeTicker clock = new FakeTicker();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final List<String> retriedKinds = new ArrayList<>();
    private FakeOpenAi server;
    private Limiters limiters;
    private AnswerStore answers;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAi();
        limiters = new Limiters(
                16, Duration.ofSeconds(1), 0.02, 5, Duration.ofSeconds(10), clock, clock, Limiters.Listener.NONE);
        answers = AnswerStore.inMemory();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** An invoker whose waits go to {@code sleeper}; HTTP timeouts are real: {@code attemptTimeout}. */
    private Invoker invoker(Sleeper sleeper, Limiters limits, Duration attemptTimeout) {
        OpenAiProvider openai =
                new OpenAiProvider(OpenAiProvider.client(Duration.ofSeconds(2)), attemptTimeout, name -> null);
        return new Invoker(
                registry,
                Map.of(Provider.OPENAI, openai),
                new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5)),
                Duration.ofMillis(50),
                sleeper,
                Clock.systemUTC(),
                limits,
                answers,
                true,
                new Invoker.Events() {
                    @Override
                    public void rateLimited(String modelId) {
                        rateLimited.incrementAndGet();
                    }

                    @Override
                    public synchronized void retrying(String modelId, String kind) {
                        retriedKinds.add(kind);
                    }
                },
                Redactor.SHAPES);
    }

    /** An invoker whose waits go to the fake clock (recorded, not slept). */
    private Invoker invoker() {
        return invoker(clock, limiters, ATTEMPT_TIMEOUT);
    }

    private ModelSpec model(String id, ModelSpec.Limits limits) {
        ModelSpec model = new ModelSpec(
                id,
                null,
                Provider.OPENAI,
                server.baseUrl(),
                "fake-model",
                null,
                new SamplingParams(0.0, null, 64, null, null, null, null),
                null,
                null,
                new ModelSpec.Price(2.0, 8.0),
                limits,
                null,
                null,
                null);
        registry.put(model);
        return model;
    }

    private static PromptRequest request(String modelId, String itemId, String text, Double temperature) {
        Variant variant = new Variant("plain", "1", 0, null);
        SamplingParams params = new SamplingParams(temperature, null, null, null, null, null, null);
        return new PromptRequest(
                Ids.requestId("b", itemId, 1, modelId, variant, params),
                Purpose.EVALUATE,
                "b",
                itemId,
                1,
                modelId,
                variant,
                List.of(Message.user(text)),
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

    @Test
    void retryableFailuresAreRetriedWithGrowingBackoffUntilAnswered() throws Exception {
        // Given an endpoint that fails with 500, a dropped connection and a hang (a minute, against an
        // attempt timeout of 2 s), then answers
        model("m", null);
        server.script(c -> switch (c.number()) {
            case 1 -> Reply.status(500, Map.of());
            case 2 -> Reply.dropped();
            case 3 -> Reply.hang(60_000);
            default -> Reply.ok("Answer: 42");
        });

        // When invoked
        ModelResponse response =
                invoker(clock, limiters, Duration.ofSeconds(2)).invoke(request("m", "i1", "What is 6 x 7?", null));

        // Then it is answered on attempt 4 after backoffs in [50,100], [100,200], [200,400] ms
        assertThat(response.failed()).isFalse();
        assertThat(response.output()).isEqualTo("Answer: 42");
        assertThat(response.attempts()).isEqualTo(4);
        assertThat(server.calls()).hasSize(4);
        assertThat(retriedKinds).containsExactly(ErrorKinds.SERVER_ERROR, ErrorKinds.CONNECTION, ErrorKinds.TIMEOUT);
        List<Duration> slept = clock.slept();
        assertThat(slept).hasSize(3);
        assertThat(slept.get(0).toMillis()).isBetween(50L, 100L);
        assertThat(slept.get(1).toMillis()).isBetween(100L, 200L);
        assertThat(slept.get(2).toMillis()).isBetween(200L, 400L);
        // And usage and cost come from the reply: 11 x $2/M + 7 x $8/M
        assertThat(response.usage().inputTokens()).isEqualTo(11);
        assertThat(response.costUsd())
                .isCloseTo((11 * 2.0 + 7 * 8.0) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aBadRequestIsNotRetriedAndIsPublishedAsATypedFailure() throws Exception {
        model("m", null);
        server.script(c -> Reply.status(400, Map.of()));

        ModelResponse response = invoker().invoke(request("m", "i1", "hi", null));

        assertThat(server.calls()).hasSize(1);
        assertThat(response.failed()).isTrue();
        assertThat(response.error().kind()).isEqualTo(ErrorKinds.BAD_REQUEST);
        assertThat(response.error().retryable()).isFalse();
        assertThat(response.attempts()).isEqualTo(1);
        assertThat(clock.slept()).isEmpty();
    }

    @Test
    void afterTheLastRetryTheFailureIsPublishedWithItsKind() throws Exception {
        // Given an endpoint answering 502 forever, and a breaker that would need more failures
        limiters = new Limiters(
                16, Duration.ofSeconds(1), 0.02, 100, Duration.ofSeconds(10), clock, clock, Limiters.Listener.NONE);
        model("m", null);
        server.script(c -> Reply.status(502, Map.of()));

        // When invoked
        ModelResponse response = invoker().invoke(request("m", "i1", "hi", null));

        // Then 5 calls were made and the failure is typed and retryable (for retry-failed)
        assertThat(server.calls()).hasSize(5);
        assertThat(response.failed()).isTrue();
        assertThat(response.attempts()).isEqualTo(5);
        assertThat(response.error().kind()).isEqualTo(ErrorKinds.SERVER_ERROR);
        assertThat(response.error().retryable()).isTrue();
        assertThat(response.output()).isNull();
    }

    @Test
    void retryAfterIsHonouredAndA429WithoutHeadersSetsTheQuotaToWhatWasAccepted() throws Exception {
        // Given an endpoint that refuses the first call with 429 and Retry-After: 2
        model("m", new ModelSpec.Limits(8, null, null));
        server.script(c -> c.number() == 1 ? Reply.status(429, Map.of("Retry-After", "2")) : Reply.ok("ok"));

        // When invoked
        ModelResponse response = invoker().invoke(request("m", "i1", "hi", null));

        // Then it waited at least 2 s before the second call, which succeeded
        assertThat(response.failed()).isFalse();
        assertThat(response.attempts()).isEqualTo(2);
        assertThat(clock.slept().stream().mapToLong(Duration::toMillis).sum()).isGreaterThanOrEqualTo(2_000L);
        assertThat(clock.slept().get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(rateLimited.get()).isEqualTo(1);
        // And nothing was accepted in the window of the refusal: the quota is the floor of 1 request
        // per second, and that count is the level probed only after 10 windows in use without a 429, so the
        // answer 2 s later leaves it: paced at (1 - 0.02) * 1 = 0.98 requests/s
        assertThat(limiters.pacedRate("m")).isCloseTo(0.98, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theRateLimitHeadersSetThePace() throws Exception {
        // Given an endpoint saying 600 requests per minute (a minute until the budget is full again)
        model("m", null);
        server.script(c -> Reply.ok(
                "ok",
                0,
                Map.of(
                        "x-ratelimit-limit-requests", "600",
                        "x-ratelimit-remaining-requests", "599",
                        "x-ratelimit-reset-requests", "1m0s")));

        // When invoked
        invoker().invoke(request("m", "i1", "hi", null));

        // Then the model is paced at (1 - 0.02) * 600 / 60 s = 9.8 requests/s
        assertThat(limiters.pacedRate("m")).isCloseTo(9.8, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void refusalsForTheRateLimitHaveTheirOwnBudget() throws Exception {
        // Given 5 attempts for failures, 8 for 429s, and an endpoint refusing 6 times, then answering
        model("m", null);
        server.script(c -> c.number() <= 6 ? Reply.status(429, Map.of("retry-after-ms", "10")) : Reply.ok("ok"));
        OpenAiProvider openai =
                new OpenAiProvider(OpenAiProvider.client(Duration.ofSeconds(2)), ATTEMPT_TIMEOUT, name -> null);
        Invoker patient = new Invoker(
                registry,
                Map.of(Provider.OPENAI, openai),
                new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5), 8),
                Duration.ofMillis(50),
                clock,
                Clock.systemUTC(),
                limiters,
                answers,
                true,
                Invoker.Events.NONE,
                Redactor.SHAPES);

        // When invoked, Then it is answered on attempt 7
        ModelResponse response = patient.invoke(request("m", "i1", "hi", null));
        assertThat(response.failed()).isFalse();
        assertThat(response.attempts()).isEqualTo(7);

        // And with the refusals never ending, the failure is rate_limited after 8 refusals
        server.script(c -> Reply.status(429, Map.of("retry-after-ms", "10")));
        ModelResponse refused = patient.invoke(request("m", "i2", "again", null));
        assertThat(refused.error().kind()).isEqualTo(ErrorKinds.RATE_LIMITED);
        assertThat(refused.attempts()).isEqualTo(8);
    }

    @Test
    void theBreakerOpensAfterConsecutiveFailuresFailsFastAndClosesAfterASuccessfulProbe() throws Exception {
        // Given an endpoint that is down (503) and a breaker opening after 3 failures for 10 s
        limiters = new Limiters(
                16, Duration.ofSeconds(1), 0.02, 3, Duration.ofSeconds(10), clock, clock, Limiters.Listener.NONE);
        model("m", null);
        server.script(c -> Reply.status(503, Map.of()));

        // When a request is invoked (5 attempts)
        ModelResponse down = invoker().invoke(request("m", "i1", "hi", null));

        // Then the endpoint saw 3 calls, then the breaker failed the 4th attempt fast (no call) and
        // made it wait the open time; the 5th attempt was the half-open probe, which failed
        assertThat(down.failed()).isTrue();
        assertThat(retriedKinds)
                .containsExactly(
                        ErrorKinds.SERVER_ERROR,
                        ErrorKinds.SERVER_ERROR,
                        ErrorKinds.SERVER_ERROR,
                        ErrorKinds.CIRCUIT_OPEN);
        assertThat(server.calls()).hasSize(4);
        assertThat(clock.slept().get(3)).isGreaterThan(Duration.ofSeconds(9));
        assertThat(limiters.breakerOpen(server.endpoint())).isEqualTo(1);

        // When the endpoint recovers and the open time has passed
        server.script(c -> Reply.ok("back"));
        clock.advance(Duration.ofSeconds(10));
        ModelResponse up = invoker().invoke(request("m", "i2", "hello", null));

        // Then the probe goes through and closes the breaker
        assertThat(up.failed()).isFalse();
        assertThat(up.attempts()).isEqualTo(1);
        assertThat(limiters.breakerOpen(server.endpoint())).isZero();
    }

    @Test
    void aRedeliveredRequestIsNotPaidTwiceAndIdenticalDeterministicRequestsAreServedFromTheCache() throws Exception {
        // Given a model at temperature 0 by default
        model("m", null);
        server.script(c -> Reply.ok("Answer: " + c.lastUserText().length()));
        Invoker invoker = invoker();
        PromptRequest first = request("m", "i1", "Same question?", null);

        // When a request is answered, then delivered again
        ModelResponse answered = invoker.invoke(first);
        Invoker.Result again = invoker.answer(first);

        // Then the second delivery re-emits the same answer without a call
        assertThat(server.calls()).hasSize(1);
        assertThat(again.replayed()).isTrue();
        assertThat(again.response()).isEqualTo(answered);

        // When another item asks exactly the same (same messages and params)
        ModelResponse cached = invoker.invoke(request("m", "i2", "Same question?", null));

        // Then it is served from the cache, flagged, at no cost, without a call
        assertThat(server.calls()).hasSize(1);
        assertThat(cached.cached()).isTrue();
        assertThat(cached.itemId()).isEqualTo("i2");
        assertThat(cached.output()).isEqualTo(answered.output());
        assertThat(cached.costUsd()).isZero();
        assertThat(cached.attempts()).isZero();

        // When a request samples (temperature 0.7, no seed), Then it is not cached
        invoker.invoke(request("m", "i3", "Same question?", 0.7));
        invoker.invoke(request("m", "i4", "Same question?", 0.7));
        assertThat(server.calls()).hasSize(3);
    }

    @Test
    void aFailedRequestIsNotStoredSoReIssuingItCallsAgain() throws Exception {
        model("m", null);
        server.script(c -> c.number() == 1 ? Reply.status(422, Map.of()) : Reply.ok("fine"));
        Invoker invoker = invoker();
        PromptRequest request = request("m", "i1", "hi", null);

        assertThat(invoker.invoke(request).failed()).isTrue();
        ModelResponse retried = invoker.invoke(request);

        assertThat(retried.failed()).isFalse();
        assertThat(server.calls()).hasSize(2);
    }

    @Test
    void concurrencyAndRequestRateAreNeverExceededAtTheEndpoint() throws Exception {
        // Given a model limited to 3 calls at once and 10 requests/s, an endpoint with 60 ms latency,
        // and real time
        Limiters real = new Limiters(
                16,
                Duration.ofSeconds(1),
                0.02,
                3,
                Duration.ofSeconds(10),
                io.assay.invoker.limits.Ticker.SYSTEM,
                Sleeper.THREAD,
                Limiters.Listener.NONE);
        server.script(c -> Reply.ok("ok", 60));
        Invoker invoker = invoker(Sleeper.THREAD, real, ATTEMPT_TIMEOUT);
        int before = server.calls().size();

        // When 25 requests are invoked from 12 threads
        long start = System.nanoTime();
        model("limited", new ModelSpec.Limits(3, 10.0, null));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<ModelResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            PromptRequest r = request("limited", "i" + i, "question " + i, 0.5);
            futures.add(pool.submit(() -> invoker.invoke(r)));
        }
        for (Future<ModelResponse> f : futures) {
            assertThat(f.get().failed()).isFalse();
        }
        pool.shutdown();

        // Then the endpoint never served more than 3 at once (it stops counting a call before its
        // answer leaves, so this holds however late any thread runs)
        List<FakeOpenAi.Call> measured =
                server.calls().subList(before, server.calls().size());
        assertThat(measured).hasSize(25);
        assertThat(server.maxInFlight()).isLessThanOrEqualTo(3);
        // And the k-th arrival (from 0) came at least k x 100 ms after the start: the limiter gives turns
        // 100 ms apart from the first, none before the start, and a call reaches the endpoint at its turn
        // or later. A window that starts at an arrival could hold more than 11 when a thread wakes late
        // (its call arrives next to later ones): that is scheduling, not pacing, and not asserted here.
        List<Long> arrivals =
                measured.stream().map(FakeOpenAi.Call::arrivedNanos).sorted().toList();
        for (int k = 0; k < arrivals.size(); k++) {
            assertThat(arrivals.get(k) - start)
                    .as("arrival %d after the start", k)
                    .isGreaterThanOrEqualTo(k * 100_000_000L);
        }
    }
}
