package io.assay.aggregator.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.contracts.EventType;
import io.assay.contracts.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas of every event, for producers: {@code GET /schemas} lists them, {@code GET
 * /schemas/<name>} serves one. A served schema's {@code $id} is the URL it was served from, so the
 * schemas' relative {@code $ref}s ({@code common.schema.json#/$defs/...}) resolve on this server too;
 * in the sources (and inside the services, which validate against them) the {@code $id}s stay under
 * {@code https://assay.io/schemas/}, an identifier rather than an address.
 */
@Path("/schemas")
public class SchemaResource {
    /** The media type of JSON Schema documents. */
    static final String SCHEMA_JSON = "application/schema+json";

    private static final String COMMON = "common.schema.json";
    private static final Map<String, ObjectNode> SCHEMAS = load();

    @Context
    UriInfo uri;

    /** Every schema: its name, title and URL. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Listed> list() {
        List<Listed> out = new ArrayList<>();
        SCHEMAS.forEach(
                (name, schema) -> out.add(new Listed(name, schema.path("title").asText(null), url(name))));
        return out;
    }

    /** One schema with its {@code $id} set to where it is served; 404 for an unknown name. */
    @GET
    @Path("{name}")
    @Produces({SCHEMA_JSON, MediaType.APPLICATION_JSON})
    public Response schema(@PathParam("name") String name) {
        ObjectNode schema = SCHEMAS.get(name);
        if (schema == null) {
            int code = Response.Status.NOT_FOUND.getStatusCode();
            return Response.status(code)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError(code, "no schema '" + name + "'; known: " + SCHEMAS.keySet(), null))
                    .build();
        }
        ObjectNode served = schema.deepCopy();
        served.put("$id", url(name));
        return Response.ok(served).type(SCHEMA_JSON).build();
    }

    private String url(String name) {
        return uri.getBaseUriBuilder().path("schemas").path(name).build().toString();
    }

    /**
     * A schema in the list.
     *
     * @param name its file name
     * @param title its title (the event type)
     * @param url where it is served
     */
    public record Listed(String name, String title, String url) {}

    private static Map<String, ObjectNode> load() {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (EventType type : EventType.values()) {
            String resource = type.schemaResource();
            out.put(resource.substring(resource.lastIndexOf('/') + 1), read(resource));
        }
        out.put(COMMON, read("/schemas/" + COMMON));
        return out;
    }

    private static ObjectNode read(String resource) {
        try (InputStream in = EventType.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is not on the classpath");
            }
            return (ObjectNode) Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
