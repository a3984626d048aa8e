package io.assay.contracts;

/**
 * A prompt format (one variant axis). Placeholders: {@code {{input}}} (the item's prompt text),
 * {@code {{choices}}} (lettered choices, one per line, empty when none).
 *
 * @param id the format's id, e.g. {@code plain}
 * @param version bump when the text changes; part of every request id
 * @param system optional system message
 * @param user the user message template; when absent the item's messages are sent unchanged
 */
public record PromptTemplate(String id, String version, String system, String user) {}
