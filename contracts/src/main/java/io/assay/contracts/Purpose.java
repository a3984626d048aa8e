package io.assay.contracts;

/** Why a prompt is sent: to evaluate a candidate model or to ask a judge model. */
public enum Purpose {
    /** A candidate model answers a benchmark item. */
    EVALUATE,
    /** A judge model judges one or more candidate answers. */
    JUDGE
}
