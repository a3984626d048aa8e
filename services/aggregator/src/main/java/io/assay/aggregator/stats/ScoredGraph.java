package io.assay.aggregator.stats;

import java.util.Arrays;

/** Identification: strongly connected components of the "scored against" graph. */
final class ScoredGraph {
    private ScoredGraph() {}

    /** Component ids (Kosaraju) of i → j when i scored against j. */
    static int[] strong(int k, int[] pi, int[] pj, double[] scoreI, double[] n) {
        Adjacency out = new Adjacency(k, pi, pj, scoreI, n, false);
        Adjacency in = new Adjacency(k, pi, pj, scoreI, n, true);
        boolean[] seen = new boolean[k];
        int[] order = new int[k];
        int filled = 0;
        int[] stack = new int[k];
        int[] next = new int[k];
        for (int s = 0; s < k; s++) {
            filled = postorder(s, out, seen, order, filled, stack, next);
        }
        int[] component = new int[k];
        Arrays.fill(component, -1);
        int c = 0;
        for (int x = k - 1; x >= 0; x--) {
            int s = order[x];
            if (component[s] >= 0) {
                continue;
            }
            // every vertex is pushed once (labelled as it is), so k places hold the stack
            int size = 0;
            stack[size++] = s;
            component[s] = c;
            while (size > 0) {
                int v = stack[--size];
                for (int e = in.start[v]; e < in.start[v + 1]; e++) {
                    int u = in.to[e];
                    if (component[u] < 0) {
                        component[u] = c;
                        stack[size++] = u;
                    }
                }
            }
            c++;
        }
        return component;
    }

    /**
     * The graph's edges as arrays (compressed rows): vertex v's neighbours are {@code to[start[v]]} up to
     * {@code to[start[v + 1]]}, in the order of the pairs. {@code reversed}: the edges into v instead.
     */
    private static final class Adjacency {
        final int[] start;
        final int[] to;

        Adjacency(int k, int[] pi, int[] pj, double[] scoreI, double[] n, boolean reversed) {
            start = new int[k + 1];
            for (int q = 0; q < pi.length; q++) {
                if (scoreI[q] > 0) {
                    start[(reversed ? pj[q] : pi[q]) + 1]++;
                }
                if (n[q] - scoreI[q] > 0) {
                    start[(reversed ? pi[q] : pj[q]) + 1]++;
                }
            }
            for (int v = 0; v < k; v++) {
                start[v + 1] += start[v];
            }
            to = new int[start[k]];
            int[] fill = Arrays.copyOf(start, k);
            for (int q = 0; q < pi.length; q++) {
                // i → j when i scored, j → i when j did: the edge from its source, or (reversed) into its target
                if (scoreI[q] > 0) {
                    to[fill[reversed ? pj[q] : pi[q]]++] = reversed ? pi[q] : pj[q];
                }
                if (n[q] - scoreI[q] > 0) {
                    to[fill[reversed ? pi[q] : pj[q]]++] = reversed ? pj[q] : pi[q];
                }
            }
        }
    }

    /** Iterative depth-first postorder from {@code s}, on the caller's {@code stack} and {@code next}. */
    private static int postorder(
            int s, Adjacency out, boolean[] seen, int[] order, int filled, int[] stack, int[] next) {
        if (seen[s]) {
            return filled;
        }
        int top = 0;
        stack[0] = s;
        next[0] = out.start[s];
        seen[s] = true;
        while (top >= 0) {
            int v = stack[top];
            if (next[top] < out.start[v + 1]) {
                int u = out.to[next[top]++];
                if (!seen[u]) {
                    seen[u] = true;
                    stack[++top] = u;
                    next[top] = out.start[u];
                }
            } else {
                order[filled++] = v;
                top--;
            }
        }
        return filled;
    }

    /** The largest component: most models, then most battles inside, then first by name; ≥ 2 models. */
    static boolean[] largest(int[] component, boolean[] present, BattleCounts.Pairs p) {
        int k = component.length;
        int[] size = new int[k];
        double[] inside = new double[k];
        for (int m = 0; m < k; m++) {
            if (present[m]) {
                size[component[m]]++;
            }
        }
        for (int q = 0; q < p.i().length; q++) {
            if (component[p.i()[q]] == component[p.j()[q]]) {
                inside[component[p.i()[q]]] += p.n()[q];
            }
        }
        int best = -1;
        for (int m = 0; m < k; m++) {
            int c = component[m];
            if (present[m]
                    && size[c] >= 2
                    && (best < 0 || size[c] > size[best] || (size[c] == size[best] && inside[c] > inside[best]))) {
                best = c;
            }
        }
        boolean[] out = new boolean[k];
        for (int m = 0; m < k; m++) {
            out[m] = best >= 0 && present[m] && component[m] == best;
        }
        return out;
    }
}
