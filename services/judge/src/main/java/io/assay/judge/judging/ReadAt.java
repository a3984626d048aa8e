package io.assay.judge.judging;

/**
 * Where a response was read: its partition and offset in the topic it was published to, so a dead
 * letter made later (when its item arrives) names the record a user can find with any Kafka tool.
 *
 * @param partition the partition; -1 when unknown (kept by an older judge)
 * @param offset the offset in that partition
 */
public record ReadAt(int partition, long offset) {}
