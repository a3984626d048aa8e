package io.assay.aggregator.leaderboard;

/**
 * The verdict that currently occupies one slot: one judge's judgment of one model's answer to
 * one variant of one item. The fold keeps exactly one verdict per slot, so redeliveries and
 * re-judgments never count twice.
 *
 * @param judgmentId the deterministic id of the judgment in the slot
 * @param revision the item revision it judged
 * @param correct its verdict
 * @param category the item's category, {@code null} when the item has none
 * @param unparseable the judge's verdict could not be parsed (excluded from accuracy, counted)
 */
public record Slot(String judgmentId, int revision, boolean correct, String category, boolean unparseable) {
}
