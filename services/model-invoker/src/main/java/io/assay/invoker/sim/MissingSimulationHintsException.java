package io.assay.invoker.sim;

/** A request for a {@code sim} model carries no {@code simulation} hints, so there is nothing to simulate. */
public class MissingSimulationHintsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** With the request that lacks hints. */
    public MissingSimulationHintsException(String requestId) {
        super("request " + requestId + " for a sim model has no simulation hints");
    }
}
