package io.assay.promptgenerator.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.BenchmarkSpec;
import io.assay.contracts.Content;
import io.assay.contracts.ContentPart;
import io.assay.contracts.Message;
import io.assay.contracts.PromptTemplate;
import io.assay.contracts.Reference;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptRendererTest {
    private final PromptRenderer renderer = new PromptRenderer();

    @Test
    void rendersAPromptItemIntoTheUserTemplate() {
        BenchmarkItem item = item("What is 2+3?", null, null);
        PromptTemplate template = new PromptTemplate("short", "1", null, "Q: {{input}}\nA:");

        List<Message> messages = renderer.render(item, template);

        assertThat(messages).containsExactly(Message.user("Q: What is 2+3?\nA:"));
    }

    @Test
    void formatsChoicesAsLetteredLinesAndPrependsTheSystemMessage() {
        BenchmarkItem item = item("Which is a prime?", null, List.of("4", "6", "7"));
        PromptTemplate template = new PromptTemplate("mc", "2", "You are careful.", "{{input}}\n{{choices}}");

        List<Message> messages = renderer.render(item, template);

        assertThat(messages)
                .containsExactly(
                        Message.system("You are careful."), Message.user("Which is a prime?\nA. 4\nB. 6\nC. 7"));
    }

    @Test
    void choicesAreEmptyForAnItemWithoutChoices() {
        assertThat(PromptRenderer.choices(null)).isEmpty();
        assertThat(PromptRenderer.choices(List.of("x", "y"))).isEqualTo("A. x\nB. y");
    }

    @Test
    void theDefaultTemplateKeepsItsInstructionLine() {
        BenchmarkItem item = item("2+2?", null, null);

        List<Message> messages = renderer.render(item, BenchmarkSpec.DEFAULT_TEMPLATE);

        assertThat(messages)
                .containsExactly(Message.user(
                        "2+2?\n\nThink briefly, then give your final answer on the last line as 'Answer: <answer>'."));
    }

    @Test
    void rendersTheLastUserMessageAndKeepsEarlierTurns() {
        List<Message> chat = List.of(
                Message.system("Be terse."),
                Message.user("Hi"),
                new Message("assistant", Content.of("Hello")),
                Message.user("Name a colour"));
        BenchmarkItem item = item(null, chat, null);
        PromptTemplate template = new PromptTemplate("wrap", "1", null, "[{{input}}]");

        List<Message> messages = renderer.render(item, template);

        assertThat(messages).containsExactly(chat.get(0), chat.get(1), chat.get(2), Message.user("[Name a colour]"));
    }

    @Test
    void multimodalContentKeepsTheImagesAfterTheRenderedText() {
        ContentPart image = ContentPart.image("data:image/png;base64,iVBORw0KGgo=");
        Message question = new Message("user", Content.of(List.of(ContentPart.text("Which curve is highest?"), image)));
        BenchmarkItem item = item(null, List.of(question), List.of("blue", "red"));
        PromptTemplate template = new PromptTemplate("mc", "1", null, "{{input}}\n{{choices}}");

        List<Message> messages = renderer.render(item, template);

        assertThat(messages)
                .containsExactly(new Message(
                        "user",
                        Content.of(List.of(ContentPart.text("Which curve is highest?\nA. blue\nB. red"), image))));
    }

    @Test
    void withoutAUserTemplateTheItemsMessagesAreSentUnchanged() {
        List<Message> chat = List.of(Message.user("Tell me about {{choices}}"));
        BenchmarkItem item = item(null, chat, null);
        PromptTemplate template = new PromptTemplate("raw", "1", "sys", null);

        List<Message> messages = renderer.render(item, template);

        assertThat(messages).containsExactly(Message.system("sys"), chat.get(0));
    }

    @Test
    void placeholdersInsideTheItemAreNotExpanded() {
        BenchmarkItem item = item("literal {{choices}}", null, List.of("a", "b"));
        PromptTemplate template = new PromptTemplate("t", "1", null, "{{input}}|{{choices}}");

        List<Message> messages = renderer.render(item, template);

        assertThat(messages).containsExactly(Message.user("literal {{choices}}|A. a\nB. b"));
    }

    static BenchmarkItem item(String prompt, List<Message> messages, List<String> choices) {
        return new BenchmarkItem(
                "bench",
                "i1",
                null,
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null,
                prompt,
                messages,
                choices,
                Reference.answer("x"),
                null,
                null);
    }
}
