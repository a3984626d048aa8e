package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    private static ModelSpec model(SamplingParams params) {
        return new ModelSpec(
                "m", null, Provider.OPENAI, null, null, null, params, null, null, null, null, null, null, null);
    }

    @Test
    void eachRequestedParamWinsAndTheModelsDefaultsFillTheRest() {
        // Given a model with defaults for temperature, max tokens and stop
        ModelSpec model = model(new SamplingParams(0.7, null, 256, null, List.of("END"), null, null));

        // When a call asks for temperature 0 and a seed
        SamplingParams params = model.paramsFor(new SamplingParams(0.0, null, null, 7L, null, true, null));

        // Then the requested fields win, the model's fill the gaps, and the rest stay absent
        assertThat(params).isEqualTo(new SamplingParams(0.0, null, 256, 7L, List.of("END"), true, null));
    }

    @Test
    void withoutRequestedParamsTheModelsDefaultsApplyAndWithoutEitherTheProvidersDo() {
        SamplingParams defaults = new SamplingParams(0.2, 0.9, 64, 1L, List.of("x"), false, 3);

        assertThat(model(defaults).paramsFor(null)).isEqualTo(defaults);
        assertThat(model(null).paramsFor(null)).isEqualTo(SamplingParams.DEFAULTS);
        assertThat(model(null).paramsFor(SamplingParams.DEFAULTS)).isEqualTo(SamplingParams.DEFAULTS);
    }
}
