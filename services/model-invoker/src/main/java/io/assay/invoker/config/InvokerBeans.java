package io.assay.invoker.config;

import io.assay.contracts.Provider;
import io.assay.invoker.providers.SimProvider;
import io.assay.invoker.providers.Sleeper;
import io.assay.invoker.service.Invoker;
import io.assay.invoker.service.ModelRegistry;
import io.assay.invoker.service.RetryPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.Map;

/** Wires the plain-Java domain objects into CDI. */
@ApplicationScoped
public class InvokerBeans {

    /** The one registry of models, filled by the registry reader. */
    @Produces
    @ApplicationScoped
    ModelRegistry registry() {
        return new ModelRegistry();
    }

    /** The invoker; only the {@code sim} provider exists in this build. */
    @Produces
    @ApplicationScoped
    Invoker invoker(ModelRegistry registry, InvokerConfig config) {
        return new Invoker(registry,
                Map.of(Provider.SIM, new SimProvider(Sleeper.THREAD)),
                new RetryPolicy(config.maxAttempts(), config.baseBackoff(), config.maxBackoff()),
                config.unknownModelWait(),
                Sleeper.THREAD,
                Clock.systemUTC());
    }
}
