package io.assay.cli.commands;

import io.assay.cli.console.JsonOption;
import io.assay.cli.kafka.Publisher;
import io.assay.cli.kafka.TopicReader;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Topics;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Re-issues requests whose response is a failure and that never got an answer: their prompts are
 * published again, unchanged (same request id), so the model-invoker calls the model once more and
 * the new response supersedes the failure downstream. Answered requests are never re-issued, and
 * the invoker would not pay for them again anyway.
 */
@Command(
        name = "retry-failed",
        mixinStandardHelpOptions = true,
        description = {
            "Re-issue requests whose last response is a failure (after the invoker's retries), "
                    + "e.g. after a provider outage or a missing API key was fixed.",
            "Exit code: 0 (also when nothing failed), 3 some prompts not delivered within --delivery-timeout "
                    + "(each named 'requestId: not delivered: reason')."
        })
public final class RetryFailedCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Mixin
    Delivery delivery;

    @Option(names = "--benchmark", description = "Only this benchmark.")
    String benchmark;

    @Option(names = "--model", description = "Only this model.")
    String model;

    @Option(names = "--kind", description = "Only failures of this kind (e.g. rate_limited, timeout, server_error).")
    String kind;

    @Option(names = "--dry-run", description = "Count, do not publish.")
    boolean dryRun;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // The latest outcome per request: a success anywhere wins over any failure.
        Map<String, String> failedKind = new HashMap<>();
        Map<String, Boolean> answered = new HashMap<>();
        TopicReader.readAll(connection.bootstrap, Topics.RESPONSES.name(), r -> {
            if (r.value() == null) {
                return;
            }
            try {
                ModelResponse response = EventType.MODEL_RESPONSE.parse(r.value(), ModelResponse.class);
                if (!matches(response.benchmark(), response.modelId())) {
                    return;
                }
                if (response.failed()) {
                    failedKind.put(response.requestId(), response.error().kind());
                } else {
                    answered.put(response.requestId(), true);
                }
            } catch (InvalidEventException e) {
                // Not ours to judge here; the consumers dead-letter it.
            }
        });
        answered.keySet().forEach(failedKind::remove);
        if (kind != null) {
            failedKind.values().removeIf(k -> !k.equals(kind));
        }
        Map<String, PromptRequest> prompts = new LinkedHashMap<>();
        if (!failedKind.isEmpty()) {
            TopicReader.readAll(connection.bootstrap, Topics.PROMPTS.name(), r -> {
                if (r.value() == null) {
                    return;
                }
                try {
                    PromptRequest p = EventType.PROMPT_REQUEST.parse(r.value(), PromptRequest.class);
                    if (failedKind.containsKey(p.requestId())) {
                        prompts.put(p.requestId(), p);
                    }
                } catch (InvalidEventException e) {
                    // Skipped, as the invoker skips it.
                }
            });
        }
        Map<String, Integer> byKind = new TreeMap<>();
        prompts.keySet().forEach(id -> byKind.merge(failedKind.get(id), 1, Integer::sum));
        List<Publisher.Undelivered> undelivered = List.of();
        if (!dryRun && !prompts.isEmpty()) {
            try (Publisher publisher = new Publisher(connection.bootstrap, delivery.timeout())) {
                prompts.values().forEach(p -> publisher.send(Topics.PROMPTS, p.key(), p, p.requestId()));
                undelivered = publisher.awaitDelivery();
            }
        }
        undelivered.forEach(spec.commandLine().getErr()::println);
        int lost = failedKind.size() - prompts.size();
        int code = undelivered.isEmpty() ? 0 : 3;
        if (json.json()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("dryRun", dryRun);
            summary.put(dryRun ? "wouldReissue" : "reissued", prompts.size());
            summary.put("byKind", byKind);
            summary.put("withoutPrompt", lost);
            summary.put("notDelivered", undelivered.size());
            summary.put("exitCode", code);
            out.println(Json.write(summary));
            return code;
        }
        out.println((dryRun ? "Would re-issue " : "Re-issued ") + prompts.size() + " failed request(s)"
                + (byKind.isEmpty() ? "." : " " + byKind + "."));
        if (lost > 0) {
            out.println(lost + " failed request(s) have no prompt left on " + Topics.PROMPTS.name()
                    + " (retention); re-publish their items to re-create them.");
        }
        if (!undelivered.isEmpty()) {
            out.println(undelivered.size() + " of them not delivered within "
                    + delivery.timeout().toSeconds() + " s (named above); run retry-failed again.");
        }
        return code;
    }

    private boolean matches(String b, String m) {
        return (benchmark == null || benchmark.equals(b)) && (model == null || model.equals(m));
    }
}
