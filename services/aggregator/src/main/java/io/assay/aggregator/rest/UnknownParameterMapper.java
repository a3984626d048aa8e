package io.assay.aggregator.rest;

import io.assay.aggregator.leaderboard.UnknownParameterException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** An unknown judge or baseline is the client's mistake: 400 with the names that exist. */
@Provider
public class UnknownParameterMapper implements ExceptionMapper<UnknownParameterException> {
    @Override
    public Response toResponse(UnknownParameterException e) {
        return answer(e);
    }

    /** The 400 answer to {@code e}. */
    static Response answer(UnknownParameterException e) {
        int status = Response.Status.BAD_REQUEST.getStatusCode();
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, e.getMessage(), null, e.known()))
                .build();
    }
}
