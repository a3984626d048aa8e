package io.assay.aggregator.rest;

import io.assay.aggregator.leaderboard.BenchmarkSummary;
import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.streams.LeaderboardReader;
import io.assay.contracts.LeaderboardSnapshot;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

/** Benchmarks and their leaderboards. */
@Path("/api/benchmarks")
@Produces(MediaType.APPLICATION_JSON)
public class BenchmarkResource {
    private final LeaderboardReader reader;

    /** Serves what {@code reader} reads. */
    public BenchmarkResource(LeaderboardReader reader) {
        this.reader = reader;
    }

    /** Every benchmark with judgments, sorted by name. */
    @GET
    public List<BenchmarkSummary> benchmarks() {
        return reader.benchmarks();
    }

    /** One view of a benchmark's leaderboard: 400 for an unknown view, 404 for an unknown benchmark. */
    @GET
    @Path("{benchmark}/leaderboard")
    public Response leaderboard(@PathParam("benchmark") String benchmark,
                                @QueryParam("view") @DefaultValue("accuracy") String view) {
        Optional<View> known = View.byName(view);
        if (known.isEmpty()) {
            return error(Response.Status.BAD_REQUEST,
                    "unknown view '" + view + "'; views: " + String.join(", ", View.names()), View.names());
        }
        Optional<LeaderboardSnapshot> snapshot = switch (known.get()) {
            case ACCURACY -> reader.accuracy(benchmark);
        };
        return snapshot.map(s -> Response.ok(s).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "unknown benchmark '" + benchmark + "'", null));
    }

    private static Response error(Response.Status status, String message, List<String> views) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status.getStatusCode(), message, views)).build();
    }
}
