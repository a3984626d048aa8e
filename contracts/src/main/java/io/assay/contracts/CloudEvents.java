package io.assay.contracts;

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

    private CloudEvents() {
    }
}
