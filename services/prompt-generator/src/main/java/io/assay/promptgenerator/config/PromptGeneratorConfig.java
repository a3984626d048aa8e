package io.assay.promptgenerator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the prompt generator. */
@ConfigMapping(prefix = "assay.prompt-generator")
public interface PromptGeneratorConfig {

    /** How often each task compares registered models and variants with those it has applied, and back-fills. */
    @WithDefault("250ms")
    Duration reconcileInterval();
}
