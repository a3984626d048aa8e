package io.assay.cli.stack;

/** A failure to start or stop the local stack, with a message meant for the user. */
public class StackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the user-facing reason. */
    public StackException(String message) {
        super(message);
    }
}
