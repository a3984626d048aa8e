package io.assay.kit.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.assay.kit.ServiceIdentity;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Spans leave the process over OTLP/HTTP when, and only when, a collector is named. */
class TraceExportTest {
    private record Request(String path, String contentType, byte[] body) {}

    @Test
    void aHandledRecordsSpanReachesTheCollector() throws Exception {
        // Given a collector (a real HTTP server answering OTLP's empty success)
        List<Request> requests = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            requests.add(new Request(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body.toByteArray()));
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        String traceId;
        try {
            // When a service configured with it handles a record and shuts down
            String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
            try (Traces traces = new Traces(new ServiceIdentity("judge", "pod-1"), Optional.of(endpoint))) {
                assertThat(traces.exporting()).isTrue();
                try (Trace trace = traces.handling("assay.responses", null)) {
                    traceId = trace.traceId();
                }
            }
        } finally {
            collector.stop(0);
        }

        // Then the collector got the span, with its trace id and the service's name
        assertThat(requests).isNotEmpty();
        Request request = requests.get(0);
        assertThat(request.path()).isEqualTo("/v1/traces");
        assertThat(request.contentType()).isEqualTo("application/x-protobuf");
        String body = HexFormat.of().formatHex(request.body());
        assertThat(body).contains(traceId);
        assertThat(new String(request.body(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("assay-judge")
                .contains("process assay.responses");
    }
}
