package io.assay.aggregator.rest;

import io.assay.aggregator.leaderboard.ViewTooLargeException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A view refused for the size of its input (more slots than the heap holds, …): 422 with why, not a crash. */
@Provider
public class ViewTooLargeMapper implements ExceptionMapper<ViewTooLargeException> {
    @Override
    public Response toResponse(ViewTooLargeException e) {
        int status = 422;
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, e.getMessage(), null))
                .build();
    }
}
