package io.assay.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelSpecPolicyTest {

    private static ModelSpec openai(String baseUrl, String credentialEnv) {
        return new ModelSpec(
                "m",
                null,
                Provider.OPENAI,
                baseUrl,
                "p",
                credentialEnv,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void onlyCredentialsWithThePrefixMayBeNamed() {
        ModelSpecPolicy policy = ModelSpecPolicy.DEFAULT;

        assertThat(policy.refusal(openai("https://api.openai.com/v1", "ASSAY_KEY_OPENAI")))
                .isEmpty();
        assertThat(policy.refusal(openai("http://127.0.0.1:11434/v1", null))).isEmpty();
        for (String hostile : new String[] {
            "KAFKA_BOOTSTRAP_SERVERS",
            "KAFKA_SASL_PASSWORD",
            "OPENAI_API_KEY",
            "ASSAY_KEY_",
            "assay_key_x",
            "XASSAY_KEY_OPENAI",
            "PATH",
            ""
        }) {
            assertThat(policy.refusal(openai("https://api.openai.com/v1", hostile)))
                    .as(hostile)
                    .hasValueSatisfying(reason -> assertThat(reason)
                            .contains("credentialEnv " + hostile)
                            .contains("must start with ASSAY_KEY_")
                            .contains("assay.invoker.credential-prefix"));
        }
    }

    @Test
    void anAllowListAdmitsOnlyItsHostsAndNoneMeansAny() {
        ModelSpecPolicy policy = new ModelSpecPolicy("ASSAY_KEY_", Set.of(" API.OpenAI.com", "127.0.0.1"));

        assertThat(policy.refusal(openai("https://api.openai.com/v1", null))).isEmpty();
        assertThat(policy.refusal(openai("http://127.0.0.1:8000/v1", null))).isEmpty();
        for (String hostile : new String[] {
            "https://echo.example.org/v1",
            "https://api.openai.com.evil.org/v1",
            "https://api.openai.com@evil.org/v1",
            "http://[::1]:8000/v1",
            "http://api.openai.com\\@evil.org/v1"
        }) {
            assertThat(policy.refusal(openai(hostile, null)))
                    .as(hostile)
                    .hasValueSatisfying(
                            reason -> assertThat(reason).containsAnyOf("allowed provider host", "user info"));
        }
        assertThat(ModelSpecPolicy.DEFAULT.refusal(openai("https://echo.example.org/v1", null)))
                .isEmpty();
    }

    @Test
    void aBaseUrlCarryingAPasswordIsRefusedEvenWithoutAnAllowList() {
        assertThat(ModelSpecPolicy.DEFAULT.refusal(openai("https://user:sk-secret@api.example.org/v1", null)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("user info"));
    }

    @Test
    void theCliReadsTheSameSettingsFromTheEnvironmentAndABlankPrefixIsRefused() {
        Map<String, String> env = Map.of(
                ModelSpecPolicy.PREFIX_VARIABLE, "LLM_KEY_", ModelSpecPolicy.HOSTS_VARIABLE, "a.example,b.example");

        ModelSpecPolicy policy = ModelSpecPolicy.fromEnvironment(env::get);

        assertThat(policy).isEqualTo(new ModelSpecPolicy("LLM_KEY_", Set.of("a.example", "b.example")));
        assertThat(ModelSpecPolicy.fromEnvironment(name -> null)).isEqualTo(ModelSpecPolicy.DEFAULT);
        assertThatThrownBy(() -> new ModelSpecPolicy(" ", Set.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
