package io.assay.cli.api;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * HTTP clients for Assay's own services (their REST API, health and metrics), speaking HTTP/1.1. The JDK client's
 * default first offers an h2c upgrade on {@code http://}, and once, in a clean-clone CI, it then read a service's
 * HTTP/1.1 answer as HTTP/2 frames ({@code protocol error: Frame type(115) length(6514035) exceeds
 * MAX_FRAME_SIZE(16384)}, {@code MonitoringIT} reading the judge's {@code /q/metrics}). Prometheus scrapes over HTTP/1.1
 * too, and so does the invoker's provider client.
 */
public final class ServiceHttp {
    private ServiceHttp() {}

    /** A client without a connect timeout of its own. */
    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A client that gives up connecting after {@code connectTimeout}. */
    public static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build();
    }
}
