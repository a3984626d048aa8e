package io.assay.cli.dyval;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Reachability in a small directed graph (DyVal's reachability task): the edges are listed and the
 * question asks whether one node can reach another. Larger graphs need longer searches.
 */
final class ReachabilityTasks {
    private ReachabilityTasks() {}

    static Task generate(SplittableRandom rng, int nodes) {
        boolean[][] edge = new boolean[nodes][nodes];
        List<String> listed = new ArrayList<>();
        double p = 1.4 / nodes;
        for (int from = 0; from < nodes; from++) {
            for (int to = 0; to < nodes; to++) {
                if (from != to && rng.nextDouble() < p) {
                    edge[from][to] = true;
                    listed.add(Names.of(from) + " -> " + Names.of(to));
                }
            }
        }
        int source = rng.nextInt(nodes);
        int target = (source + 1 + rng.nextInt(nodes - 1)) % nodes;
        boolean reachable = reaches(edge, source, target);
        String question = "A directed graph has the edges: " + (listed.isEmpty() ? "(none)" : String.join(", ", listed))
                + ".\nIs there a path from " + Names.of(source) + " to " + Names.of(target)
                + "? Answer with yes or no.";
        return new Task(
                "reachability",
                question,
                reachable ? "yes" : "no",
                null,
                nodes,
                Map.of("nodes", nodes, "edges", listed.size()));
    }

    static boolean reaches(boolean[][] edge, int source, int target) {
        boolean[] seen = new boolean[edge.length];
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(source);
        seen[source] = true;
        while (!queue.isEmpty()) {
            int node = queue.poll();
            if (node == target) {
                return true;
            }
            for (int next = 0; next < edge.length; next++) {
                if (edge[node][next] && !seen[next]) {
                    seen[next] = true;
                    queue.add(next);
                }
            }
        }
        return false;
    }
}
