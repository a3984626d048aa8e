package io.assay.promptgenerator.prompts;

import io.assay.contracts.BenchmarkItem;

/**
 * An item as a task keeps it, for back-filling.
 *
 * @param fingerprint {@link PromptFactory#itemFingerprint}; an unchanged re-publication is skipped
 * @param item the latest revision
 */
public record StoredItem(String fingerprint, BenchmarkItem item) {}
