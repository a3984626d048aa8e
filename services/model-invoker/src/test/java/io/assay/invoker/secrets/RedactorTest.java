package io.assay.invoker.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private static final String PLANTED = "sk-planted-0123456789abcdef";

    @Test
    void theValueOfAKnownCredentialIsMaskedWhateverItsShape() {
        Redactor redactor = new Redactor(() -> List.of("hunter2-not-key-shaped", "short"));

        assertThat(redactor.redact("echo: hunter2-not-key-shaped!")).isEqualTo("echo: [REDACTED]!");
        // a value shorter than six characters is not masked by value (it would eat ordinary words)
        assertThat(redactor.redact("a short answer")).isEqualTo("a short answer");
        assertThat(redactor.redact("{\"k\":\"xyz-987-abc\"}", "xyz-987-abc")).isEqualTo("{\"k\":\"[REDACTED]\"}");
    }

    @Test
    void hostileEchoesOfKeysAreMaskedByShape() {
        Redactor redactor = Redactor.SHAPES;
        // each hostile text, and the secret in it that must not survive
        String[][] hostile = {
            {"{\"error\":{\"message\":\"Incorrect API key provided: Bearer " + PLANTED + "\"}}", PLANTED},
            {
                "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "eyJzdWIi"
            },
            {"you sent authorization=Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA"},
            {"headers: {\"api-key\": \"3f2a9c1b7e6d5a4f3e2d1c0b9a8f7e6d\"}", "3f2a9c1b7e6d"},
            {"x-api-key:AbCdEf0123456789AbCdEf", "AbCdEf0123"},
            {"see https://admin:s3cr3t-pass@db.internal/v1", "s3cr3t"},
            {"api_key=AIzaSyA-1234567890abcdefghijklmnopqrstu&x=1", "AIzaSy"},
            {"token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abc"},
            {"key AKIAIOSFODNN7EXAMPLE leaked", "AKIAIOSF"},
            {"password: 'correct-horse-battery'", "correct-horse"},
            {"sk-ant-api03-abcdefghijklmnop and sk-proj-ABCDEFGHIJKL0123", "api03"},
            {"sk-ant-api03-abcdefghijklmnop and sk-proj-ABCDEFGHIJKL0123", "ABCDEFGHIJKL0123"},
            // upper case: each shape is looked for only where its lower-cased trigger occurs
            {"BEARER ABCDEF0123456789", "ABCDEF0123"},
            {"Authorization: Token abcdefghijKLMNOP", "abcdefghij"},
            {"Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l", "YWxhZGRpbjpv"},
            {"PASSWORD=Correct-Horse-Battery", "Correct-Horse"},
            {"HTTPS://ADMIN:S3CR3T-PASS@DB.INTERNAL/", "S3CR3T"},
            {"X-API-KEY: QWERTY123456789", "QWERTY1234"}
        };
        for (String[] c : hostile) {
            String redacted = Redactor.SHAPES.redact(c[0]);
            assertThat(redacted).as(c[0]).contains(Redactor.MASK).doesNotContain(c[1]);
        }
    }

    @Test
    void ordinaryAnswersAndErrorsPassUnchanged() {
        String[] plain = {
            "The capital of France is Paris. Answer: B",
            "HTTP 404 from 127.0.0.1:8000: {\"error\":\"model not found\"}",
            "max_tokens=1024, temperature=0.7; tokens: 812",
            "a task-oriented answer with a skeleton of sketches",
            "https://api.openai.com/v1/chat/completions",
            "no recorded answer for model gpt-old, benchmark wb, item q-17",
            // words after an authorization scheme's name are not credentials
            "Here's a basic implementation of quicksort. Basic Understanding",
            "Each token counts toward the limit; a token budget applies.",
            "Use a digest algorithm like SHA-256, bearer instruments",
            "The key insight: though high, it might work."
        };
        for (String text : plain) {
            assertThat(Redactor.SHAPES.redact(text)).isEqualTo(text);
        }
        assertThat(Redactor.SHAPES.redact(null)).isNull();
    }
}
