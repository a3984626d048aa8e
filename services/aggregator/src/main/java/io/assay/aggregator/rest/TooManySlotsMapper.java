package io.assay.aggregator.rest;

import io.assay.aggregator.messaging.TooManySlotsException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A view that would read more slots than the heap holds: 422 with why, not a crash. */
@Provider
public class TooManySlotsMapper implements ExceptionMapper<TooManySlotsException> {
    @Override
    public Response toResponse(TooManySlotsException e) {
        int status = 422;
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, e.getMessage(), null))
                .build();
    }
}
