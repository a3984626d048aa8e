package io.assay.invoker.config;

import io.assay.contracts.Provider;
import io.assay.invoker.cache.AnswerStore;
import io.assay.invoker.limits.Limiters;
import io.assay.invoker.limits.Ticker;
import io.assay.invoker.messaging.AnswerLogWriter;
import io.assay.invoker.messaging.InvokerMetrics;
import io.assay.invoker.providers.OpenAiProvider;
import io.assay.invoker.providers.ReplayProvider;
import io.assay.invoker.providers.SimProvider;
import io.assay.invoker.providers.Sleeper;
import io.assay.invoker.service.Invoker;
import io.assay.invoker.service.RetryPolicy;
import io.assay.kit.config.ConfigRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.Map;

/** Wires the plain-Java domain objects into CDI. */
@ApplicationScoped
public class InvokerBeans {

    /** The answers already paid for, read back from {@code assay.answers} and written through to it. */
    @Produces
    @ApplicationScoped
    AnswerStore answers(AnswerLogWriter log) {
        return new AnswerStore(log);
    }

    /** Per-model limits and per-endpoint circuit breakers; metrics watch both. */
    @Produces
    @ApplicationScoped
    Limiters limiters(InvokerConfig config, InvokerMetrics metrics) {
        Limiters limiters = new Limiters(
                config.defaultMaxConcurrency(),
                config.aimdBackoffRatio(),
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
            InvokerMetrics metrics) {
        OpenAiProvider openai = new OpenAiProvider(
                OpenAiProvider.client(config.connectTimeout()), config.requestTimeout(), System::getenv);
        return new Invoker(
                registry::awaitModel,
                Map.of(
                        Provider.SIM,
                        new SimProvider(Sleeper.THREAD),
                        Provider.OPENAI,
                        openai,
                        Provider.REPLAY,
                        new ReplayProvider()),
                new RetryPolicy(
                        config.maxAttempts(), config.baseBackoff(), config.maxBackoff(), config.maxRateLimited()),
                config.unknownModelWait(),
                Sleeper.THREAD,
                Clock.systemUTC(),
                limiters,
                answers,
                config.cacheEnabled(),
                metrics);
    }
}
