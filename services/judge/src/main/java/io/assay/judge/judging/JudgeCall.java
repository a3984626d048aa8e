package io.assay.judge.judging;

import io.assay.contracts.PromptRequest;

/**
 * A judge request awaiting its reply, stored under the request's id.
 *
 * @param ballotId the ballot it fills
 * @param slot the slot index
 * @param request the request sent (a repair continues its conversation)
 */
public record JudgeCall(String ballotId, int slot, PromptRequest request) {}
