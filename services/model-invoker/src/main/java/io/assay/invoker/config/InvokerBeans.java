package io.assay.invoker.config;

import io.assay.contracts.ModelSpecPolicy;
import io.assay.contracts.Provider;
import io.assay.invoker.cache.AnswerIndex;
import io.assay.invoker.cache.AnswerStore;
import io.assay.invoker.limits.Limiters;
import io.assay.invoker.limits.Ticker;
import io.assay.invoker.messaging.AnswerLogFetcher;
import io.assay.invoker.messaging.AnswerLogWriter;
import io.assay.invoker.messaging.InvokerMetrics;
import io.assay.invoker.providers.OpenAiProvider;
import io.assay.invoker.providers.ReplayProvider;
import io.assay.invoker.providers.SimProvider;
import io.assay.invoker.providers.Sleeper;
import io.assay.invoker.secrets.Credentials;
import io.assay.invoker.secrets.Redactor;
import io.assay.invoker.service.Invoker;
import io.assay.invoker.service.RetryPolicy;
import io.assay.kit.config.ConfigRegistry;
import io.assay.kit.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/** Wires the plain-Java domain objects into CDI. */
@ApplicationScoped
public class InvokerBeans {

    /** Which credentials and hosts a model spec may name ({@code assay.invoker.credential-prefix}, {@code allowed-hosts}). */
    @Produces
    @Singleton
    ModelSpecPolicy policy(InvokerConfig config) {
        return new ModelSpecPolicy(
                config.credentialPrefix(), config.allowedHosts().orElse(Set.of()));
    }

    /**
     * The registry refuses specs outside the policy, and the config validator dead-letters them with the
     * policy's reason (the same words {@code assay models add} prints).
     */
    @Produces
    @Singleton
    ConfigRegistry.ModelCheck modelCheck(ModelSpecPolicy policy) {
        return policy::refusal;
    }

    /** The credentials exposed to models: {@code ASSAY_KEY_*} variables and files in {@code assay.invoker.secrets-dir}. */
    @Produces
    @Singleton
    Credentials credentials(ModelSpecPolicy policy, InvokerConfig config) {
        return new Credentials(policy, config.secretsDir().map(Path::of).orElse(null), System.getenv());
    }

    /** Masks every exposed credential's value and anything shaped like a key. */
    @Produces
    @Singleton
    Redactor redactor(Credentials credentials) {
        return new Redactor(credentials::known);
    }

    /**
     * The answers already paid for, written through to {@code assay.answers}, indexed on disk in
     * {@code assay.invoker.answer-index-dir}; at most {@code assay.invoker.cache.max-entries} of the
     * content cache's answers in heap, the others read back from the topic.
     */
    @Produces
    @ApplicationScoped
    AnswerStore answers(AnswerLogWriter log, AnswerLogFetcher fetcher, InvokerConfig config, InvokerMetrics metrics) {
        AnswerStore store = new AnswerStore(
                log, fetcher, AnswerIndex.open(Path.of(config.answerIndexDir())), config.cacheMaxEntries());
        metrics.watch(store.contentCache());
        return store;
    }

    void close(@Disposes AnswerStore store) {
        store.close();
    }

    /** Reads evicted answers back from {@code assay.answers}. */
    @Produces
    @Singleton
    AnswerLogFetcher fetcher(KafkaClients clients) {
        return new AnswerLogFetcher(clients);
    }

    void close(@Disposes AnswerLogFetcher fetcher) {
        fetcher.close();
    }

    /** Per-model limits and per-endpoint circuit breakers; metrics watch both. */
    @Produces
    @ApplicationScoped
    Limiters limiters(InvokerConfig config, InvokerMetrics metrics) {
        Limiters limiters = new Limiters(
                config.defaultMaxConcurrency(),
                config.quotaWindow(),
                config.quotaMargin(),
                config.breakerFailures(),
                config.breakerOpenDuration(),
                Ticker.SYSTEM,
                Sleeper.THREAD,
                metrics);
        metrics.watch(limiters);
        return limiters;
    }

    /** The invoker with the {@code sim}, {@code openai} and {@code replay} providers. */
    @Produces
    @ApplicationScoped
    Invoker invoker(
            ConfigRegistry registry,
            InvokerConfig config,
            Limiters limiters,
            AnswerStore answers,
            InvokerMetrics metrics,
            Credentials credentials,
            Redactor redactor) {
        OpenAiProvider openai = new OpenAiProvider(
                OpenAiProvider.client(config.connectTimeout()), config.requestTimeout(), credentials::value, redactor);
        return new Invoker(
                registry::awaitModel,
                Map.of(
                        Provider.SIM,
                        new SimProvider(Sleeper.THREAD),
                        Provider.OPENAI,
                        openai,
                        Provider.REPLAY,
                        new ReplayProvider(config.replayDir().map(Path::of).orElse(null))),
                new RetryPolicy(
                        config.maxAttempts(), config.baseBackoff(), config.maxBackoff(), config.maxRateLimited()),
                config.unknownModelWait(),
                Sleeper.THREAD,
                Clock.systemUTC(),
                limiters,
                answers,
                config.cacheEnabled(),
                metrics,
                redactor);
    }
}
