package io.assay.invoker.sim;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.SimHints;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The {@link Simulator}'s wrong answers: for each answer format an answer that differs from the
 * correct one under {@link Simulator#normalise}, drawn from the answer's own random stream so it is
 * as deterministic as the rest of the answer.
 */
final class WrongAnswers {
    /** Choice count assumed when a choice item declares none. */
    private static final int DEFAULT_CHOICE_COUNT = 4;

    private static final int MAX_NUMBER_OFFSET = 10;

    private WrongAnswers() {}

    /** A wrong answer in the request's answer format. */
    static String of(SimHints hints, PromptRequest request, SplittableRandom rng) {
        String correct = hints.answer();
        AnswerFormat format = hints.format() == null ? AnswerFormat.TEXT : hints.format();
        return switch (format) {
            case NUMBER -> wrongNumber(correct, rng);
            case CHOICE -> wrongChoice(correct, choiceCount(hints, request), rng);
            case TEXT -> wrongText(correct, rng);
        };
    }

    private static int choiceCount(SimHints hints, PromptRequest request) {
        if (hints.choiceCount() != null && hints.choiceCount() >= 2) {
            return hints.choiceCount();
        }
        if (request.choices() != null && request.choices().size() >= 2) {
            return request.choices().size();
        }
        return DEFAULT_CHOICE_COUNT;
    }

    /** The correct value plus a non-zero integer offset in +-1..+-10; text near-miss when not a number. */
    private static String wrongNumber(String correct, SplittableRandom rng) {
        BigDecimal value;
        try {
            value = new BigDecimal(correct.trim());
        } catch (NumberFormatException e) {
            return nearMiss(correct, rng);
        }
        int offset = 1 + rng.nextInt(MAX_NUMBER_OFFSET);
        BigDecimal wrong =
                rng.nextBoolean() ? value.add(BigDecimal.valueOf(offset)) : value.subtract(BigDecimal.valueOf(offset));
        return wrong.toPlainString();
    }

    /** A different letter among the first {@code count} letters. */
    private static String wrongChoice(String correct, int count, SplittableRandom rng) {
        String letter = correct.trim().toUpperCase(Locale.ROOT);
        int index = letter.length() == 1 ? letter.charAt(0) - 'A' : -1;
        if (index < 0 || index >= count) {
            // The correct answer is not one of the letters shown: any shown letter is wrong.
            return String.valueOf((char) ('A' + rng.nextInt(count)));
        }
        int pick = rng.nextInt(count - 1);
        if (pick >= index) {
            pick++;
        }
        return String.valueOf((char) ('A' + pick));
    }

    /** The opposite of yes/no and true/false; a number offset for numbers; otherwise a near-miss. */
    private static String wrongText(String correct, SplittableRandom rng) {
        String opposite = opposite(correct.trim());
        if (opposite != null) {
            return opposite;
        }
        try {
            new BigDecimal(correct.trim());
            return wrongNumber(correct, rng);
        } catch (NumberFormatException e) {
            return nearMiss(correct, rng);
        }
    }

    private static String opposite(String answer) {
        String lower = answer.toLowerCase(Locale.ROOT);
        String flipped = switch (lower) {
            case "yes" -> "no";
            case "no" -> "yes";
            case "true" -> "false";
            case "false" -> "true";
            default -> null;
        };
        if (flipped == null) {
            return null;
        }
        if (answer.equals(answer.toUpperCase(Locale.ROOT))) {
            return flipped.toUpperCase(Locale.ROOT);
        }
        if (Character.isUpperCase(answer.charAt(0))) {
            return Character.toUpperCase(flipped.charAt(0)) + flipped.substring(1);
        }
        return flipped;
    }

    /**
     * A near-miss: one letter changed (a typo-like perturbation) or, for several words, the last
     * word dropped; checked to differ from the correct answer after {@link Simulator#normalise}.
     */
    private static String nearMiss(String correct, SplittableRandom rng) {
        String target = Simulator.normalise(correct);
        String[] words = correct.trim().split("\\s+");
        if (words.length > 1 && rng.nextBoolean()) {
            String shorter = String.join(" ", Arrays.copyOf(words, words.length - 1));
            if (!Simulator.normalise(shorter).isEmpty()
                    && !Simulator.normalise(shorter).equals(target)) {
                return shorter;
            }
        }
        List<Integer> letters = new ArrayList<>();
        for (int i = 0; i < correct.length(); i++) {
            if (Character.isLetter(correct.charAt(i)) && correct.charAt(i) < 128) {
                letters.add(i);
            }
        }
        if (!letters.isEmpty()) {
            int at = letters.get(rng.nextInt(letters.size()));
            char original = Character.toLowerCase(correct.charAt(at));
            char replacement = (char) ('a' + rng.nextInt(25));
            if (replacement >= original) {
                replacement++;
            }
            if (Character.isUpperCase(correct.charAt(at))) {
                replacement = Character.toUpperCase(replacement);
            }
            String perturbed = correct.substring(0, at) + replacement + correct.substring(at + 1);
            if (!Simulator.normalise(perturbed).equals(target)) {
                return perturbed;
            }
        }
        return target.isEmpty() ? "unknown" : "not " + correct;
    }
}
