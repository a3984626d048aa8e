package io.assay.judge.scoring;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes the final answer out of a model's output. Prompts ask for a last line {@code Answer: <answer>}
 * (see {@code BenchmarkSpec.DEFAULT_TEMPLATE}); models that ignore the instruction are read from
 * their last non-empty line.
 */
public final class AnswerExtractor {
    /** {@code Answer:} in any case, with an ASCII or full-width colon. */
    private static final Pattern MARKER =
            Pattern.compile("answer\\s*[:\uFF1A]", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private static final Pattern BOXED = Pattern.compile("\\\\boxed\\{([^{}]*)}");
    private static final String[] WRAPPERS = {"**", "__", "*", "`", "\"", "'", "\u201C", "\u201D", "\u2018", "\u2019"};

    private AnswerExtractor() {}

    /**
     * The text after the last {@code Answer:} on its line (or on the next non-empty line when the
     * marker ends its line), else the last non-empty line; without surrounding markdown, quotes and
     * a trailing period. Empty when the output is blank.
     */
    public static String extract(String output) {
        if (output == null || output.isBlank()) {
            return "";
        }
        Matcher marker = MARKER.matcher(output);
        int end = -1;
        while (marker.find()) {
            end = marker.end();
        }
        if (end < 0) {
            return clean(lastNonEmptyLine(output));
        }
        String rest = output.substring(end);
        int newline = rest.indexOf('\n');
        String answer = clean(newline < 0 ? rest : rest.substring(0, newline));
        if (answer.isEmpty() && newline >= 0) {
            // "Answer:\n42": the answer is on the following line.
            answer = clean(firstNonEmptyLine(rest.substring(newline + 1)));
        }
        return answer;
    }

    /**
     * The answer for overlap scorers ({@code contains}, {@code f1}, {@code rouge-l}): the text after the
     * last {@code Answer:} marker when there is one, else the whole output (free-form answers such as
     * summaries have no marker), stripped. Empty when the output is blank.
     */
    public static String answerOrWhole(String output) {
        if (output == null || output.isBlank()) {
            return "";
        }
        return MARKER.matcher(output).find() ? extract(output) : output.strip();
    }

    /** Strips surrounding markdown ({@code **}, backticks), quotes, LaTeX {@code \boxed{}} and a trailing period. */
    public static String clean(String text) {
        String s = text == null ? "" : text.strip();
        Matcher boxed = BOXED.matcher(s);
        if (boxed.find()) {
            s = boxed.group(1).strip();
        }
        String before;
        do {
            before = s;
            for (String wrapper : WRAPPERS) {
                if (s.startsWith(wrapper)) {
                    s = s.substring(wrapper.length()).strip();
                }
                if (s.endsWith(wrapper)) {
                    s = s.substring(0, s.length() - wrapper.length()).strip();
                }
            }
            if (s.length() > 1 && s.startsWith("$") && s.endsWith("$")) {
                // Inline LaTeX math: $42$ (a single leading $ is a currency and stays).
                s = s.substring(1, s.length() - 1).strip();
            }
            if (s.endsWith(".") && !s.endsWith("..")) {
                s = s.substring(0, s.length() - 1).strip();
            }
        } while (!s.equals(before));
        return s;
    }

    private static String lastNonEmptyLine(String text) {
        String[] lines = text.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i];
            }
        }
        return "";
    }

    private static String firstNonEmptyLine(String text) {
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                return line;
            }
        }
        return "";
    }
}
