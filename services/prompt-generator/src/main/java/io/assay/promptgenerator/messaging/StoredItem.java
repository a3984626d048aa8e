package io.assay.promptgenerator.messaging;

import io.assay.contracts.BenchmarkItem;

/**
 * An item as a task keeps it in its {@code items} store, for back-filling.
 *
 * @param fingerprint hash of the item's canonical JSON; an unchanged re-publication is skipped
 * @param item the latest revision
 */
record StoredItem(String fingerprint, BenchmarkItem item) {}
