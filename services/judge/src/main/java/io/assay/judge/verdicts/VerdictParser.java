package io.assay.judge.verdicts;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.contracts.FinishReason;
import io.assay.contracts.ModelResponse.TokenLogprob;
import io.assay.contracts.Protocol;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads judge replies. Never throws: every reply ends as a {@link ParsedVerdict} that is either parsed
 * or says why not. A score or pairwise reply that stopped for length is never a verdict.
 *
 * <ul>
 *   <li>score: the last JSON object with a {@code score} (fenced or not, leniently parsed); the score a
 *       number or a numeric string ({@code "7"}, {@code "7/10"}) in [1, 10]; else the last
 *       {@code score: N} in the text. Outside [1, 10] is unparseable, never clamped.</li>
 *   <li>pairwise: the last JSON object with a {@code choice} of {@code A++ A+ A=B B+ B++} (also
 *       {@code A>>B}, {@code A>B}, {@code tie}, {@code B>A}, {@code B>>A}); else the last
 *       {@code choice: X} in the text.</li>
 *   <li>preference: from the first generated token's top log-probabilities, P(A) = e^a / (e^a + e^b)
 *       for the labels {@code A} and {@code B} (whitespace and case ignored, alternatives of one label
 *       summed); when no logprobs came back, the reply's label read as certain (P = 1 or 0).</li>
 * </ul>
 */
public final class VerdictParser {
    /** The score scale (WildBench). */
    public static final double SCORE_MIN = 1;
    /** The score scale's maximum. */
    public static final double SCORE_MAX = 10;

    private static final Pattern SCORE_TEXT = Pattern.compile(
            "[\"']?score[\"']?\\s*[:=]\\s*[\"']?\\s*([+-]?\\d+(?:\\.\\d+)?)(?:\\s*/\\s*10)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CHOICE_TEXT = Pattern.compile(
            "[\"']?choice[\"']?\\s*[:=]\\s*[\"']?\\s*(A\\+\\+|A\\+|A\\s*=\\s*B|B\\+\\+|B\\+|A>>B|A>B|B>>A|B>A|tie)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FRACTION = Pattern.compile("\\s*([+-]?\\d+(?:\\.\\d+)?)\\s*(?:/\\s*10)?\\s*");
    private static final Pattern LABEL = Pattern.compile("^\\W*([AB])\\b");
    private static final Map<String, Integer> CHOICES = Map.of(
            "a++", 2, "a>>b", 2, "a+", 1, "a>b", 1, "a=b", 0, "tie", 0, "b+", -1, "b>a", -1, "b++", -2, "b>>a", -2);

    private VerdictParser() {}

    /** The problem of a score or pairwise reply that stopped at its token limit. */
    public static final String TRUNCATED =
            "truncated: the judge's reply stopped at its token limit (finish_reason length), so it is never read"
                    + " as a verdict";

    /** Parses a reply of the given protocol that stopped normally. */
    public static ParsedVerdict parse(Protocol protocol, String output, List<TokenLogprob> logprobs) {
        return parse(protocol, output, logprobs, FinishReason.STOP);
    }

    /**
     * Parses a reply of the given protocol. A score or pairwise reply that stopped for length is
     * {@link #TRUNCATED}, whatever it holds: the lenient reader would otherwise close a cut-off JSON
     * object and read a half-written {@code "score": 1} (for {@code 10}) as a verdict. A preference
     * verdict is read from the first token, which a length stop does not cut (its request asks for
     * one token).
     */
    public static ParsedVerdict parse(
            Protocol protocol, String output, List<TokenLogprob> logprobs, FinishReason finish) {
        if (finish == FinishReason.LENGTH && (protocol == Protocol.SCORE || protocol == Protocol.PAIRWISE)) {
            return ParsedVerdict.unparseable(TRUNCATED);
        }
        try {
            return switch (protocol) {
                case SCORE -> score(output);
                case PAIRWISE -> pairwise(output);
                case PREFERENCE -> preference(output, logprobs);
                case REFERENCE -> ParsedVerdict.unparseable("reference judges have no LLM verdict");
            };
        } catch (RuntimeException e) {
            // Defence in depth: a parser bug must end as a flagged verdict, never as a stopped stream.
            return ParsedVerdict.unparseable("parser failure: " + e.getClass().getSimpleName());
        }
    }

    /** A WildBench score reply. */
    public static ParsedVerdict score(String output) {
        if (output == null || output.isBlank()) {
            return ParsedVerdict.unparseable("empty reply");
        }
        List<JsonNode> objects = JsonObjects.find(output);
        for (int i = objects.size() - 1; i >= 0; i--) {
            JsonNode node = objects.get(i).get("score");
            if (node == null) {
                continue;
            }
            Double value =
                    node.isNumber() ? Double.valueOf(node.asDouble()) : node.isTextual() ? number(node.asText()) : null;
            if (value == null) {
                return ParsedVerdict.unparseable("score is not a number: " + abbreviate(node.toString()));
            }
            return inScale(value, rationale(objects.get(i)));
        }
        Matcher m = SCORE_TEXT.matcher(output);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last != null) {
            return inScale(Double.parseDouble(last), null);
        }
        return ParsedVerdict.unparseable("no score found");
    }

    /** A WildBench pairwise reply; the value is A's side: A++ = 2 ... B++ = -2. */
    public static ParsedVerdict pairwise(String output) {
        if (output == null || output.isBlank()) {
            return ParsedVerdict.unparseable("empty reply");
        }
        List<JsonNode> objects = JsonObjects.find(output);
        for (int i = objects.size() - 1; i >= 0; i--) {
            JsonNode node = objects.get(i).get("choice");
            if (node == null) {
                continue;
            }
            Integer side = CHOICES.get(canonicalChoice(node.asText()));
            if (side == null) {
                return ParsedVerdict.unparseable(
                        "choice is not one of A++ A+ A=B B+ B++: " + abbreviate(node.toString()));
            }
            return ParsedVerdict.of(side, label(side), rationale(objects.get(i)));
        }
        Matcher m = CHOICE_TEXT.matcher(output);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last != null) {
            int side = CHOICES.get(canonicalChoice(last));
            return ParsedVerdict.of(side, label(side), null);
        }
        return ParsedVerdict.unparseable("no choice found");
    }

    /** An AlpacaEval preference reply; the value is P(A preferred). */
    public static ParsedVerdict preference(String output, List<TokenLogprob> logprobs) {
        if (logprobs != null && !logprobs.isEmpty() && logprobs.get(0) != null) {
            TokenLogprob first = logprobs.get(0);
            double a = 0;
            double b = 0;
            if (first.top() != null) {
                for (Map.Entry<String, Double> e : first.top().entrySet()) {
                    if (e.getKey() == null
                            || e.getValue() == null
                            || e.getValue().isNaN()) {
                        continue;
                    }
                    String token = e.getKey().strip().toUpperCase(Locale.ROOT);
                    if ("A".equals(token)) {
                        a += Math.exp(e.getValue());
                    } else if ("B".equals(token)) {
                        b += Math.exp(e.getValue());
                    }
                }
            }
            if (a == 0 && b == 0 && first.token() != null) {
                String token = first.token().strip().toUpperCase(Locale.ROOT);
                if ("A".equals(token)) {
                    a = Math.exp(first.logprob());
                } else if ("B".equals(token)) {
                    b = Math.exp(first.logprob());
                }
            }
            if (a + b > 0 && Double.isFinite(a + b)) {
                double p = a / (a + b);
                return ParsedVerdict.of(p, p >= 0.5 ? "A" : "B", null);
            }
        }
        if (output != null) {
            Matcher m = LABEL.matcher(output.strip().toUpperCase(Locale.ROOT));
            if (m.find()) {
                return ParsedVerdict.of(
                        "A".equals(m.group(1)) ? 1.0 : 0.0, m.group(1), "no logprobs: the label counts as certain");
            }
        }
        return ParsedVerdict.unparseable("no A/B label in the reply or its logprobs");
    }

    /** The WildBench label of A's side. */
    public static String label(int side) {
        return switch (side) {
            case 2 -> "A++";
            case 1 -> "A+";
            case 0 -> "A=B";
            case -1 -> "B+";
            default -> "B++";
        };
    }

    private static ParsedVerdict inScale(double value, String rationale) {
        if (!Double.isFinite(value) || value < SCORE_MIN || value > SCORE_MAX) {
            return ParsedVerdict.unparseable("score " + value + " is outside [1, 10]");
        }
        return ParsedVerdict.of(value, trimNumber(value), rationale);
    }

    private static Double number(String text) {
        Matcher m = FRACTION.matcher(text);
        return m.matches() ? Double.valueOf(m.group(1)) : null;
    }

    private static String canonicalChoice(String text) {
        return text.strip().toLowerCase(Locale.ROOT).replace(" ", "");
    }

    private static String rationale(JsonNode object) {
        StringBuilder out = new StringBuilder();
        for (String field : List.of("strengths", "weaknesses", "reason")) {
            JsonNode node = object.get(field);
            if (node != null && !node.isNull()) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append(field).append(": ").append(node.isTextual() ? node.asText() : node.toString());
            }
        }
        return out.length() == 0 ? null : abbreviate(out.toString());
    }

    private static String trimNumber(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String abbreviate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "...";
    }
}
