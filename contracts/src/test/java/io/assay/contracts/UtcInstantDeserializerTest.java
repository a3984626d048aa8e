package io.assay.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UtcInstantDeserializerTest {
    private record Stamped(Instant at) {}

    @Test
    void readsWhatAssayWritesAsJavaDoes() {
        SplittableRandom rng = new SplittableRandom(15);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(
                            rng.nextLong(-62_000_000_000L, 250_000_000_000L), rng.nextInt(1_000_000_000))
                    .truncatedTo(
                            switch (i % 4) {
                                case 0 -> java.time.temporal.ChronoUnit.SECONDS;
                                case 1 -> java.time.temporal.ChronoUnit.MILLIS;
                                case 2 -> java.time.temporal.ChronoUnit.MICROS;
                                default -> java.time.temporal.ChronoUnit.NANOS;
                            });
            String text = instant.toString();
            if (text.length() > 30 || text.startsWith("-") || text.startsWith("+")) {
                continue;
            }
            assertEquals(instant, UtcInstantDeserializer.parse(text), text);
            assertEquals(
                    instant,
                    Json.read("{\"at\":\"" + text + "\"}", Stamped.class).at(),
                    text);
        }
    }

    @Test
    void fractionsOfAnyLength() {
        assertEquals(Instant.parse("2026-12-01T23:12:15.1Z"), UtcInstantDeserializer.parse("2026-12-01T23:12:15.1Z"));
        assertEquals(
                Instant.parse("2026-12-01T23:12:15.12345Z"),
                UtcInstantDeserializer.parse("2026-12-01T23:12:15.12345Z"));
        assertEquals(
                Instant.parse("2026-12-01T23:12:15.000000001Z"),
                UtcInstantDeserializer.parse("2026-12-01T23:12:15.000000001Z"));
    }

    @Test
    void otherFormsGoToJacksonWhichReadsOrRefusesThem() {
        for (String other : new String[] {
            "2026-12-01T23:12:15+02:00", "2026-12-01t23:12:15z", "2026-12-01T23:12:15.Z", "2026-02-30T00:00:00Z",
            "2026-12-01T24:00:00Z", "2026-12-01T23:60:00Z", "2026-12-01T23:59:60Z", "2026-12-01 23:12:15Z",
            "2026-12-01T23:12:15.1234567890Z", "2026-1x-01T23:12:15Z", "", "yesterday"
        }) {
            assertNull(UtcInstantDeserializer.parse(other), other);
        }
        assertEquals(
                Instant.parse("2026-12-01T21:12:15Z"),
                Json.read("{\"at\":\"2026-12-01T23:12:15+02:00\"}", Stamped.class)
                        .at());
        assertEquals(
                Instant.parse("2026-12-01T23:12:15Z"),
                Json.read("{\"at\":\"2026-12-01t23:12:15z\"}", Stamped.class).at());
        assertEquals(
                Instant.ofEpochSecond(1_700_000_000L),
                Json.read("{\"at\":1700000000}", Stamped.class).at());
        assertThrows(RuntimeException.class, () -> Json.read("{\"at\":\"2026-02-30T00:00:00Z\"}", Stamped.class));
        assertThrows(RuntimeException.class, () -> Json.read("{\"at\":\"yesterday\"}", Stamped.class));
    }
}
