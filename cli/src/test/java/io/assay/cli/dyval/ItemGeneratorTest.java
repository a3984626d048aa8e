package io.assay.cli.dyval;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.EventType;
import io.assay.contracts.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The generated items are checked by solving their question TEXT independently: a small parser
 * re-reads what a model would read, so a wrong answer or an ambiguous question fails here.
 */
class ItemGeneratorTest {
    private static final Instant T = Instant.parse("2026-11-28T00:00:00Z");
    private static final Pattern LET_VALUE = Pattern.compile("Let (\\w+) = (-?\\d+)\\.");
    private static final Pattern LET_OP = Pattern.compile("Let (\\w+) = (\\w+) ([-+*]) (\\w+)\\.");
    private static final Pattern IS_VALUE = Pattern.compile("(\\w+) is (True|False)\\.");
    private static final Pattern IS_NOT = Pattern.compile("(\\w+) is not (\\w+)\\.");
    private static final Pattern IS_OP = Pattern.compile("(\\w+) is (\\w+) (and|or) (\\w+)\\.");
    private static final Pattern EDGE = Pattern.compile("(\\w+) -> (\\w+)");
    private static final Pattern PATH = Pattern.compile("Is there a path from (\\w+) to (\\w+)\\?");

    private final ItemGenerator generator = new ItemGenerator("dyval", 7);

    @Test
    void itemsAreReproducibleFromTheSeed() {
        assertThat(new ItemGenerator("dyval", 7).item(12, T)).isEqualTo(generator.item(12, T));
        assertThat(new ItemGenerator("dyval", 8).item(12, T)).isNotEqualTo(generator.item(12, T));
    }

    @Test
    void everyItemIsValidAndItsAnswerFollowsFromItsQuestion() {
        Set<String> ids = new HashSet<>();
        Map<String, Integer> kinds = new HashMap<>();
        for (long i = 0; i < 600; i++) {
            BenchmarkItem item = generator.item(i, T);
            assertThat(EventType.BENCHMARK_ITEM.violations(Json.mapper().valueToTree(item)))
                    .isEmpty();
            assertThat(ids.add(item.itemId())).as("unique id").isTrue();
            kinds.merge(item.category(), 1, Integer::sum);
            String solved = switch (item.category()) {
                case "arithmetic" -> Long.toString(solveArithmetic(item.prompt()));
                case "logic" -> Boolean.toString(solveLogic(item.prompt()));
                case "reachability" -> solveReachability(item.prompt()) ? "yes" : "no";
                default -> throw new AssertionError(item.category());
            };
            assertThat(item.reference().answers()).as(item.prompt()).containsExactly(solved);
            if (item.category().equals("arithmetic")) {
                assertThat(item.reference().value()).isEqualTo(Double.parseDouble(solved));
            }
        }
        assertThat(kinds)
                .containsOnlyKeys("arithmetic", "logic", "reachability")
                .allSatisfy((k, n) -> assertThat(n).isEqualTo(200));
    }

    @Test
    void difficultyGrowsWithTheGraphAndSpansTheLogitScale() {
        assertThat(ItemGenerator.difficulty(ItemGenerator.MIN_SIZE)).isEqualTo(-2.0);
        assertThat(ItemGenerator.difficulty(6)).isEqualTo(0.0);
        assertThat(ItemGenerator.difficulty(ItemGenerator.MAX_SIZE)).isEqualTo(2.0);
        List<Double> seen = new ArrayList<>();
        for (long i = 0; i < 300; i++) {
            seen.add(generator.item(i, T).difficulty());
        }
        assertThat(seen).allMatch(d -> d >= -2.0 && d <= 2.0).contains(-2.0, 2.0);
    }

    @Test
    void reachabilityAnswersAreNotAllTheSame() {
        long yes = 0;
        long total = 0;
        for (long i = 2; i < 900; i += 3) {
            total++;
            yes += generator.item(i, T).reference().answers().get(0).equals("yes") ? 1 : 0;
        }
        assertThat((double) yes / total).isBetween(0.2, 0.8);
    }

    private static long solveArithmetic(String question) {
        Map<String, Long> v = new HashMap<>();
        String last = null;
        for (String line : question.split("\n")) {
            Matcher m = LET_VALUE.matcher(line);
            Matcher op = LET_OP.matcher(line);
            if (m.matches()) {
                v.put(m.group(1), Long.parseLong(m.group(2)));
            } else if (op.matches()) {
                long a = v.get(op.group(2));
                long b = v.get(op.group(4));
                v.put(
                        op.group(1),
                        switch (op.group(3)) {
                            case "+" -> a + b;
                            case "-" -> a - b;
                            default -> a * b;
                        });
                last = op.group(1);
            }
        }
        assertThat(question).contains("What is the value of " + last + "?");
        return v.get(last);
    }

    private static boolean solveLogic(String question) {
        Map<String, Boolean> v = new HashMap<>();
        String last = null;
        for (String line : question.split("\n")) {
            Matcher value = IS_VALUE.matcher(line);
            Matcher not = IS_NOT.matcher(line);
            Matcher op = IS_OP.matcher(line);
            if (value.matches()) {
                v.put(value.group(1), value.group(2).equals("True"));
            } else if (not.matches()) {
                v.put(not.group(1), !v.get(not.group(2)));
                last = not.group(1);
            } else if (op.matches()) {
                boolean a = v.get(op.group(2));
                boolean b = v.get(op.group(4));
                v.put(op.group(1), op.group(3).equals("and") ? a && b : a || b);
                last = op.group(1);
            }
        }
        assertThat(question).contains("Is " + last + " true or false?");
        return v.get(last);
    }

    private static boolean solveReachability(String question) {
        Map<String, List<String>> next = new HashMap<>();
        Matcher e = EDGE.matcher(question);
        while (e.find()) {
            next.computeIfAbsent(e.group(1), k -> new ArrayList<>()).add(e.group(2));
        }
        Matcher q = PATH.matcher(question);
        assertThat(q.find()).isTrue();
        Set<String> seen = new HashSet<>(List.of(q.group(1)));
        List<String> frontier = new ArrayList<>(List.of(q.group(1)));
        while (!frontier.isEmpty()) {
            String node = frontier.remove(0);
            if (node.equals(q.group(2))) {
                return true;
            }
            for (String n : next.getOrDefault(node, List.of())) {
                if (seen.add(n)) {
                    frontier.add(n);
                }
            }
        }
        return false;
    }
}
