package io.assay.cli.dyval;

import java.util.Map;

/**
 * One generated reasoning task with a verifiable answer.
 *
 * @param kind the generator ({@code arithmetic}, {@code logic}, {@code reachability})
 * @param question the question text
 * @param answer the correct answer as text
 * @param numeric the numeric answer of an arithmetic task, else {@code null}
 * @param size the size of the generating graph (nodes that must be evaluated or searched)
 * @param shape facts about the graph, kept in the item's metadata
 */
public record Task(String kind, String question, String answer, Double numeric, int size, Map<String, Object> shape) {}
