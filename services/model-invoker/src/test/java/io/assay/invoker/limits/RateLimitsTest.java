package io.assay.invoker.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    private static final double NOW = 1_800_000_000.0;

    @Test
    void resetsAreReadInOpenAisDurationFormatInSecondsAndAsAUnixTime() {
        assertThat(RateLimits.duration("1s", NOW)).contains(Duration.ofSeconds(1));
        assertThat(RateLimits.duration("6m0s", NOW)).contains(Duration.ofMinutes(6));
        assertThat(RateLimits.duration("20ms", NOW)).contains(Duration.ofMillis(20));
        assertThat(RateLimits.duration("17.28s", NOW)).contains(Duration.ofMillis(17_280));
        assertThat(RateLimits.duration("1h2m3.5s", NOW)).contains(Duration.ofMillis(3_723_500));
        assertThat(RateLimits.duration("250us", NOW)).contains(Duration.ofNanos(250_000));
        // vLLM gateways and others: plain seconds
        assertThat(RateLimits.duration("2", NOW)).contains(Duration.ofSeconds(2));
        assertThat(RateLimits.duration(" 0.25 ", NOW)).contains(Duration.ofMillis(250));
        // A Unix time: the time until then
        assertThat(RateLimits.duration("1800000030", NOW)).contains(Duration.ofSeconds(30));
        // Not a duration
        assertThat(RateLimits.duration("soon", NOW)).isEmpty();
        assertThat(RateLimits.duration("1s later", NOW)).isEmpty();
        assertThat(RateLimits.duration("", NOW)).isEmpty();
    }

    @Test
    void theHeadersOfAReplyAreReadWhateverTheirCase() {
        Map<String, String> headers = Map.of(
                "x-ratelimit-limit-requests", "3000",
                "x-ratelimit-remaining-requests", "2999",
                "x-ratelimit-reset-requests", "20ms",
                "x-ratelimit-limit-tokens", "250000",
                "x-ratelimit-remaining-tokens", "249966",
                "x-ratelimit-reset-tokens", "6m0s");

        RateLimits parsed = RateLimits.parse(name -> Optional.ofNullable(headers.get(name)), NOW);

        assertThat(parsed)
                .isEqualTo(
                        new RateLimits(3000L, 2999L, Duration.ofMillis(20), 250_000L, 249_966L, Duration.ofMinutes(6)));
        assertThat(parsed.hasRequests()).isTrue();
        assertThat(parsed.hasTokens()).isTrue();
        assertThat(RateLimits.parse(name -> Optional.empty(), NOW)).isSameAs(RateLimits.NONE);
        assertThat(RateLimits.parse(name -> Optional.of("n/a"), NOW)).isSameAs(RateLimits.NONE);
    }
}
