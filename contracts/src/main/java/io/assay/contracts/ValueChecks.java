package io.assay.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks of values a JSON Schema cannot express, run by {@link EventType#parse} after the schema
 * check: every number is finite (JSON's {@code 1e400} reads as a double's infinity, which a schema's
 * {@code "type": "number"} accepts), every id is free of invisible characters ({@link Ids#problem}), a
 * reference regex compiles, and a judgment's verdict fits its judge: its kind is one its protocol
 * gives, its score lies on its own scale, which is the judge's declared scale when it declares one. Each violation starts with the JSON Pointer of the value, as
 * the schema's do.
 */
final class ValueChecks {
    /**
     * The fields that hold ids, wherever they appear (lists of ids: every element); {@code id} is a
     * judge's, in a judge spec.
     */
    private static final Set<String> ID_FIELDS = Set.of(
            "benchmark",
            "itemId",
            "id",
            "modelId",
            "requestId",
            "judgmentId",
            "judgeModel",
            "baselineModel",
            "baselineRequestId",
            "baselines",
            "jury");

    /**
     * The ids that are parts of the aggregator's store keys, joined there by {@value #KEY_SEPARATOR} (a benchmark's
     * name cannot hold it by its schema): one holding it would be read back as two parts, so that items {@code set|1}
     * and {@code set|2} counted as one item {@code set} and {@code irt} took their suffixes for models. Refused, with
     * the reason, rather than counted wrong.
     */
    private static final Set<String> KEY_FIELDS =
            Set.of("itemId", "id", "modelId", "judgeModel", "baselineModel", "baselines", "jury");

    /** What the aggregator's store keys are joined by ({@code Fold.SEPARATOR}). */
    static final String KEY_SEPARATOR = "|";

    /** Free-form objects: their keys are the producer's, not ids of Assay's. */
    private static final Set<String> FREE_FORM = Set.of("metadata", "details");

    /** The verdict kinds each protocol gives (a reference scorer gives a 0-1 score too, e.g. ROUGE-L). */
    private static final Map<String, Set<String>> KINDS = Map.of(
            "reference", Set.of("correct", "score"),
            "score", Set.of("score"),
            "pairwise", Set.of("pairwise"),
            "preference", Set.of("preference"));

    private ValueChecks() {}

    /** The violations of a schema-valid {@code event} of {@code type}, empty when its values make sense. */
    static List<String> violations(EventType type, JsonNode event) {
        List<String> errors = new ArrayList<>();
        walk(event, errors);
        switch (type) {
            case BENCHMARK_ITEM -> reference(event.path("reference"), errors);
            case JUDGMENT -> judgment(event, errors);
            case BENCHMARK_SPEC -> {
                JsonNode judges = event.path("judges");
                for (int i = 0; i < judges.size(); i++) {
                    scale(judges.get(i).path("scale"), "/judges/" + i + "/scale", errors);
                }
            }
            default -> {
                // Nothing beyond the walk.
            }
        }
        return errors;
    }

    /** Every number finite, every id clean; iterative, so no nesting depth can overflow the stack. */
    private static void walk(JsonNode root, List<String> errors) {
        Deque<Visit> pending = new ArrayDeque<>();
        pending.push(new Visit(root, "", false, false, false));
        while (!pending.isEmpty()) {
            Visit next = pending.pop();
            JsonNode node = next.node();
            String path = next.path();
            if (node.isNumber() && !Double.isFinite(node.asDouble())) {
                errors.add(where(path) + ": is not a finite number (beyond a double's range)");
            } else if (next.id() && node.isTextual()) {
                Ids.problem(node.asText()).ifPresent(p -> errors.add(where(path) + ": the id " + p));
                int at = node.asText().indexOf(KEY_SEPARATOR);
                if (next.keyPart() && at >= 0) {
                    errors.add(where(path) + ": the id holds '" + KEY_SEPARATOR + "' at index " + at
                            + ", which joins the ids in the aggregator's keys (it would count the id as two): use"
                            + " another character");
                }
            } else if (node.isArray()) {
                for (int i = node.size() - 1; i >= 0; i--) {
                    pending.push(new Visit(node.get(i), path + "/" + i, next.id(), next.keyPart(), next.freeForm()));
                }
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    String name = field.getKey();
                    boolean free = next.freeForm() || FREE_FORM.contains(name);
                    pending.push(new Visit(
                            field.getValue(),
                            path + "/" + name,
                            !free && ID_FIELDS.contains(name),
                            !free && KEY_FIELDS.contains(name),
                            free));
                }
            }
        }
    }

    /**
     * A node still to check: where it is, whether it is an id, and whether it lies inside a free-form
     * object ({@code metadata}, {@code details}) whose fields are not ids.
     */
    private record Visit(JsonNode node, String path, boolean id, boolean keyPart, boolean freeForm) {}

    private static void reference(JsonNode reference, List<String> errors) {
        JsonNode regex = reference.path("regex");
        if (regex.isTextual()) {
            try {
                Pattern.compile(regex.asText(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                errors.add("/reference/regex: does not compile: " + e.getDescription() + " near index " + e.getIndex());
            } catch (StackOverflowError e) {
                errors.add("/reference/regex: too deeply nested to compile");
            }
        }
    }

    private static void judgment(JsonNode judgment, List<String> errors) {
        String protocol = judgment.path("judge").path("protocol").asText();
        String kind = judgment.path("kind").asText();
        Set<String> kinds = KINDS.get(protocol);
        if (kinds != null && !kinds.contains(kind)) {
            errors.add("/kind: a " + protocol + " judge gives "
                    + String.join(" or ", kinds.stream().sorted().toList()) + " judgments, not " + kind);
        }
        JsonNode scale = judgment.path("judge").path("scale");
        scale(scale, "/judge/scale", errors);
        JsonNode score = judgment.path("score");
        if (score.isObject()
                && scale.isObject()
                && (score.path("min").asDouble() != scale.path("min").asDouble()
                        || score.path("max").asDouble() != scale.path("max").asDouble())) {
            // Scores on another scale than the judge declares would be averaged with its others.
            errors.add("/score: the scale [" + number(score.path("min").asDouble()) + ", "
                    + number(score.path("max").asDouble()) + "] is not the judge's declared scale ["
                    + number(scale.path("min").asDouble()) + ", "
                    + number(scale.path("max").asDouble()) + "]");
        } else if (score.isObject()) {
            double value = score.path("value").asDouble();
            double min = score.path("min").asDouble();
            double max = score.path("max").asDouble();
            if (!(min < max)) {
                errors.add("/score: the scale [" + number(min) + ", " + number(max) + "] is empty");
            } else if (value < min || value > max) {
                errors.add("/score/value: " + number(value) + " is outside the judge's scale [" + number(min) + ", "
                        + number(max) + "]");
            }
        }
    }

    private static void scale(JsonNode scale, String path, List<String> errors) {
        if (scale.isObject()
                && !(scale.path("min").asDouble() < scale.path("max").asDouble())) {
            errors.add(path + ": the scale [" + number(scale.path("min").asDouble()) + ", "
                    + number(scale.path("max").asDouble()) + "] is empty");
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static String where(String path) {
        return path.isEmpty() ? "(root)" : path;
    }
}
