package io.assay.promptgenerator.prompts;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Choices;
import io.assay.contracts.Content;
import io.assay.contracts.ContentPart;
import io.assay.contracts.Message;
import io.assay.contracts.PromptTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an item in a prompt format. The template's user text replaces the item's last user
 * message, with {@code {{input}}} standing for that message's text and {@code {{choices}}} for
 * the lettered choices in the order the variant shows them ({@link Choices}); images of a multimodal
 * message pass through after the rendered text.
 */
public final class PromptRenderer {
    /** Placeholder for the item's input text. */
    public static final String INPUT = "{{input}}";
    /** Placeholder for the lettered choices. */
    public static final String CHOICES = "{{choices}}";

    private static final String USER = "user";

    /** The messages to send for {@code item} in {@code template}, choices in canonical order. */
    public List<Message> render(BenchmarkItem item, PromptTemplate template) {
        return render(item, template, null);
    }

    /**
     * The messages to send for {@code item} in {@code template}, choices in the order {@code permutation}
     * shows them (shown position i holds canonical choice {@code permutation[i]}; {@code null}: canonical).
     */
    public List<Message> render(BenchmarkItem item, PromptTemplate template, List<Integer> permutation) {
        List<Message> messages = new ArrayList<>();
        if (template.system() != null && !template.system().isBlank()) {
            messages.add(Message.system(template.system()));
        }
        List<Message> input = item.inputMessages();
        if (template.user() == null) {
            messages.addAll(input);
            return messages;
        }
        int last = lastUserIndex(input);
        String inputText = item.prompt() != null
                ? item.prompt()
                : last >= 0 ? input.get(last).content().asText() : "";
        String rendered = fill(
                template.user(),
                inputText,
                item.choices() == null ? "" : Choices.lettered(Choices.shown(item.choices(), permutation)));
        for (int i = 0; i < input.size(); i++) {
            messages.add(i == last ? renderedMessage(input.get(i), rendered) : input.get(i));
        }
        if (last < 0) {
            // No user message to render into (e.g. only a system message): ask as a new user turn.
            messages.add(Message.user(rendered));
        }
        return messages;
    }

    /** Lettered choices in the order given, one per line ({@code A. first}), empty when there are none. */
    public static String choices(List<String> choices) {
        return Choices.lettered(choices);
    }

    /** Replaces the placeholders in one pass, so text inside the item is never treated as a placeholder. */
    static String fill(String template, String input, String choices) {
        StringBuilder out = new StringBuilder(template.length() + input.length() + choices.length());
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith(INPUT, i)) {
                out.append(input);
                i += INPUT.length();
            } else if (template.startsWith(CHOICES, i)) {
                out.append(choices);
                i += CHOICES.length();
            } else {
                out.append(template.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    private static int lastUserIndex(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (USER.equals(messages.get(i).role())) {
                return i;
            }
        }
        return -1;
    }

    private static Message renderedMessage(Message original, String rendered) {
        Content content = original.content();
        if (content == null || content.parts() == null) {
            return new Message(original.role(), Content.of(rendered));
        }
        // Multimodal: the rendered text replaces the text parts; images keep their order after it.
        List<ContentPart> parts = new ArrayList<>();
        parts.add(ContentPart.text(rendered));
        for (ContentPart part : content.parts()) {
            if (!ContentPart.TEXT.equals(part.type())) {
                parts.add(part);
            }
        }
        return new Message(original.role(), Content.of(parts));
    }
}
