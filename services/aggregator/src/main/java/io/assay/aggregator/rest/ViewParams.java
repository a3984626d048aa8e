package io.assay.aggregator.rest;

import io.assay.aggregator.leaderboard.View;
import io.assay.aggregator.leaderboard.ViewQuery;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

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

    @QueryParam("k")
    Integer k;

    @QueryParam("baseline")
    String baseline;

    @QueryParam("anchor")
    String anchor;

    @QueryParam("window")
    String window;

    @QueryParam("postCutoff")
    @DefaultValue("false")
    boolean postCutoff;

    @QueryParam("stability")
    @DefaultValue("100")
    int stability;

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
        if (k != null && k < -1) {
            throw new BadRequestException("k must be -1 (no length penalty) or at least 0, got " + k);
        }
        if (stability < 0) {
            throw new BadRequestException("stability must be at least 0, got " + stability);
        }
        return new ViewQuery(
                known,
                base,
                k,
                blank(baseline),
                blank(anchor),
                window(window),
                postCutoff || known == View.POST_CUTOFF,
                stability,
                blank(judge));
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
