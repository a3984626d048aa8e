package io.assay.kit.traces;

import io.assay.contracts.CloudEvents;
import io.assay.contracts.EventType;
import io.assay.kit.ServiceIdentity;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What tracing adds to a service's start (the SDK's first use) and to one handled record without export: reading its {@code traceparent}, a span,
 * the MDC, and stamping one emitted record, against writing the CloudEvents headers alone, measured in
 * the same run. Prints figures, asserts nothing: {@code ./mvnw -o test -pl service-kit
 * -Dtest=TraceOverheadBenchmark -Dassay.bench=traces}.
 */
@EnabledIfSystemProperty(named = "assay.bench", matches = "traces")
class TraceOverheadBenchmark {
    private static final int RECORDS = 2_000_000;

    @Test
    void nanosecondsPerRecord() {
        Headers in = new RecordHeaders();
        in.add(
                Traces.TRACEPARENT,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        org.jboss.logging.MDC.put("warm", "up"); // the log manager's start is not the SDK's
        long created = System.nanoTime();
        try (Traces traces = Traces.propagating(new ServiceIdentity("bench", "local"))) {
            long built = System.nanoTime();
            try (Trace first = traces.handling("assay.items", in)) {
                System.out.printf(
                        "first Traces in this JVM (class loading included): %.1f ms, its first span %.1f ms%n",
                        (built - created) / 1e6, (System.nanoTime() - built) / 1e6);
            }
            for (int round = 0; round < 3; round++) {
                long sink = 0;
                long start = System.nanoTime();
                for (int i = 0; i < RECORDS; i++) {
                    sink += CloudEvents.headers(EventType.PROMPT_REQUEST, "id", "/assay/bench")
                            .toArray()
                            .length;
                }
                double headersOnly = (System.nanoTime() - start) / (double) RECORDS;
                start = System.nanoTime();
                for (int i = 0; i < RECORDS; i++) {
                    Headers out = CloudEvents.headers(EventType.PROMPT_REQUEST, "id", "/assay/bench");
                    try (Trace trace = traces.handling("assay.items", in)) {
                        trace.stamp(out);
                    }
                    sink += out.toArray().length;
                }
                double traced = (System.nanoTime() - start) / (double) RECORDS;
                System.out.printf(
                        "round %d: CloudEvents headers %.0f ns/record, with the trace %.0f ns/record (+%.0f ns) [%d]%n",
                        round, headersOnly, traced, traced - headersOnly, sink % 10);
            }
        }
    }
}
