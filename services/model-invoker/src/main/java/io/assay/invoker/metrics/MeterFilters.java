package io.assay.invoker.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Histogram buckets for Assay's own timers (latency, freshness), so quantiles can be computed in
 * Prometheus across replicas. The {@code service} label is added at scrape time (deploy/prometheus,
 * the chart's ServiceMonitor), not here: a Micrometer common tag would change every series' label
 * set, which tests and queries that match exact series rely on.
 */
@Singleton
public class MeterFilters {
    /** Histogram buckets for every {@code assay.*} timer (latency, freshness). */
    @Produces
    @Singleton
    public MeterFilter timerHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("assay.")) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
                return config;
            }
        };
    }
}
