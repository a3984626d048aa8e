package io.assay.invoker.providers;

import io.assay.contracts.ModelError;

/** A typed failure of one provider call; the invoker retries it when {@link ModelError#retryable()}. */
public class ProviderException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The typed error published when this is the last attempt. */
    private final transient ModelError error;

    /** With the typed error. */
    public ProviderException(ModelError error) {
        super(error.kind() + ": " + error.message());
        this.error = error;
    }

    /** The typed error. */
    public ModelError error() {
        return error;
    }
}
