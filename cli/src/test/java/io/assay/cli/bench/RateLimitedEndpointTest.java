package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitedEndpointTest {

    @Test
    void aSlidingWindowAcceptsAtMostRInASecondAndRefusesTheRestAtOnceWithRetryAfterOne() throws Exception {
        // Given an endpoint that accepts 10 requests in any second and sends the rate-limit headers
        try (RateLimitedEndpoint endpoint = new RateLimitedEndpoint(0, 10, RateLimitedEndpoint.Window.SLIDING, true)) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"fake\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build();

            // When 15 requests arrive back to back (well within a second)
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                responses.add(http.send(request, HttpResponse.BodyHandlers.ofString()));
            }

            // Then the first 10 are answered, counting the budget down, and 5 refused with Retry-After: 1
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = responses.get(i);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).contains("10");
                assertThat(r.headers().firstValue("x-ratelimit-remaining-requests"))
                        .contains(Integer.toString(9 - i));
                // The newest admission is this one: the whole budget is back in a second
                assertThat(r.headers().firstValue("x-ratelimit-reset-requests")).contains("1s");
            }
            for (int i = 10; i < 15; i++) {
                HttpResponse<String> r = responses.get(i);
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.headers().firstValue("Retry-After")).contains("1");
                assertThat(r.headers().firstValue("retry-after-ms")).isEmpty();
                assertThat(r.headers().firstValue("x-ratelimit-remaining-requests"))
                        .contains("0");
            }
            assertThat(endpoint.answered()).isEqualTo(10);
            assertThat(endpoint.refused()).isEqualTo(5);
        }
    }

    @Test
    void resetsArePrintedAsGoDurations() {
        assertThat(RateLimitedEndpoint.goDuration(20_000_000L)).isEqualTo("20ms");
        assertThat(RateLimitedEndpoint.goDuration(999_000_001L)).isEqualTo("1s");
        assertThat(RateLimitedEndpoint.goDuration(1_000_000_000L)).isEqualTo("1s");
        assertThat(RateLimitedEndpoint.goDuration(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(RateLimitedEndpoint.goDuration(-5L)).isEqualTo("0ms");
    }
}
