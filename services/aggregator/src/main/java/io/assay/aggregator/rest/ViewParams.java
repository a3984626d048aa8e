package io.assay.aggregator.rest;

import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters of a leaderboard view, the same for {@code GET …/leaderboard} and its SSE
 * stream; see the README's "Leaderboard API".
 */
public class ViewParams {
    @QueryParam("view")
    @DefaultValue("accuracy")
    String view;

    @QueryParam("of")
    String of;

    // The numbers and flags are read as text and parsed here: a value JAX-RS could not convert would be a 404 with
    // no body (the specification's answer for a query parameter), and "yes" a silent false. OpenAPI gives their types.
    @QueryParam("k")
    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "-1"))
    String k;

    @QueryParam("baseline")
    String baseline;

    @QueryParam("anchor")
    String anchor;

    @QueryParam("window")
    String window;

    @QueryParam("postCutoff")
    @Parameter(schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
    String postCutoff;

    @QueryParam("stability")
    @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "100"))
    String stability;

    @QueryParam("judge")
    String judge;

    /** The query these parameters ask for; {@link BadRequestException} with the reason when one is invalid. */
    ViewQuery query() {
        View known = View.byName(view)
                .orElseThrow(() -> new BadRequestException(
                        "unknown view '" + view + "'; views: " + String.join(", ", View.names())));
        View base = null;
        if (of != null) {
            base = View.byName(of)
                    .orElseThrow(() -> new BadRequestException(
                            "unknown view '" + of + "'; views: " + String.join(", ", View.names())));
        }
        Integer penalty = integer("k", k, null);
        if (penalty != null && penalty < -1) {
            throw new BadRequestException("k must be -1 (no length penalty) or at least 0, got " + penalty);
        }
        int lag = integer("stability", stability, ViewQuery.DEFAULT_LAG);
        if (lag < 0) {
            throw new BadRequestException("stability must be at least 0, got " + lag);
        }
        return new ViewQuery(
                known,
                base,
                penalty,
                blank(baseline),
                blank(anchor),
                window(window),
                flag("postCutoff", postCutoff) || known == View.POST_CUTOFF,
                lag,
                blank(judge));
    }

    /** The integer {@code text} of parameter {@code name}, {@code absent} when it is not given. */
    static Integer integer(String name, String text, Integer absent) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be an integer, got '" + text + "'");
        }
    }

    /** {@code true} or {@code false} (any case; false when not given). */
    static boolean flag(String name, String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException(name + " must be true or false, got '" + text + "'");
        };
    }

    /** {@code 30d}, {@code 12h}, {@code 90m} or an ISO-8601 duration ({@code P30D}). */
    static Duration window(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d+[dhm]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofMinutes(n);
                };
            }
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new BadRequestException("window must be like 30d, 12h, 90m or P30D, got '" + text + "'");
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
