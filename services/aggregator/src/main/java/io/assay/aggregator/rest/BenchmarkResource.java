package io.assay.aggregator.rest;

import io.assay.aggregator.leaderboard.BenchmarkSummary;
import io.assay.aggregator.leaderboard.Call;
import io.assay.aggregator.leaderboard.CallSummary;
import io.assay.aggregator.leaderboard.CallTally;
import io.assay.aggregator.leaderboard.ModelDetail;
import io.assay.aggregator.leaderboard.Slot;
import io.assay.aggregator.leaderboard.UnknownParameterException;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import io.assay.aggregator.leaderboard.ViewTooLargeException;
import io.assay.aggregator.messaging.LeaderboardReader;
import io.assay.aggregator.messaging.SnapshotHistory;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Benchmarks and their leaderboards. */
@Path("/api/benchmarks")
@Produces(MediaType.APPLICATION_JSON)
public class BenchmarkResource {
    /** The largest page of {@code GET …/items}. */
    static final int MAX_LIMIT = 500;

    private final LeaderboardReader reader;
    private final SnapshotStreams streams;
    private final SnapshotHistory history;

    /**
     * Serves what {@code reader} reads; streams through {@code streams}; the score over time from
     * {@code history}.
     */
    public BenchmarkResource(LeaderboardReader reader, SnapshotStreams streams, SnapshotHistory history) {
        this.reader = reader;
        this.streams = streams;
        this.history = history;
    }

    /** Every benchmark with judgments, sorted by name. */
    @GET
    public List<BenchmarkSummary> benchmarks() {
        return reader.benchmarks();
    }

    /**
     * One view of a benchmark's leaderboard: 400 for an unknown view, judge or baseline or a bad
     * parameter, 404 for an unknown benchmark (each answer lists what exists). See the README's "Leaderboard API" for the parameters.
     */
    @GET
    @Path("{benchmark}/leaderboard")
    public Response leaderboard(@PathParam("benchmark") String benchmark, @BeanParam ViewParams params) {
        ViewQuery query;
        try {
            query = params.query();
        } catch (BadRequestException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage(), View.names());
        }
        Optional<LeaderboardSnapshot> snapshot = reader.leaderboard(benchmark, query);
        return snapshot.map(s -> Response.ok(s).build()).orElseGet(() -> unknownBenchmark(benchmark));
    }

    /**
     * 404 naming the benchmarks that exist (with judgments, or registered): a typo should not look
     * like a benchmark still waiting for its first judgment.
     */
    private Response unknownBenchmark(String benchmark) {
        List<String> withJudgments = reader.benchmarkNames();
        if (reader.spec(benchmark) != null) {
            return error(
                    Response.Status.NOT_FOUND,
                    "benchmark '" + benchmark + "' is registered but has no judgments yet; with judgments: "
                            + (withJudgments.isEmpty() ? "none" : String.join(", ", withJudgments)),
                    null,
                    withJudgments);
        }
        TreeSet<String> known = new TreeSet<>(withJudgments);
        known.addAll(reader.registeredBenchmarks());
        return error(
                Response.Status.NOT_FOUND,
                "unknown benchmark '" + benchmark + "'; known: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)),
                null,
                List.copyOf(known));
    }

    /**
     * One model's detail: its row in every view (default settings), its regression and its failures;
     * 404 when the model has neither a judgment nor an evaluation call on the benchmark.
     */
    @GET
    @Path("{benchmark}/models/{model}")
    public Response model(@PathParam("benchmark") String benchmark, @PathParam("model") String model) {
        // Counted, not held: a model with most of a long history's judgments would take the heap the views need.
        long judgments = reader.count(benchmark, s -> s.modelId().equals(model));
        CallTally tally = reader.tallies(benchmark).getOrDefault(model, CallTally.EMPTY);
        if (judgments == 0 && tally.answered() + tally.failed() == 0) {
            // A model whose calls all failed has no judgment but a page: its failures.
            return error(
                    Response.Status.NOT_FOUND, "no judgments or calls of '" + model + "' on '" + benchmark + "'", null);
        }
        Map<String, LeaderboardSnapshot.Row> views = new LinkedHashMap<>();
        for (View v : View.values()) {
            try {
                reader.leaderboard(benchmark, ViewQuery.of(v))
                        .flatMap(s -> s.rows().stream()
                                .filter(r -> r.modelId().equals(model))
                                .findFirst())
                        .ifPresent(r -> views.put(v.wireName(), r));
            } catch (ViewTooLargeException e) {
                // A view of every slot of a history longer than the heap holds (or the like): left out of the page.
            }
        }
        ModelSpec spec = reader.models().get(model);
        return Response.ok(new ModelDetail(
                        benchmark,
                        model,
                        spec != null && spec.simulated(),
                        spec == null ? null : spec.knowledgeCutoff(),
                        spec == null ? null : spec.previousVersion(),
                        judgments,
                        views,
                        CallSummary.of(reader.calls(benchmark, model)),
                        tally.answered(),
                        tally.failed(),
                        tally.failures(),
                        tally.lastError()))
                .build();
    }

    /**
     * Per-item drill-down: every verdict that counts on the item (one per model, variant, judge and
     * baseline), unparseable ones included, with the judge's rationale and the answer judged; 404
     * when the item has none.
     */
    @GET
    @Path("{benchmark}/items/{item}")
    public Response item(@PathParam("benchmark") String benchmark, @PathParam("item") String item) {
        List<Slot> slots = reader.slots(benchmark, item);
        if (slots.isEmpty()) {
            return error(Response.Status.NOT_FOUND, "no judgments of item '" + item + "' on '" + benchmark + "'", null);
        }
        List<ItemVerdict> verdicts = slots.stream()
                .map(s -> {
                    Call call = reader.call(benchmark, s.modelId(), s.requestId());
                    return call == null
                            ? new ItemVerdict(s, null, null)
                            : new ItemVerdict(s, call.output(), call.traceId());
                })
                .toList();
        return Response.ok(verdicts).build();
    }

    /**
     * The item itself as last published on {@code assay.items} (its latest revision: input, choices,
     * reference, categories, tags, metadata); 404 when the aggregator has not read it.
     */
    @GET
    @Path("{benchmark}/items/{item}/source")
    public Response itemSource(@PathParam("benchmark") String benchmark, @PathParam("item") String item) {
        return reader.item(benchmark, item)
                .map(i -> Response.ok(i).build())
                .orElseGet(() -> error(
                        Response.Status.NOT_FOUND,
                        "item '" + item + "' of '" + benchmark + "' is not on assay.items",
                        null));
    }

    /**
     * The benchmark's items, one page at a time in item id order: {@code offset} from 0, {@code limit} 1 to
     * {@value #MAX_LIMIT} (default 50); 404 for a benchmark without judgments.
     */
    @GET
    @Path("{benchmark}/items")
    public Response items(
            @PathParam("benchmark") String benchmark,
            @QueryParam("offset")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
                    String offsetText,
            @QueryParam("limit")
                    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "50"))
                    String limitText) {
        int offset;
        int limit;
        try {
            offset = ViewParams.integer("offset", offsetText, 0);
            limit = ViewParams.integer("limit", limitText, 50);
        } catch (BadRequestException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage(), null);
        }
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "offset must be at least 0 and limit between 1 and " + MAX_LIMIT + ", got " + offset + " and "
                            + limit,
                    null);
        }
        return reader.items(benchmark, offset, limit)
                .map(page -> Response.ok(page).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "unknown benchmark '" + benchmark + "'", null));
    }

    /**
     * The view's published snapshots (default settings), oldest first, the last {@value
     * SnapshotHistory#LIMIT} kept since the aggregator started: score over time and stability.
     */
    @GET
    @Path("{benchmark}/history")
    public Response history(
            @PathParam("benchmark") String benchmark, @QueryParam("view") @DefaultValue("accuracy") String view) {
        if (View.byName(view).isEmpty()) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "unknown view '" + view + "'; views: " + String.join(", ", View.names()),
                    View.names());
        }
        if (!reader.has(benchmark)) {
            return error(Response.Status.NOT_FOUND, "unknown benchmark '" + benchmark + "'", null);
        }
        return Response.ok(history.of(benchmark, view)).build();
    }

    /**
     * A verdict on an item with the answer it judged.
     *
     * @param verdict the verdict (with the judge's rationale)
     * @param answer the judged answer from {@code assay.responses}, {@code null} when not seen
     * @param traceId the W3C trace id of the answer's response, which its prompt and judgments share
     *     (docs/traces.md); {@code null} when the answer was not seen or carried no trace
     */
    public record ItemVerdict(Slot verdict, String answer, String traceId) {}

    /**
     * Server-Sent Events: the view now, then again whenever it changes (checked when the benchmark's
     * judgments change, at most every 20 ms). Each event is a whole snapshot. Every subscriber of every
     * view is served by one thread, and subscribers of the same view share one computation
     * ({@link SnapshotStreams}).
     */
    @GET
    @Path("{benchmark}/leaderboard/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<LeaderboardSnapshot> stream(@PathParam("benchmark") String benchmark, @BeanParam ViewParams params) {
        ViewQuery query;
        try {
            query = params.query();
        } catch (BadRequestException e) {
            throw new WebApplicationException(error(Response.Status.BAD_REQUEST, e.getMessage(), View.names()));
        }
        refuseUnknown(benchmark, query);
        return Multi.createFrom().emitter(emitter -> streams.subscribe(benchmark, query, emitter));
    }

    /**
     * Before streaming, the answers {@code GET …/leaderboard} would give: 400 for an unknown judge or
     * baseline, 404 for a benchmark neither judged nor registered (a registered one streams its first
     * snapshot when it comes). While the stores are not queryable the stream starts and waits.
     */
    private void refuseUnknown(String benchmark, ViewQuery query) {
        try {
            if (reader.leaderboard(benchmark, query).isEmpty() && reader.spec(benchmark) == null) {
                throw new WebApplicationException(unknownBenchmark(benchmark));
            }
        } catch (UnknownParameterException e) {
            throw new WebApplicationException(UnknownParameterMapper.answer(e));
        } catch (InvalidStateStoreException e) {
            // Starting or rebalancing: the stream's own loop waits for the state.
        }
    }

    private static Response error(Response.Status status, String message, List<String> views) {
        return error(status, message, views, null);
    }

    private static Response error(Response.Status status, String message, List<String> views, List<String> known) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status.getStatusCode(), message, views, known))
                .build();
    }
}
