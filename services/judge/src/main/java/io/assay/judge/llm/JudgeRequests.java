package io.assay.judge.llm;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Content;
import io.assay.contracts.ContentPart;
import io.assay.contracts.Ids;
import io.assay.contracts.JudgeSpec;
import io.assay.contracts.Message;
import io.assay.contracts.ModelResponse;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.Purpose;
import io.assay.contracts.SimHints;
import io.assay.judge.prompts.JudgePrompt;
import io.assay.judge.prompts.JudgePrompts;
import io.assay.judge.prompts.PromptRendering;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a judge model is asked: the first request of a verdict slot (the item's question and checklist,
 * the answers in their presentation order, simulation hints for a {@code sim} judge), and the repair
 * request that continues the conversation after an unparseable reply.
 */
final class JudgeRequests {
    /** The quality a {@code sim} judge is told when a simulated answer carries none. */
    static final double UNKNOWN_QUALITY = 0.5;

    private final JudgePrompts prompts;
    private final Clock clock;

    JudgeRequests(JudgePrompts prompts, Clock clock) {
        this.prompts = prompts;
        this.clock = clock;
    }

    /** The first request of a slot: {@code shown} are the answers in the order the judge sees them. */
    PromptRequest request(
            String requestId,
            BenchmarkItem item,
            JudgeSpec judge,
            JudgePrompt template,
            String member,
            List<ModelResponse> shown,
            ModelResponse subject,
            boolean simulated) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("question", question(item));
        data.put("checklist", checklist(item));
        if (shown.size() == 1) {
            data.put("answer", outputOf(shown.get(0)));
        } else {
            data.put("answer_a", outputOf(shown.get(0)));
            data.put("answer_b", outputOf(shown.get(1)));
        }
        SimHints hints = null;
        if (simulated) {
            List<Double> qualities = shown.stream()
                    .map(r -> r.simQuality() == null ? UNKNOWN_QUALITY : r.simQuality())
                    .toList();
            List<Integer> chars =
                    shown.stream().map(r -> Ballot.Answer.of(r).chars()).toList();
            hints = new SimHints(0.0, "", AnswerFormat.TEXT, null, qualities, chars);
        }
        return new PromptRequest(
                requestId,
                Purpose.JUDGE,
                item.benchmark(),
                item.itemId(),
                item.revisionOrDefault(),
                member,
                subject.variant(),
                PromptRendering.render(template, data),
                template.params(),
                item.categoryOrDefault(),
                item.publishedAt(),
                null,
                null,
                hints,
                judge.id(),
                shown.stream().map(ModelResponse::requestId).toList(),
                clock.instant());
    }

    /** The id of the repair of the request {@code original} after its {@code attempt}-th reply could not be read. */
    static String repairId(String original, int attempt) {
        return Ids.hash("judge-repair", original, Integer.toString(attempt));
    }

    /** The request after an unparseable reply: the conversation so far and what could not be read. */
    PromptRequest repair(PromptRequest original, ModelResponse response, String problem, int attempt) {
        List<Message> messages = new ArrayList<>(original.messages());
        messages.add(new Message("assistant", Content.of(response.output() == null ? "" : response.output())));
        messages.add(Message.user(PromptRendering.fill(prompts.repair().user(), Map.of("problem", problem))));
        String id = repairId(original.requestId(), attempt);
        return new PromptRequest(
                id,
                Purpose.JUDGE,
                original.benchmark(),
                original.itemId(),
                original.revision(),
                original.modelId(),
                original.variant(),
                messages,
                original.params(),
                original.category(),
                original.publishedAt(),
                original.answerFormat(),
                original.choices(),
                original.simulation(),
                original.judgeId(),
                original.subjectRequestIds(),
                clock.instant());
    }

    private static String outputOf(ModelResponse response) {
        return response.output() == null ? "" : response.output();
    }

    /** The item's input as text: the prompt, or the messages as {@code role: text} lines (images noted). */
    static String question(BenchmarkItem item) {
        List<Message> messages = item.inputMessages();
        if (messages.size() == 1 && "user".equals(messages.get(0).role())) {
            return textOf(messages.get(0));
        }
        return messages.stream().map(m -> m.role() + ": " + textOf(m)).collect(Collectors.joining("\n"));
    }

    private static String textOf(Message m) {
        if (m.content() == null) {
            return "";
        }
        String text = m.content().asText();
        long images = m.content().parts() == null
                ? 0
                : m.content().parts().stream()
                        .filter(p -> !ContentPart.TEXT.equals(p.type()))
                        .count();
        return images == 0 ? text : text + "\n[" + images + " image(s) not shown]";
    }

    private static String checklist(BenchmarkItem item) {
        List<String> points = item.reference() == null ? null : item.reference().checklist();
        if (points == null || points.isEmpty()) {
            return "(no checklist: judge by the query alone)";
        }
        return points.stream().map(p -> "- " + p).collect(Collectors.joining("\n"));
    }
}
