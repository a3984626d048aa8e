package io.assay.contracts;

/** An event that is not valid JSON, does not match its schema, or cannot be processed. */
public class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the reason, which goes into the dead-letter headers. */
    public InvalidEventException(String reason) {
        super(reason);
    }
}
