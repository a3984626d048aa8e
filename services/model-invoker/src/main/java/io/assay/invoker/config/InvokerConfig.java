package io.assay.invoker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Configuration of the model invoker ({@code assay.invoker.*}). */
@ConfigMapping(prefix = "assay.invoker")
public interface InvokerConfig {

    /** Calls per request, the first included, before a retryable failure is published. */
    @WithDefault("5")
    int maxAttempts();

    /** 429s a request may receive (each waited out) before its {@code rate_limited} failure is published. */
    @WithDefault("20")
    int maxRateLimited();

    /** Backoff after the first failed attempt; doubles with each further attempt, with jitter. */
    @WithDefault("50ms")
    Duration baseBackoff();

    /** Upper bound of any single backoff. */
    @WithDefault("5s")
    Duration maxBackoff();

    /** How long a prompt waits for its model to appear in the registry before it gets {@code unknown_model}. */
    @WithDefault("10s")
    Duration unknownModelWait();

    /** How long one HTTP call to a provider may take, from sending to the whole reply ({@code timeout} after). */
    @WithDefault("120s")
    Duration requestTimeout();

    /** How long connecting to a provider may take. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Calls in flight per model when its spec sets no {@code limits.maxConcurrency}. */
    @WithDefault("16")
    int defaultMaxConcurrency();

    /**
     * The window over which a 429 counts a model's accepted requests, to learn its quota when the
     * provider sends no rate-limit headers (most quotas are per second or per minute).
     */
    @WithName("quota.window")
    @WithDefault("1s")
    Duration quotaWindow();

    /** The share of a provider's quota (from headers or learned) left unused, for jitter on the way. */
    @WithName("quota.margin")
    @WithDefault("0.02")
    double quotaMargin();

    /** Consecutive 5xx, resets or timeouts of an endpoint ({@code host:port}) that open its circuit breaker. */
    @WithName("breaker.failures")
    @WithDefault("5")
    int breakerFailures();

    /** How long an open circuit breaker fails calls fast before it lets a probe through. */
    @WithName("breaker.open-duration")
    @WithDefault("10s")
    Duration breakerOpenDuration();

    /** Whether identical deterministic requests (temperature 0 or a fixed seed) share one paid answer. */
    @WithName("cache.enabled")
    @WithDefault("true")
    boolean cacheEnabled();

    /**
     * Answers of the content cache kept in heap, least recently used evicted first; an evicted answer is
     * read back from {@code assay.answers} at the offset noted for its content key.
     */
    @WithName("cache.max-entries")
    @WithDefault("10000")
    int cacheMaxEntries();

    /**
     * The directory of the answer index (RocksDB), wiped and rebuilt from {@code assay.answers} at every
     * start; one per replica ({@code application.properties} puts it under {@code assay.state-dir}).
     */
    String answerIndexDir();

    /**
     * The prefix of every credential a model spec may name in {@code credentialEnv}; specs naming another
     * are refused (ModelSpecPolicy).
     */
    @WithDefault("ASSAY_KEY_")
    String credentialPrefix();

    /** Hosts a model's {@code baseUrl} may name (comma-separated); absent means any host. */
    Optional<Set<String>> allowedHosts();

    /** A directory of credential files named like the credential (a mounted Secret); absent means none. */
    Optional<String> secretsDir();

    /** The only directory {@code replay} models may read recorded answers from; absent means none. */
    Optional<String> replayDir();
}
