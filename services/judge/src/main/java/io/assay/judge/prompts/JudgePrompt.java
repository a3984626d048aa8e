package io.assay.judge.prompts;

import io.assay.contracts.SamplingParams;

/**
 * A judge prompt template: data, versioned, loaded from {@code judge-prompts/templates.json}. A judgment
 * records the template's id (as the judge spec's method) and version (as its prompt version), so a
 * changed prompt is a new version and never silently mixes with verdicts of the old one.
 *
 * @param id the template's name, e.g. {@code wildbench-score}
 * @param version its version; a published version is never edited, a change is a new version
 * @param protocol the protocol it serves ({@code score}, {@code pairwise}, {@code preference}, {@code repair})
 * @param description what it asks
 * @param params the sampling parameters judge requests use (temperature 0, logprobs for preference)
 * @param system the system message (instructions only, never data)
 * @param user the user message: instructions, with data in {@code <<<BEGIN X>>>}/{@code <<<END X>>>}
 *     blocks holding {@code {{placeholder}}}s
 */
public record JudgePrompt(
        String id,
        String version,
        String protocol,
        String description,
        SamplingParams params,
        String system,
        String user) {

    /** {@code id@version}, as it appears in logs. */
    public String label() {
        return id + "@" + version;
    }
}
