package io.assay.invoker.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private static final String PLANTED = "sk-planted-0123456789abcdef";

    /** Hostile texts, each with a secret in it that must not survive. */
    private static final String[][] HOSTILE = {
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
        {"X-API-KEY: QWERTY123456789", "QWERTY1234"},
        // keys reaching far past their trigger, or starting before it: each shape is tried only from the
        // start of a word holding its trigger to the trigger, so these cross every edge such a region has
        {"password :\n\t 'correct-horse-battery-staple'", "battery-staple"},
        {"client_secret\t=\r\n\"s3cr3t-v4lue-0123\"", "v4lue"},
        {"Authorization: Bearer " + "aB3+".repeat(500) + "tail0123456789", "tail0123456789"},
        {"sk-" + "x".repeat(3000) + "tail0123456789 done", "tail0123456789"},
        {"x".repeat(2000) + "/token=tail0123456789", "tail0123456789"},
        {"Bearer keyTOKENsecret0123 token: abcdefghijk", "abcdefghijk"},
        {"Bearer keyTOKENsecret0123 token: abcdefghijk", "keyTOKENsecret0123"},
        // a scheme's name before a key's name: the name is not the credential, the value is masked
        {"bearer client_secret = \"s3cr3t-v4lue-0123\"", "v4lue-0123"},
        {"Basic api_key: AbCdEf0123456789", "AbCdEf0123"},
        // a credential followed by a colon is still one
        {"send Bearer abc123def456XYZ: it works", "abc123def456"}
    };

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
        for (String[] c : HOSTILE) {
            String redacted = Redactor.SHAPES.redact(c[0]);
            assertThat(redacted).as(c[0]).contains(Redactor.MASK).doesNotContain(c[1]);
        }
    }

    @Test
    void keysAmongWordsThatHoldTriggersAreMaskedAndTheWordsKept() {
        // Given ordinary words, many holding a shape's trigger, and whitespace of every kind between them
        String[] words = {
            "the",
            "token",
            "tokens",
            "Token",
            "key",
            "KEY",
            "keys",
            "basic",
            "bearer",
            "digest",
            "secret",
            "passwords",
            "authority",
            "through",
            "might",
            "high",
            "sk",
            "hf",
            "eyes",
            "https",
            "a",
            "of"
        };
        String[] spaces = {" ", "  ", "\n", "\t ", " \r\n", "\f"};
        Random random = new Random(15);
        for (int run = 0; run < 2_000; run++) {
            StringBuilder text = new StringBuilder();
            StringBuilder plain = new StringBuilder();
            List<String> secrets = new ArrayList<>();
            for (int piece = random.nextInt(12); piece >= 0; piece--) {
                String space = spaces[random.nextInt(spaces.length)];
                if (random.nextInt(4) == 0) {
                    String[] c = HOSTILE[random.nextInt(HOSTILE.length)];
                    text.append(c[0]).append(space);
                    secrets.add(c[1]);
                } else {
                    String word = words[random.nextInt(words.length)];
                    text.append(word).append(space);
                    plain.append(word).append(space);
                }
            }

            // When redacted
            String redacted = Redactor.SHAPES.redact(text.toString());

            // Then no planted secret survives, and the words alone pass unchanged
            for (String secret : secrets) {
                assertThat(redacted).as(text.toString()).doesNotContain(secret);
            }
            assertThat(Redactor.SHAPES.redact(plain.toString())).isEqualTo(plain.toString());
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
