package io.assay.aggregator.rest;

import io.assay.aggregator.config.AggregatorConfig;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * While Kafka Streams starts or rebalances its stores cannot be queried; that is temporary, so
 * clients get 503 with Retry-After rather than a 500.
 */
@Provider
public class StoresUnavailableMapper implements ExceptionMapper<InvalidStateStoreException> {
    private final AggregatorConfig config;

    /** Tells clients to retry after {@code config.retryAfterSeconds()}. */
    public StoresUnavailableMapper(AggregatorConfig config) {
        this.config = config;
    }

    @Override
    public Response toResponse(InvalidStateStoreException e) {
        int status = Response.Status.SERVICE_UNAVAILABLE.getStatusCode();
        return Response.status(status)
                .header(HttpHeaders.RETRY_AFTER, config.retryAfterSeconds())
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, "leaderboards are not queryable yet (" + e.getMessage() + ")", null))
                .build();
    }
}
