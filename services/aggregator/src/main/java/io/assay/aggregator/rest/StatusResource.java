package io.assay.aggregator.rest;

import io.assay.aggregator.leaderboard.CallTally;
import io.assay.aggregator.messaging.LeaderboardReader;
import io.assay.aggregator.messaging.PipelineStatus;
import io.assay.aggregator.messaging.PipelineStatus.BreakerOpen;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/** The pipeline's health as a user sees it: lag per stage, recent dead letters, open breakers. */
@Path("/api/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    /**
     * How recent a breaker's refusal must be to count as open: the invoker's breaker stays open 10 s by
     * default before a probe, and refuses every call meanwhile; a minute covers a few probes that fail.
     */
    static final Duration BREAKER_WINDOW = Duration.ofMinutes(1);

    private final PipelineStatus status;
    private final LeaderboardReader reader;

    /** Serves what {@code status} reads from the broker, and the breakers the call tallies of {@code reader} show. */
    public StatusResource(PipelineStatus status, LeaderboardReader reader) {
        this.status = status;
        this.reader = reader;
    }

    /**
     * Lag of each stage's consumer group on its input topics, the dead letters of the last hour (count
     * and the latest reasons); 503 when the broker does not answer.
     */
    @GET
    public Response status() {
        try {
            PipelineStatus.Status now = status.now();
            return Response.ok(now.withBreakers(breakers(now.asOf()))).build();
        } catch (PipelineStatus.StatusUnavailableException e) {
            int code = Response.Status.SERVICE_UNAVAILABLE.getStatusCode();
            return Response.status(code)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError(code, "status unavailable: " + e.getMessage(), null))
                    .build();
        }
    }

    /**
     * The models whose latest failure, in the last {@link #BREAKER_WINDOW}, is a refusal by an open circuit
     * breaker with nothing answered since; {@code null} while the tallies cannot be read.
     */
    private List<BreakerOpen> breakers(Instant now) {
        Map<String, Map<String, CallTally>> tallies;
        try {
            tallies = reader.tallies();
        } catch (InvalidStateStoreException | IllegalStateException e) {
            return null;
        }
        Map<String, BreakerOpen> byModel = new TreeMap<>();
        tallies.forEach((benchmark, models) -> models.forEach((model, tally) -> {
            if (tally.breakerOpen(now, BREAKER_WINDOW)) {
                BreakerOpen open = new BreakerOpen(
                        model,
                        benchmark,
                        tally.lastError().at(),
                        tally.lastError().message());
                byModel.merge(model, open, (a, b) -> a.since().isAfter(b.since()) ? a : b);
            }
        }));
        List<BreakerOpen> out = new ArrayList<>(byModel.values());
        out.sort(Comparator.comparing(BreakerOpen::model));
        return out;
    }
}
