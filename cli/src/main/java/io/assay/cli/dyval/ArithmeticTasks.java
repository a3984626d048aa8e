package io.assay.cli.dyval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Arithmetic over an expression DAG (DyVal, Zhu et al. 2024, "DyVal: Dynamic Evaluation of Large
 * Language Models for Reasoning Tasks"): leaves hold small integers, each inner node combines two
 * earlier nodes (which may be shared, hence a DAG), and the question asks for the last node's
 * value. Every inner node must be evaluated, so difficulty grows with their number.
 */
final class ArithmeticTasks {
    private static final long MAX_MAGNITUDE = 10_000;

    private ArithmeticTasks() {}

    static Task generate(SplittableRandom rng, int innerNodes) {
        int leaves = 2 + rng.nextInt(2);
        List<Long> values = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < leaves; i++) {
            long v = 1 + rng.nextInt(9);
            values.add(v);
            lines.add("Let " + Names.of(i) + " = " + v + ".");
        }
        int edges = 0;
        for (int n = 0; n < innerNodes; n++) {
            int index = values.size();
            // The newest node is always an operand, so the root depends on every inner node.
            int left = index - 1;
            int right = rng.nextInt(index);
            long a = values.get(left);
            long b = values.get(right);
            String op;
            long v;
            int choice = rng.nextInt(3);
            if (choice == 2 && Math.abs(a * b) <= MAX_MAGNITUDE) {
                op = "*";
                v = a * b;
            } else if (choice == 1) {
                op = "-";
                v = a - b;
            } else {
                op = "+";
                v = a + b;
            }
            values.add(v);
            edges += 2;
            boolean swap = rng.nextBoolean() && !"-".equals(op);
            String lhs = Names.of(swap ? right : left);
            String rhs = Names.of(swap ? left : right);
            lines.add("Let " + Names.of(index) + " = " + lhs + " " + op + " " + rhs + ".");
        }
        String root = Names.of(values.size() - 1);
        long answer = values.get(values.size() - 1);
        String question = String.join("\n", lines) + "\nWhat is the value of " + root + "? Answer with an integer.";
        return new Task(
                "arithmetic",
                question,
                Long.toString(answer),
                (double) answer,
                innerNodes,
                Map.of("leaves", leaves, "innerNodes", innerNodes, "edges", edges));
    }
}
