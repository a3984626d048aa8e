package io.assay.aggregator.stats;

import java.util.Arrays;

/**
 * Identification: strongly connected components of the "scored against" graph, i → j when i scored
 * (won or tied) against j. Built once per read on the pairs of models (compressed rows: model v's pairs
 * are {@code pair[start[v]]} up to {@code pair[start[v + 1]]}); the edges of any weighting of those pairs,
 * the point's or a bootstrap replicate's, are among them and are read from its counts as they are walked.
 */
final class ScoredGraph {
    private final int k;
    private final int[] pi;
    private final int[] pj;
    private final int[] start;
    private final int[] pair;

    /** The graph of {@code k} models on the pairs {@code (pi[q], pj[q])}. */
    ScoredGraph(int k, int[] pi, int[] pj) {
        this.k = k;
        this.pi = pi;
        this.pj = pj;
        start = new int[k + 1];
        for (int q = 0; q < pi.length; q++) {
            start[pi[q] + 1]++;
            start[pj[q] + 1]++;
        }
        for (int v = 0; v < k; v++) {
            start[v + 1] += start[v];
        }
        pair = new int[start[k]];
        int[] fill = Arrays.copyOf(start, k);
        for (int q = 0; q < pi.length; q++) {
            pair[fill[pi[q]]++] = q;
            pair[fill[pj[q]]++] = q;
        }
    }

    /**
     * Whether pair {@code q}, at model {@code v}, has an edge out of v ({@code forward}) or into v under
     * the counts {@code p}: i → j when i scored, j → i when j did.
     */
    private boolean edge(BattleCounts.Pairs p, int q, int v, boolean forward) {
        return (pi[q] == v) == forward ? p.scoreI()[q] > 0 : p.n()[q] - p.scoreI()[q] > 0;
    }

    /** The model at the other end of pair {@code q} from {@code v}. */
    private int other(int q, int v) {
        return pi[q] == v ? pj[q] : pi[q];
    }

    /** Component ids (Kosaraju) under the counts {@code p}. */
    int[] strong(BattleCounts.Pairs p) {
        boolean[] seen = new boolean[k];
        int[] order = new int[k];
        int filled = 0;
        int[] stack = new int[k];
        int[] next = new int[k];
        for (int s = 0; s < k; s++) {
            filled = postorder(p, s, seen, order, filled, stack, next);
        }
        int[] component = new int[k];
        Arrays.fill(component, -1);
        int c = 0;
        for (int x = k - 1; x >= 0; x--) {
            int s = order[x];
            if (component[s] < 0) {
                // s's component: what reaches s and is not yet in a component (Kosaraju's second pass)
                reach(p, s, false, component, c++, null, k, stack);
            }
        }
        return component;
    }

    /** Iterative depth-first postorder from {@code s}, on the caller's {@code stack} and {@code next}. */
    private int postorder(
            BattleCounts.Pairs p, int s, boolean[] seen, int[] order, int filled, int[] stack, int[] next) {
        if (seen[s]) {
            return filled;
        }
        int top = 0;
        stack[0] = s;
        next[0] = start[s];
        seen[s] = true;
        while (top >= 0) {
            int v = stack[top];
            if (next[top] < start[v + 1]) {
                int q = pair[next[top]++];
                int u = other(q, v);
                if (!seen[u] && edge(p, q, v, true)) {
                    seen[u] = true;
                    stack[++top] = u;
                    next[top] = start[u];
                }
            } else {
                order[filled++] = v;
                top--;
            }
        }
        return filled;
    }

    /** The models in {@code v}'s strongly connected component under the counts {@code p}: it reaches them and they reach it. */
    boolean[] component(BattleCounts.Pairs p, int v) {
        int[] from = unmarked();
        int[] into = unmarked();
        int[] stack = new int[k];
        reach(p, v, true, from, 0, null, k, stack);
        reach(p, v, false, into, 0, null, k, stack);
        boolean[] out = new boolean[k];
        for (int x = 0; x < k; x++) {
            out[x] = from[x] >= 0 && into[x] >= 0;
        }
        return out;
    }

    /**
     * Whether the models of {@code set} (at least one) are in one strongly connected component under the
     * counts {@code p}: its first reaches them all and they all reach it. Each walk stops once it has them.
     */
    boolean together(BattleCounts.Pairs p, boolean[] set) {
        int size = 0;
        int first = -1;
        for (int x = 0; x < k; x++) {
            if (set[x]) {
                first = first < 0 ? x : first;
                size++;
            }
        }
        int[] stack = new int[k];
        return reach(p, first, true, unmarked(), 0, set, size, stack) == size
                && reach(p, first, false, unmarked(), 0, set, size, stack) == size;
    }

    /**
     * Which side of the component {@code reference} (not holding {@code v}) model {@code v} is on under the counts
     * {@code p}: 1 when v reaches it and it does not reach v (v's rating is +∞ against it), −1 the other way round,
     * 0 when neither reaches the other.
     */
    int side(BattleCounts.Pairs p, int v, boolean[] reference) {
        int[] stack = new int[k];
        boolean out = reach(p, v, true, unmarked(), 0, reference, 1, stack) > 0;
        boolean in = reach(p, v, false, unmarked(), 0, reference, 1, stack) > 0;
        return out == in ? 0 : out ? 1 : -1;
    }

    /** A mark per model, −1 for none. */
    private int[] unmarked() {
        int[] mark = new int[k];
        Arrays.fill(mark, -1);
        return mark;
    }

    /**
     * Depth-first from {@code v} along the edges out of each model ({@code forward}) or into it, through
     * the models not yet marked ({@code mark[x] < 0}), marking each {@code label}; stops once it has
     * marked {@code wanted} models of {@code target} (null: of all). Returns how many of them it marked.
     * Every model is pushed once, so {@code k} places hold the stack.
     */
    private int reach(
            BattleCounts.Pairs p,
            int v,
            boolean forward,
            int[] mark,
            int label,
            boolean[] target,
            int wanted,
            int[] stack) {
        int size = 0;
        int got = target == null || target[v] ? 1 : 0;
        stack[size++] = v;
        mark[v] = label;
        while (size > 0 && got < wanted) {
            int x = stack[--size];
            for (int e = start[x]; e < start[x + 1] && got < wanted; e++) {
                int q = pair[e];
                int u = other(q, x);
                if (mark[u] < 0 && edge(p, q, x, forward)) {
                    mark[u] = label;
                    got += target == null || target[u] ? 1 : 0;
                    stack[size++] = u;
                }
            }
        }
        return got;
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
