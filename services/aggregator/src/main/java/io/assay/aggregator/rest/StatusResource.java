package io.assay.aggregator.rest;

import io.assay.aggregator.messaging.PipelineStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The pipeline's health as a user sees it: lag per stage, recent dead letters. */
@Path("/api/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    private final PipelineStatus status;

    /** Serves what {@code status} reads from the broker. */
    public StatusResource(PipelineStatus status) {
        this.status = status;
    }

    /**
     * Lag of each stage's consumer group on its input topics, the dead letters of the last hour (count
     * and the latest reasons); 503 when the broker does not answer.
     */
    @GET
    public Response status() {
        try {
            return Response.ok(status.now()).build();
        } catch (PipelineStatus.StatusUnavailableException e) {
            int code = Response.Status.SERVICE_UNAVAILABLE.getStatusCode();
            return Response.status(code)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError(code, "status unavailable: " + e.getMessage(), null))
                    .build();
        }
    }
}
