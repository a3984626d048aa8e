package io.assay.aggregator.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Identification: strongly connected components of the "scored against" graph. */
final class ScoredGraph {
    private ScoredGraph() {}

    /** Component ids (Kosaraju) of i → j when i scored against j. */
    static int[] strong(int k, int[] pi, int[] pj, double[] scoreI, double[] n) {
        List<List<Integer>> out = new ArrayList<>();
        List<List<Integer>> in = new ArrayList<>();
        for (int m = 0; m < k; m++) {
            out.add(new ArrayList<>());
            in.add(new ArrayList<>());
        }
        for (int q = 0; q < pi.length; q++) {
            if (scoreI[q] > 0) {
                out.get(pi[q]).add(pj[q]);
                in.get(pj[q]).add(pi[q]);
            }
            if (n[q] - scoreI[q] > 0) {
                out.get(pj[q]).add(pi[q]);
                in.get(pi[q]).add(pj[q]);
            }
        }
        boolean[] seen = new boolean[k];
        int[] order = new int[k];
        int filled = 0;
        for (int s = 0; s < k; s++) {
            filled = postorder(s, out, seen, order, filled);
        }
        int[] component = new int[k];
        Arrays.fill(component, -1);
        int c = 0;
        for (int x = k - 1; x >= 0; x--) {
            int s = order[x];
            if (component[s] >= 0) {
                continue;
            }
            List<Integer> todo = new ArrayList<>(List.of(s));
            component[s] = c;
            while (!todo.isEmpty()) {
                int v = todo.remove(todo.size() - 1);
                for (int u : in.get(v)) {
                    if (component[u] < 0) {
                        component[u] = c;
                        todo.add(u);
                    }
                }
            }
            c++;
        }
        return component;
    }

    /** Iterative depth-first postorder from {@code s}. */
    private static int postorder(int s, List<List<Integer>> out, boolean[] seen, int[] order, int filled) {
        if (seen[s]) {
            return filled;
        }
        int[] stack = new int[out.size()];
        int[] next = new int[out.size()];
        int top = 0;
        stack[0] = s;
        seen[s] = true;
        while (top >= 0) {
            int v = stack[top];
            if (next[top] < out.get(v).size()) {
                int u = out.get(v).get(next[top]++);
                if (!seen[u]) {
                    seen[u] = true;
                    stack[++top] = u;
                    next[top] = 0;
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
