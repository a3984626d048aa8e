package io.assay.cli.dyval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Boolean logic over a DAG (DyVal's logic task): leaves are True or False, inner nodes apply
 * {@code and}, {@code or} or {@code not} to earlier nodes, and the question asks for the last
 * node's truth value.
 */
final class LogicTasks {
    private LogicTasks() {}

    static Task generate(SplittableRandom rng, int innerNodes) {
        int leaves = 2 + rng.nextInt(2);
        List<Boolean> values = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < leaves; i++) {
            boolean v = rng.nextBoolean();
            values.add(v);
            lines.add(Names.of(i) + " is " + (v ? "True" : "False") + ".");
        }
        for (int n = 0; n < innerNodes; n++) {
            int index = values.size();
            int left = index - 1;
            int right = rng.nextInt(index);
            boolean a = values.get(left);
            boolean b = values.get(right);
            int choice = rng.nextInt(5);
            String text;
            boolean v;
            if (choice == 0) {
                v = !a;
                text = Names.of(index) + " is not " + Names.of(left) + ".";
            } else if (choice <= 2) {
                v = a && b;
                text = Names.of(index) + " is " + Names.of(left) + " and " + Names.of(right) + ".";
            } else {
                v = a || b;
                text = Names.of(index) + " is " + Names.of(left) + " or " + Names.of(right) + ".";
            }
            values.add(v);
            lines.add(text);
        }
        String root = Names.of(values.size() - 1);
        boolean answer = values.get(values.size() - 1);
        String question = String.join("\n", lines) + "\nIs " + root + " true or false? Answer with true or false.";
        return new Task(
                "logic",
                question,
                Boolean.toString(answer),
                null,
                innerNodes,
                Map.of("leaves", leaves, "innerNodes", innerNodes));
    }
}
