package io.assay.kit.traces;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.MDC;

/**
 * One span of a service's work on one record ({@link Traces#handling}) or of work no record started
 * ({@link Traces#root}). While it is open, the log lines of the thread that opened it carry its trace id
 * ({@value #MDC_TRACE_ID}) and span id ({@value #MDC_SPAN_ID}) in their MDC; closing it ends the span and
 * gives the thread its previous MDC back.
 */
public final class Trace implements AutoCloseable {
    /** The MDC key of the trace id ({@code %X{traceId}} in a log format). */
    public static final String MDC_TRACE_ID = "traceId";
    /** The MDC key of the span id. */
    public static final String MDC_SPAN_ID = "spanId";

    private final Span span;
    private final Object previousTraceId;
    private final Object previousSpanId;
    private boolean open = true;

    Trace(Span span) {
        this.span = span;
        this.previousTraceId = MDC.put(MDC_TRACE_ID, traceId());
        this.previousSpanId = MDC.put(MDC_SPAN_ID, spanId());
    }

    /** The trace's id: 32 lowercase hex digits. */
    public String traceId() {
        return span.getSpanContext().getTraceId();
    }

    /** This span's id: 16 lowercase hex digits, the parent id of what it emits. */
    public String spanId() {
        return span.getSpanContext().getSpanId();
    }

    /** Whether the span has not been closed yet. */
    public boolean isOpen() {
        return open;
    }

    /** Marks the span of a record the service refused (dead-lettered) or failed to handle. */
    public void fail(String reason) {
        span.setStatus(StatusCode.ERROR, reason);
    }

    /** Writes this span's {@code traceparent} into the headers of a record emitted under it. */
    public void stamp(Headers headers) {
        Traces.inject(span, headers);
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        span.end();
        restore(MDC_TRACE_ID, previousTraceId);
        restore(MDC_SPAN_ID, previousSpanId);
    }

    private static void restore(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
