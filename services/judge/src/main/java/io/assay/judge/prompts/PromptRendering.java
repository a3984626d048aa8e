package io.assay.judge.prompts;

import io.assay.contracts.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a judge prompt so that quoted data cannot act as instructions.
 *
 * <p>Data (the query, the checklist, the answers) only ever appears between a template's
 * {@code <<<BEGIN X>>>} and {@code <<<END X>>>} lines, and the judge is told that everything there is data.
 * An answer cannot close its block early: before it is inserted, every run of three or more {@code <}
 * or {@code >} in it is broken with spaces ({@code <<<} becomes {@code << <}), so no data can contain
 * {@code <<<} or {@code >>>} and therefore no delimiter line. Placeholders are substituted in one
 * pass over the template, so a {@code {{placeholder}}} inside data stays literal text.
 *
 * <p>See docs/judging.md, "Judge prompts".
 */
public final class PromptRendering {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final Pattern TRIPLE_OPEN = Pattern.compile("<<<");
    private static final Pattern TRIPLE_CLOSE = Pattern.compile(">>>");

    private PromptRendering() {}

    /** The system and user messages of a template with its data filled in. */
    public static List<Message> render(JudgePrompt template, Map<String, String> data) {
        List<Message> messages = new ArrayList<>();
        if (template.system() != null && !template.system().isBlank()) {
            messages.add(Message.system(template.system()));
        }
        messages.add(Message.user(fill(template.user(), data)));
        return messages;
    }

    /** The template text with every placeholder replaced by its neutralised value (empty when absent). */
    public static String fill(String text, Map<String, String> data) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = data.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(neutralise(value == null ? "" : value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Data with every {@code <<<} and {@code >>>} broken, so it cannot form a delimiter. */
    public static String neutralise(String data) {
        String s = data;
        // Replacing one run can create another ("<<<<" -> "<< <<"): repeat until none is left.
        while (s.contains("<<<") || s.contains(">>>")) {
            s = TRIPLE_OPEN.matcher(s).replaceAll("<< <");
            s = TRIPLE_CLOSE.matcher(s).replaceAll("> >>");
        }
        return s;
    }
}
