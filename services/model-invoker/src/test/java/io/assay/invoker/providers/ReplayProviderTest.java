package io.assay.invoker.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assay.contracts.FinishReason;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Provider;
import io.assay.contracts.Purpose;
import io.assay.contracts.Usage;
import io.assay.contracts.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayProviderTest {
    private final ReplayProvider replay = new ReplayProvider(Path.of("target"));

    private static PromptRequest request(String modelId, String itemId, String format) {
        Variant variant = new Variant(format, "1", 0, null);
        return new PromptRequest(
                "r-" + itemId + format,
                Purpose.EVALUATE,
                "wb",
                itemId,
                1,
                modelId,
                variant,
                List.of(),
                null,
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
    void servesRecordedAnswersByModelBenchmarkItemAndVariant() throws Exception {
        // Given recorded answers: one for every variant of q1, one only for variant cot@1#0 of q2
        Path file = Files.createDirectories(Path.of("target", "replay-test")).resolve("answers.jsonl");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "{\"modelId\":\"gpt-old\",\"benchmark\":\"wb\",\"itemId\":\"q1\",\"output\":\"Paris\","
                                + "\"usage\":{\"inputTokens\":12,\"outputTokens\":3},\"finishReason\":\"length\"}",
                        "",
                        "{\"modelId\":\"gpt-old\",\"benchmark\":\"wb\",\"itemId\":\"q2\",\"variant\":\"cot@1#0\",\"output\":\"42\"}",
                        "{\"modelId\":\"gpt-old\",\"benchmark\":\"wb\",\"itemId\":\"q3\","
                                + "\"variant\":{\"format\":\"plain\",\"formatVersion\":\"1\",\"sample\":0},\"output\":\"B\"}"));
        ModelSpec model = new ModelSpec(
                "gpt-old",
                null,
                Provider.REPLAY,
                file.toAbsolutePath().toUri().toString(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);

        // Then each request gets its record
        ProviderReply q1 = replay.call(model, request("gpt-old", "q1", "plain"), 1);
        assertThat(q1.output()).isEqualTo("Paris");
        assertThat(q1.usage()).isEqualTo(new Usage(12, 3));
        assertThat(q1.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(replay.call(model, request("gpt-old", "q1", "cot"), 1).output())
                .isEqualTo("Paris");
        assertThat(replay.call(model, request("gpt-old", "q2", "cot"), 1).output())
                .isEqualTo("42");
        assertThat(replay.call(model, request("gpt-old", "q3", "plain"), 1).output())
                .isEqualTo("B");

        // And a missing record is a typed, non-retryable error, never an empty answer
        assertThatThrownBy(() -> replay.call(model, request("gpt-old", "q2", "plain"), 1))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.error().kind()).isEqualTo(ErrorKinds.MISSING_RECORD);
                    assertThat(e.error().retryable()).isFalse();
                    assertThat(e.error().message()).contains("q2").contains("plain@1#0");
                });
        assertThatThrownBy(() -> replay.call(model, request("other-model", "q1", "plain"), 1))
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.error().kind()).isEqualTo(ErrorKinds.MISSING_RECORD));
    }

    @Test
    void aReplayedFileIsNoEndpointAndItsAnswersAreNotCached() {
        ModelSpec model = new ModelSpec(
                "gpt-old",
                null,
                Provider.REPLAY,
                "file:///recorded/answers.jsonl",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);

        // A file cannot be down, so no circuit breaker guards it; its answers depend on the item
        assertThat(replay.endpoint(model)).isEmpty();
        assertThat(replay.cacheable()).isFalse();
    }

    private static ModelSpec replayOf(Path file) {
        return new ModelSpec(
                "gpt-old",
                null,
                Provider.REPLAY,
                file.toUri().toString(),
                null,
                null,
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
    void onlyFilesInsideTheReplayDirectoryAreRead() throws Exception {
        // Given a replay directory with a recording, and a file outside it with a recording too
        Path root =
                Files.createDirectories(Path.of("target", "replay-dir-test")).toAbsolutePath();
        Path dir = Files.createDirectories(root.resolve("recordings"));
        String line = "{\"modelId\":\"gpt-old\",\"benchmark\":\"wb\",\"itemId\":\"q1\",\"output\":\"Paris\"}";
        Files.writeString(dir.resolve("answers.jsonl"), line);
        Path outside = Files.writeString(root.resolve("secret.jsonl"), line);
        Path link = dir.resolve("link.jsonl");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, outside);
        ReplayProvider confined = new ReplayProvider(dir);
        PromptRequest request = request("gpt-old", "q1", "plain");

        // Then the file inside is served
        assertThat(confined.call(replayOf(dir.resolve("answers.jsonl")), request, 1)
                        .output())
                .isEqualTo("Paris");
        // and a path outside, a .. out of it, a symlink out of it, and any file without a directory are refused
        for (ModelSpec hostile : new ModelSpec[] {
            replayOf(outside),
            new ModelSpec(
                    "gpt-old",
                    null,
                    Provider.REPLAY,
                    dir.toUri() + "../secret.jsonl",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null),
            replayOf(Path.of("/etc/passwd")),
            replayOf(link)
        }) {
            assertThatThrownBy(() -> confined.call(hostile, request, 1))
                    .as(hostile.baseUrl())
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.error().kind()).isEqualTo(ErrorKinds.OUTSIDE_REPLAY_DIR);
                        assertThat(e.error().message()).contains("outside assay.invoker.replay-dir");
                        assertThat(e.error().retryable()).isFalse();
                    });
        }
        assertThatThrownBy(() -> new ReplayProvider(null).call(replayOf(dir.resolve("answers.jsonl")), request, 1))
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.error().message()).contains("no assay.invoker.replay-dir is set"));
    }
}
