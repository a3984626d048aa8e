package io.assay.kit.traces;

import io.assay.kit.ServiceIdentity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The traces of this service: every record it handles is one span, the child of the span its producer
 * named in the record's W3C {@value #TRACEPARENT} header, and every record it emits while handling one
 * carries a {@code traceparent} with the same trace id and that span's id. A record without the header
 * (an item published by kcat), or with one that is not a valid W3C {@code traceparent}, starts a new
 * trace: a bad header is never a reason to refuse an event. Spans are exported over OTLP/HTTP when
 * {@code assay.traces.otlp-endpoint} (or {@code OTEL_EXPORTER_OTLP_ENDPOINT}) names a collector, and
 * dropped otherwise; the headers are written either way, so a trace id always follows an item.
 *
 * <p>Why the plain SDK and not Quarkus OpenTelemetry, and what the spans are: docs/traces.md.
 */
public final class Traces implements AutoCloseable {
    /** The W3C Trace Context header, carried by every event a service emits. */
    public static final String TRACEPARENT = "traceparent";

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> SERVICE_INSTANCE = AttributeKey.stringKey("service.instance.id");
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final boolean exporting;

    /** Traces of {@code identity} whose spans are not exported: only the headers carry them. */
    public static Traces propagating(ServiceIdentity identity) {
        return new Traces(identity, Optional.empty());
    }

    /**
     * Traces of {@code identity}, exported to the OTLP/HTTP collector at {@code otlpEndpoint} (its base
     * URL, e.g. {@code http://collector:4318}, or its traces URL ending in {@code /v1/traces}) when present.
     */
    public Traces(ServiceIdentity identity, Optional<String> otlpEndpoint) {
        SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(
                                SERVICE_NAME, "assay-" + identity.name(), SERVICE_INSTANCE, identity.instanceId()))));
        Optional<String> endpoint = otlpEndpoint.map(String::strip).filter(e -> !e.isEmpty());
        endpoint.ifPresent(e -> builder.addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                        .setEndpoint(tracesUrl(e))
                        .setTimeout(Duration.ofSeconds(10))
                        .build())
                .build()));
        this.exporting = endpoint.isPresent();
        this.provider = builder.build();
        this.tracer = provider.get("io.assay.kit.traces");
    }

    /** The OTLP/HTTP traces URL of a collector given by its base URL or by that URL itself. */
    static String tracesUrl(String endpoint) {
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return base.endsWith("/v1/traces") ? base : base + "/v1/traces";
    }

    /** Whether spans leave the process (an OTLP endpoint is configured). */
    public boolean exporting() {
        return exporting;
    }

    /**
     * The span of handling a record read from {@code topic} with {@code headers} ({@code null} for none):
     * a child of the span its {@code traceparent} names, or the root of a new trace when it has none or
     * an invalid one. Close it when the record is handled; until then the log lines of this thread carry
     * its trace id.
     */
    public Trace handling(String topic, Headers headers) {
        Context parent = headers == null ? Context.root() : W3C.extract(Context.root(), headers, HeaderGetter.INSTANCE);
        return new Trace(tracer.spanBuilder("process " + topic)
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, topic)
                .setAttribute(OPERATION, "process")
                .startSpan());
    }

    /**
     * The root span of a new trace for work no record started (the prompt generator's back-fill of a new
     * model over stored items), named {@code name}.
     */
    public Trace root(String name) {
        return new Trace(tracer.spanBuilder(name)
                .setNoParent()
                .setSpanKind(SpanKind.PRODUCER)
                .startSpan());
    }

    /** Writes {@code span}'s {@code traceparent} (and {@code tracestate}, if any) into {@code headers}. */
    static void inject(Span span, Headers headers) {
        W3C.inject(Context.root().with(span), headers, (carrier, key, value) -> {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        });
    }

    /** Sends the spans not exported yet and stops the exporter. */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    /** Reads W3C headers from Kafka headers (the last value of a repeated header). */
    private enum HeaderGetter implements TextMapGetter<Headers> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header header : headers) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    }
}
