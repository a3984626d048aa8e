package io.assay.invoker.sim;

import io.assay.contracts.AnswerFormat;
import io.assay.contracts.Choices;
import io.assay.contracts.Ids;
import io.assay.contracts.Message;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.PromptRequest;
import io.assay.contracts.SimHints;
import io.assay.contracts.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * A <strong>simulated</strong> model: answers are drawn, not generated, and every response it
 * produces is labelled {@code simulated=true}. It exists so the pipeline and its statistics can be
 * tested against a known truth.
 *
 * <p>Rasch model: the answer is correct with probability {@code 1 / (1 + exp(-(skill - difficulty)))}.
 * Everything is a deterministic function of (model seed, model, item, variant, sample): the random
 * stream is seeded from {@link Ids#hash} of those, and the correctness draw is its first value,
 * so {@link #decidesCorrect} and {@link #answer} always agree. Transient errors use a separate
 * stream that also depends on the attempt number, so retries never change the answer.
 *
 * <p>An A-bias ({@code firstChoiceBias} b, multiple choice only): with probability b, drawn from a stream of
 * its own, the model answers the choice shown first ({@code A}) whatever it knows, so it is right exactly
 * when the correct choice is shown first. Its expected accuracy is {@code (1 − b)·p + b·P(correct shown
 * first)}: with {@code shuffleChoices} and n choices {@code (1 − b)·p + b/n}; on a benchmark whose answers
 * are mostly A, inflated towards b. The hints' answer is the letter shown ({@code Choices}), so the
 * simulator answers through the permutation the judge undoes.
 *
 * <p>Plain Java; knows nothing of Kafka or Quarkus.
 *
 * <p>The simulator as a whole (answers, latency, errors, usage): docs/invocation.md.
 */
public final class Simulator {
    /** Mean answer length when the model declares none. */
    public static final int DEFAULT_MEAN_ANSWER_CHARS = 300;
    /** Mean latency when the model declares none. */
    public static final int DEFAULT_MEAN_LATENCY_MS = 20;
    /** Spread (sigma of the log) of answer lengths. */
    private static final double LENGTH_SIGMA = 0.5;

    private static final String ANSWER_PREFIX = "Answer: ";
    /** The letter of the choice shown first. */
    private static final String FIRST_CHOICE = Choices.letter(0);

    /** Neutral filler: no digits, no one-letter words (choice letters), no yes/no/true/false. */
    private static final List<String> FILLER = List.of(
            "Let me work through this step by step.",
            "First, consider what the question is asking.",
            "The key is to look at the details carefully.",
            "Let me check each part of the problem in turn.",
            "Breaking it down makes the structure clearer.",
            "There are several ways to approach this.",
            "Let me restate the problem in my own words.",
            "Looking at the given information again helps here.",
            "We should be careful not to skip any condition.",
            "Putting these observations together narrows it down.",
            "Checking the reasoning once more seems wise.",
            "This follows from the points above.");

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}\\s]");
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /** Each filler sentence as {@link #words} with a space either side, for the check against the answer. */
    private static final List<String> FILLER_WORDS =
            FILLER.stream().map(s -> " " + words(s) + " ").toList();

    private Simulator() {}

    /**
     * Whether the model answers the request correctly: the same draw {@link #answer} uses.
     *
     * @throws MissingSimulationHintsException when the request has no simulation hints
     */
    public static boolean decidesCorrect(ModelSpec model, PromptRequest request) {
        boolean knows = answerRandom(model, request).nextDouble() < probabilityCorrect(model, request);
        return answersFirstChoice(model, request) ? firstChoiceIsCorrect(hints(request)) : knows;
    }

    /**
     * Whether the model answers the choice shown first whatever it knows (its {@code firstChoiceBias}, on a
     * choice item): a draw from its own stream, so a model without the bias answers exactly as before.
     */
    public static boolean answersFirstChoice(ModelSpec model, PromptRequest request) {
        Double bias = model.sim() == null ? null : model.sim().firstChoiceBias();
        if (bias == null || bias <= 0 || hints(request).format() != AnswerFormat.CHOICE) {
            return false;
        }
        SplittableRandom rng = new SplittableRandom(seedOf(Ids.hash(
                seedText(model),
                model.modelId(),
                request.benchmark(),
                request.itemId(),
                request.variant().label(),
                "first-choice")));
        return rng.nextDouble() < bias;
    }

    private static boolean firstChoiceIsCorrect(SimHints hints) {
        return FIRST_CHOICE.equalsIgnoreCase(hints.answer().trim());
    }

    /**
     * The Rasch probability {@code sigma(skill - difficulty)} that the model answers correctly,
     * without any prompt-format offset.
     */
    public static double probabilityCorrect(ModelSpec model, SimHints hints) {
        return sigmoid(skill(model) - hints.difficulty());
    }

    /**
     * The probability {@code sigma(skill + formatSkill[format] - difficulty)} that the model answers
     * this request correctly: the format offset makes prompt formats matter (FormatSpread). This is
     * also the answer's latent quality, published as {@code simQuality}.
     *
     * @throws MissingSimulationHintsException when the request has no simulation hints
     */
    public static double probabilityCorrect(ModelSpec model, PromptRequest request) {
        return sigmoid(
                skill(model) + formatOffset(model, request) - hints(request).difficulty());
    }

    /** The skill offset of the request's prompt format, 0 when the model declares none. */
    public static double formatOffset(ModelSpec model, PromptRequest request) {
        if (model.sim() == null || model.sim().formatSkill() == null || request.variant() == null) {
            return 0.0;
        }
        Double offset = model.sim().formatSkill().get(request.variant().format());
        return offset == null ? 0.0 : offset;
    }

    /**
     * Whether call number {@code attempt} (from 1) is refused with a simulated 429; drawn from its
     * own stream, so rate limiting never changes the answer.
     */
    public static boolean rateLimitsAttempt(ModelSpec model, PromptRequest request, int attempt) {
        Double rate = model.sim() == null ? null : model.sim().rateLimitRate();
        if (rate == null || rate <= 0) {
            return false;
        }
        SplittableRandom rng = new SplittableRandom(seedOf(Ids.hash(
                seedText(model),
                model.modelId(),
                request.benchmark(),
                request.itemId(),
                request.variant().label(),
                "429",
                Integer.toString(attempt))));
        return rng.nextDouble() < rate;
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * The simulated answer to a request.
     *
     * @throws MissingSimulationHintsException when the request has no simulation hints
     */
    public static SimAnswer answer(ModelSpec model, PromptRequest request) {
        SimHints hints = hints(request);
        SplittableRandom rng = answerRandom(model, request);
        // The first draw decides correctness; decidesCorrect repeats exactly this draw.
        double quality = probabilityCorrect(model, request);
        boolean correct = rng.nextDouble() < quality;
        String answer = correct ? hints.answer() : WrongAnswers.of(hints, request, rng);
        if (answersFirstChoice(model, request)) {
            answer = FIRST_CHOICE;
            correct = firstChoiceIsCorrect(hints);
        }
        String answerLine = ANSWER_PREFIX + answer;
        int length = drawLength(rng, meanAnswerChars(model));
        String filler = filler(rng, length - answerLine.length() - 1, hints.answer());
        String output = filler.isEmpty() ? answerLine : filler + "\n" + answerLine;
        long latencyMs = drawLatency(rng, meanLatencyMs(model));
        Usage usage = new Usage(tokens(inputChars(request)), tokens(output.length()));
        return new SimAnswer(output, answer, correct, usage, latencyMs, quality);
    }

    /**
     * Whether call number {@code attempt} (from 1) fails with a transient error. Drawn from a
     * stream separate from the answer's, so retries never change the answer.
     */
    public static boolean failsAttempt(ModelSpec model, PromptRequest request, int attempt) {
        Double rate = model.sim() == null ? null : model.sim().errorRate();
        if (rate == null || rate <= 0) {
            return false;
        }
        SplittableRandom rng = new SplittableRandom(seedOf(Ids.hash(
                seedText(model),
                model.modelId(),
                request.benchmark(),
                request.itemId(),
                request.variant().label(),
                "attempt",
                Integer.toString(attempt))));
        return rng.nextDouble() < rate;
    }

    /**
     * The normalisation under which a wrong answer is guaranteed to differ from the correct one:
     * lower case, punctuation and articles removed, whitespace collapsed.
     */
    public static String normalise(String text) {
        String s = NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
        s = ARTICLES.matcher(s).replaceAll(" ");
        return SPACES.matcher(s).replaceAll(" ").trim();
    }

    /** Lower-case words separated by single spaces, punctuation dropped. */
    private static String words(String text) {
        String s = NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
        return SPACES.matcher(s).replaceAll(" ").trim();
    }

    private static SimHints hints(PromptRequest request) {
        if (request.simulation() == null) {
            throw new MissingSimulationHintsException(request.requestId());
        }
        return request.simulation();
    }

    private static SplittableRandom answerRandom(ModelSpec model, PromptRequest request) {
        return new SplittableRandom(seedOf(Ids.hash(
                seedText(model),
                model.modelId(),
                request.benchmark(),
                request.itemId(),
                request.variant().label())));
    }

    private static long seedOf(String hash) {
        return Long.parseUnsignedLong(hash.substring(0, 16), 16);
    }

    private static String seedText(ModelSpec model) {
        Long seed = model.sim() == null ? null : model.sim().seed();
        return Long.toString(seed == null ? 0L : seed);
    }

    private static double skill(ModelSpec model) {
        return model.sim() == null ? 0.0 : model.sim().skill();
    }

    private static int meanAnswerChars(ModelSpec model) {
        Integer mean = model.sim() == null ? null : model.sim().meanAnswerChars();
        return mean == null ? DEFAULT_MEAN_ANSWER_CHARS : mean;
    }

    private static int meanLatencyMs(ModelSpec model) {
        Integer mean = model.sim() == null ? null : model.sim().meanLatencyMs();
        return mean == null ? DEFAULT_MEAN_LATENCY_MS : mean;
    }

    /** Lognormal with the given mean: exp(mu + sigma Z) has mean exp(mu + sigma^2 / 2). */
    private static int drawLength(SplittableRandom rng, int mean) {
        if (mean <= 0) {
            return 0;
        }
        double mu = Math.log(mean) - LENGTH_SIGMA * LENGTH_SIGMA / 2;
        return (int) Math.round(Math.exp(mu + LENGTH_SIGMA * rng.nextGaussian()));
    }

    /** Exponential with the given mean. */
    private static long drawLatency(SplittableRandom rng, int mean) {
        if (mean <= 0) {
            return 0;
        }
        return Math.round(-mean * Math.log(1.0 - rng.nextDouble()));
    }

    /** Filler of about {@code length} characters that never mentions the correct answer. */
    private static String filler(SplittableRandom rng, int length, String correctAnswer) {
        if (length <= 0) {
            return "";
        }
        String banned = words(correctAnswer);
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < FILLER.size(); i++) {
            if (banned.isEmpty() || !FILLER_WORDS.get(i).contains(" " + banned + " ")) {
                sentences.add(FILLER.get(i));
            }
        }
        if (sentences.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        int previous = -1;
        while (text.length() < length) {
            if (text.length() > 0) {
                text.append(' ');
            }
            int next = rng.nextInt(sentences.size());
            if (next == previous && sentences.size() > 1) {
                // Never the same sentence twice in a row: it reads like a glitch, not like reasoning.
                next = (next + 1) % sentences.size();
            }
            text.append(sentences.get(next));
            previous = next;
        }
        // Cut at a word boundary so the filler reads as words, and so a cut never forms the answer.
        int cut = text.lastIndexOf(" ", length);
        return cut <= 0 ? text.substring(0, length) : text.substring(0, cut);
    }

    private static int inputChars(PromptRequest request) {
        int chars = 0;
        if (request.messages() != null) {
            for (Message m : request.messages()) {
                if (m != null && m.content() != null) {
                    chars += m.content().asText().length();
                }
            }
        }
        return chars;
    }

    private static int tokens(int chars) {
        return (chars + 3) / 4;
    }
}
