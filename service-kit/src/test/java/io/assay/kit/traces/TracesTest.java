package io.assay.kit.traces;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.kit.ServiceIdentity;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** How a service reads a record's {@code traceparent} and writes the one of what it emits. */
class TracesTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_ID = "00f067aa0ba902b7";
    private static final Traces TRACES = Traces.propagating(new ServiceIdentity("test", "local"));

    @AfterAll
    static void close() {
        TRACES.close();
    }

    @Test
    void aValidTraceparentIsContinuedUnderANewSpan() {
        // Given a record whose producer was in a sampled trace
        Headers in = headers("00-" + TRACE_ID + "-" + PARENT_ID + "-01");

        // When it is handled and a record emitted under it
        Headers out = new RecordHeaders();
        try (Trace trace = TRACES.handling("assay.items", in)) {
            trace.stamp(out);

            // Then the trace goes on with a span of its own, which the emitted record names as its parent
            assertThat(trace.traceId()).isEqualTo(TRACE_ID);
            assertThat(trace.spanId()).matches("[0-9a-f]{16}").isNotEqualTo(PARENT_ID);
            assertThat(traceparent(out)).isEqualTo("00-" + TRACE_ID + "-" + trace.spanId() + "-01");
        }
    }

    @Test
    void anUnsampledTraceIsContinuedAndStaysUnsampled() {
        Headers out = new RecordHeaders();
        try (Trace trace = TRACES.handling("assay.items", headers("00-" + TRACE_ID + "-" + PARENT_ID + "-00"))) {
            trace.stamp(out);
            assertThat(traceparent(out)).isEqualTo("00-" + TRACE_ID + "-" + trace.spanId() + "-00");
        }
    }

    @Test
    void aRecordWithoutTraceparentStartsANewTrace() {
        Headers out = new RecordHeaders();
        try (Trace first = TRACES.handling("assay.items", new RecordHeaders());
                Trace second = TRACES.handling("assay.items", null)) {
            first.stamp(out);
            assertThat(first.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(second.traceId());
            assertThat(traceparent(out)).isEqualTo("00-" + first.traceId() + "-" + first.spanId() + "-01");
        }
    }

    @Test
    void anInvalidTraceparentIsIgnoredAndANewTraceStarted() {
        for (String invalid : new String[] {
            "garbage",
            "",
            "00-" + TRACE_ID + "-" + PARENT_ID, // no flags
            "00-00000000000000000000000000000000-" + PARENT_ID + "-01", // all-zero trace id
            "00-" + TRACE_ID + "-0000000000000000-01", // all-zero parent id
            "00-" + TRACE_ID.toUpperCase() + "-" + PARENT_ID + "-01", // upper case
            "ff-" + TRACE_ID + "-" + PARENT_ID + "-01", // forbidden version
            "00-" + TRACE_ID + "-" + PARENT_ID + "-01-extra" // version 00 has exactly four parts
        }) {
            try (Trace trace = TRACES.handling("assay.items", headers(invalid))) {
                assertThat(trace.traceId()).as(invalid).matches("[0-9a-f]{32}").isNotEqualTo(TRACE_ID);
            }
        }
    }

    @Test
    void theLastTraceparentOfARecordCounts() {
        Headers in = headers("garbage");
        in.add(Traces.TRACEPARENT, ("00-" + TRACE_ID + "-" + PARENT_ID + "-01").getBytes(StandardCharsets.UTF_8));
        try (Trace trace = TRACES.handling("assay.items", in)) {
            assertThat(trace.traceId()).isEqualTo(TRACE_ID);
        }
    }

    @Test
    void stampingReplacesATraceparentAlreadyThere() {
        Headers out = headers("00-" + TRACE_ID + "-" + PARENT_ID + "-01");
        try (Trace trace = TRACES.root("backfill")) {
            trace.stamp(out);
            assertThat(out.headers(Traces.TRACEPARENT)).hasSize(1);
            assertThat(traceparent(out)).contains(trace.traceId()).doesNotContain(TRACE_ID);
        }
    }

    @Test
    void logLinesCarryTheTraceIdWhileTheRecordIsHandled() {
        // Given a thread whose MDC names another trace
        MDC.put(Trace.MDC_TRACE_ID, "outer");
        try {
            // When a record is handled, then its trace id is in the MDC; after, the outer one again
            try (Trace trace = TRACES.handling("assay.items", headers("00-" + TRACE_ID + "-" + PARENT_ID + "-01"))) {
                assertThat(MDC.get(Trace.MDC_TRACE_ID)).isEqualTo(TRACE_ID);
                assertThat(MDC.get(Trace.MDC_SPAN_ID)).isEqualTo(trace.spanId());
            }
            assertThat(MDC.get(Trace.MDC_TRACE_ID)).isEqualTo("outer");
            assertThat(MDC.get(Trace.MDC_SPAN_ID)).isNull();
        } finally {
            MDC.remove(Trace.MDC_TRACE_ID);
        }
    }

    @Test
    void theCollectorUrlIsTheBaseUrlWithTheTracesPath() {
        assertThat(Traces.tracesUrl("http://collector:4318")).isEqualTo("http://collector:4318/v1/traces");
        assertThat(Traces.tracesUrl("http://collector:4318/")).isEqualTo("http://collector:4318/v1/traces");
        assertThat(Traces.tracesUrl("http://c:4318/v1/traces")).isEqualTo("http://c:4318/v1/traces");
    }

    @Test
    void noSpanLeavesTheProcessWithoutAnEndpoint() {
        ServiceIdentity identity = new ServiceIdentity("test", "local");
        try (Traces blank = new Traces(identity, java.util.Optional.of("  "))) {
            assertThat(blank.exporting()).isFalse();
        }
        assertThat(TRACES.exporting()).isFalse();
    }

    static Headers headers(String traceparent) {
        Headers headers = new RecordHeaders();
        headers.add(Traces.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    static String traceparent(Headers headers) {
        return new String(headers.lastHeader(Traces.TRACEPARENT).value(), StandardCharsets.UTF_8);
    }
}
