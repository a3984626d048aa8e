package io.assay.cli.commands;

import io.assay.cli.console.JsonOption;
import io.assay.cli.kafka.Publisher;
import io.assay.cli.kafka.TopicReader;
import io.assay.cli.review.ReviewLabels;
import io.assay.contracts.EventType;
import io.assay.contracts.InvalidEventException;
import io.assay.contracts.Json;
import io.assay.contracts.Judgment;
import io.assay.contracts.ReviewRequest;
import io.assay.contracts.Topics;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Human review: the judgments the judge asked a human about, and the labels that answer them. */
@Command(
        name = "review",
        mixinStandardHelpOptions = true,
        description = "List the judgments waiting for human review (assay.reviews) and publish a label as a judgment "
                + "with origin human (docs/judging.md, \"Human review\").",
        subcommands = {ReviewCommand.ListPending.class, ReviewCommand.Label.class})
public final class ReviewCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The review requests and human labels on the broker: reads assay.reviews and assay.judgments to their end. */
    static List<ReviewRequest> pending(String bootstrap) {
        List<ReviewRequest> requests = new ArrayList<>();
        TopicReader.readAll(
                bootstrap,
                Topics.REVIEWS.name(),
                r -> parse(r.value(), EventType.REVIEW_REQUEST, ReviewRequest.class, requests));
        List<Judgment> judgments = new ArrayList<>();
        TopicReader.readAll(
                bootstrap,
                Topics.JUDGMENTS.name(),
                r -> parse(r.value(), EventType.JUDGMENT, Judgment.class, judgments));
        return ReviewLabels.pending(requests, judgments);
    }

    private static <T> void parse(byte[] bytes, EventType type, Class<T> as, List<T> into) {
        if (bytes == null) {
            return;
        }
        try {
            into.add(type.parse(bytes, as));
        } catch (InvalidEventException e) {
            // The services dead-letter what the contract refuses; a reviewer has nothing to do with it.
        }
    }

    /** {@code assay review list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the review requests no human has labelled yet: benchmark, item, model, baseline, "
                    + "judge, its verdict and why it is asked (position-inconsistent, sampled).")
    static final class ListPending implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Option(names = "--benchmark", description = "Only this benchmark's.")
        String benchmark;

        @Mixin
        JsonOption json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<ReviewRequest> pending = pending(connection.bootstrap).stream()
                    .filter(r ->
                            benchmark == null || benchmark.equals(r.judgment().benchmark()))
                    .toList();
            if (json.json()) {
                out.println(Json.write(pending));
            } else {
                out.println(pending.size() + " review(s) pending");
                pending.forEach(r -> out.println(line(r)));
            }
            out.flush();
            return 0;
        }

        static String line(ReviewRequest r) {
            Judgment j = r.judgment();
            String verdict = switch (j.kind()) {
                case CORRECT -> Boolean.TRUE.equals(j.correct()) ? "correct" : "wrong";
                case PAIRWISE ->
                    j.pairwise() == null
                            ? "-"
                            : j.pairwise().outcome().wireName() + " vs "
                                    + j.pairwise().baselineModel();
                case PREFERENCE -> j.preference() + " vs " + ReviewLabels.baselineOf(j);
                case SCORE -> j.score() == null ? "-" : String.valueOf(j.score().value());
            };
            return String.join(
                    "  ",
                    j.benchmark(),
                    "--item " + j.itemId(),
                    "--model " + j.subject().modelId(),
                    "judge " + j.judge().id(),
                    "said " + verdict,
                    String.join(",", r.reasons()));
        }
    }

    /** {@code assay review label}. */
    @Command(
            name = "label",
            mixinStandardHelpOptions = true,
            description = {
                "Answer the pending review of --item's answer by --model with --label, published to assay.judgments "
                        + "as a judgment with origin human under the judge id human (or human:<--reviewer>).",
                "Labels: correct|wrong (reference judgments); much_better|better|tie|worse|much_worse or "
                        + "win|loss (pairwise, the model's side); win|tie|loss (preference); a number (score).",
                "Exit code: 0 published, 1 no such pending review, several (narrow with --benchmark, --baseline, "
                        + "--judge) or a label that does not fit."
            })
    static final class Label implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Option(names = "--item", required = true, description = "The item.")
        String item;

        @Option(names = "--model", required = true, description = "The model whose answer is reviewed.")
        String model;

        @Option(names = "--label", required = true, description = "The human's verdict (see above).")
        String label;

        @Option(names = "--benchmark", description = "The benchmark, when item ids repeat across benchmarks.")
        String benchmark;

        @Option(names = "--baseline", description = "The baseline, when the answer was compared with several.")
        String baseline;

        @Option(names = "--judge", description = "The reviewed judge's id, when several judges asked.")
        String judge;

        @Option(names = "--reviewer", description = "Who labels: the judge id becomes human:<reviewer>.")
        String reviewer;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<ReviewRequest> found =
                    ReviewLabels.matching(pending(connection.bootstrap), benchmark, item, model, baseline).stream()
                            .filter(r -> judge == null
                                    || judge.equals(r.judgment().judge().id()))
                            .toList();
            if (found.size() != 1) {
                err.println(
                        found.isEmpty()
                                ? "no pending review of item " + item + " answered by " + model + " (assay review list)"
                                : found.size()
                                        + " pending reviews match; narrow with --benchmark, --baseline or --judge:");
                found.forEach(r -> err.println("  " + ListPending.line(r)));
                err.flush();
                return 1;
            }
            Judgment human;
            try {
                human = ReviewLabels.label(found.get(0), reviewer, label, Instant.now());
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                err.flush();
                return 1;
            }
            List<String> violations =
                    EventType.JUDGMENT.violations(Json.mapper().valueToTree(human));
            if (!violations.isEmpty()) {
                err.println("the label is not a valid judgment: " + String.join("; ", violations));
                err.flush();
                return 1;
            }
            try (Publisher publisher = new Publisher(connection.bootstrap)) {
                publisher.sendAndWait(Topics.JUDGMENTS, human.key(), human);
            }
            out.println("labelled " + human.key() + " " + model + " as " + label + " (judge "
                    + human.judge().id() + ", judgment " + human.judgmentId() + ")");
            out.flush();
            return 0;
        }
    }
}
