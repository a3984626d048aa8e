package io.assay.contracts;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** CloudEvents Kafka binding headers (binary mode) that identify every Assay event. */
public final class CloudEvents {
    /** Event type, e.g. {@code io.assay.judgment.v1}. */
    public static final String TYPE = "ce_type";
    /** Event id: the event's deterministic id where it has one. */
    public static final String ID = "ce_id";
    /** The producing component, e.g. {@code /assay/judge}. */
    public static final String SOURCE = "ce_source";
    /** Always {@value #SPEC_VERSION_1}. */
    public static final String SPEC_VERSION = "ce_specversion";
    /** The CloudEvents version Assay follows. */
    public static final String SPEC_VERSION_1 = "1.0";

    private CloudEvents() {}

    /** The four headers of an event of {@code type} with id {@code id}, produced by {@code source}. */
    public static Headers headers(EventType type, String id, String source) {
        return new RecordHeaders()
                .add(TYPE, utf8(type.cloudEventType()))
                .add(ID, utf8(id))
                .add(SOURCE, utf8(source))
                .add(SPEC_VERSION, utf8(SPEC_VERSION_1));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
