package io.assay.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RaschTest {
    private static final double PA = 1 / (Rasch.ABILITY_SD * Rasch.ABILITY_SD);
    private static final double PB = 1 / (Rasch.DIFFICULTY_SD * Rasch.DIFFICULTY_SD);
    private static final double PM = 1 / (Rasch.MEAN_DIFFICULTY_SD * Rasch.MEAN_DIFFICULTY_SD);

    @Test
    void oneModelRightOnOneItemSolvesTheStationaryEquationsByHand() {
        // Given: one model, one item, answered right. With σ² = 4 for every prior the stationary equations are
        //   θ: (1 − P) − θ/4 = 0, b: −(1 − P) − (b − μ)/4 = 0, μ: (b − μ)/4 − μ/4 = 0,
        // so θ = 4(1 − P), μ = b − μ = −4(1 − P), b = −8(1 − P), and z = θ − b solves z = 12·(1 − σ(z)).
        Rasch.Matrix x = new Rasch.Matrix(1, 1, new int[] {0}, new int[] {0}, new double[] {1});
        double lo = 0;
        double hi = 12;
        for (int k = 0; k < 200; k++) {
            double z = (lo + hi) / 2;
            if (z - 12 * (1 - Rasch.probability(z, 0)) > 0) {
                hi = z;
            } else {
                lo = z;
            }
        }
        double z = (lo + hi) / 2;
        double q = 1 - Rasch.probability(z, 0);

        // When
        Rasch.Fit fit = Rasch.fit(x);

        // Then: finite, and as derived (z ≈ 1.7606)
        assertThat(fit.converged()).isTrue();
        assertThat(z).isCloseTo(1.7606, within(1e-4));
        assertThat(fit.ability()[0]).isCloseTo(4 * q, within(1e-10));
        assertThat(fit.difficulty()[0]).isCloseTo(-8 * q, within(1e-10));
        assertThat(fit.meanDifficulty()).isCloseTo(-4 * q, within(1e-10));
        // observed information: P(1 − P) + 1/4
        double p = 1 - q;
        assertThat(fit.abilitySe()[0]).isCloseTo(1 / Math.sqrt(p * (1 - p) + 0.25), within(1e-10));
    }

    @Test
    void standardErrorsAreTheInformationAtTheReturnedParameters() {
        // Given: 3 models × 4 items, one cell missing and one fractional, and a start away from the optimum; and a
        // banded 40 × 1,000 matrix that the fit ends with joint steps and sweeps on
        Rasch.Matrix small = new Rasch.Matrix(
                3, 4, new int[] {0, 0, 0, 1, 1, 1, 1, 2, 2, 2}, new int[] {0, 1, 2, 0, 1, 2, 3, 0, 2, 3}, new double[] {
                    1, 1, 0, 1, 0.5, 0, 0, 0, 1, 0
                });
        Rasch.Params start = new Rasch.Params(new double[] {0.5, 0, -0.5}, new double[] {0, 0.1, 0.2, 1}, 0.3);
        SplittableRandom random = new SplittableRandom(7);
        java.util.List<int[]> cells = new java.util.ArrayList<>();
        for (int m = 0; m < 40; m++) {
            for (int i = 0; i < 1000; i++) {
                if (Math.floorMod(m - i * 3, 40) < 8) {
                    cells.add(new int[] {m, i});
                }
            }
        }
        Rasch.Matrix banded = matrix(40, 1000, cells, cell -> random.nextDouble() < 0.6 ? 1 : 0);

        for (Rasch.Fit fit : java.util.List.of(Rasch.fit(small, start), Rasch.fit(small), Rasch.fit(banded))) {
            // When: each model's 1 / sqrt(Σ P(1 − P) + 1/σ_θ²) at the fit's own parameters, an exponential a cell
            Rasch.Matrix x = fit.ability().length == 3 ? small : banded;
            double[] h = new double[x.models()];
            Arrays.fill(h, 1 / (Rasch.ABILITY_SD * Rasch.ABILITY_SD));
            for (int c = 0; c < x.y().length; c++) {
                double p = Rasch.probability(fit.ability()[x.model()[c]], fit.difficulty()[x.item()[c]]);
                h[x.model()[c]] += p * (1 - p);
            }

            // Then: the fit's standard errors are those, to rounding
            assertThat(fit.converged()).isTrue();
            for (int m = 0; m < h.length; m++) {
                assertThat(fit.abilitySe()[m]).isCloseTo(1 / Math.sqrt(h[m]), within(1e-13));
            }
        }
    }

    @Test
    void aWarmStartsNewItemsAreSettledOnTheirOwnCellsAndTheFitKeepsItsOptimum() {
        // Given: a fit of 3 models × 3 items, then a fourth item answered by all three (right, right, wrong)
        int[] model = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};
        int[] item = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3};
        double[] y = {1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0};
        Rasch.Matrix x = new Rasch.Matrix(3, 4, model, item, y);
        Rasch.Fit before = Rasch.fit(new Rasch.Matrix(
                3, 3, new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2}, new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2}, new double[] {
                    1, 1, 0, 1, 0, 0, 0, 0, 1
                }));
        double mu = before.meanDifficulty();
        double[] b = Arrays.copyOf(before.difficulty(), 4);
        b[3] = mu;
        Rasch.Params start = new Rasch.Params(before.ability().clone(), b, mu);

        // When: the new item settled given the abilities, then both starts fitted
        Rasch.Params settled = Rasch.settled(x, start, new boolean[] {false, false, false, true});
        Rasch.Fit fromMean = Rasch.fit(x, start);
        Rasch.Fit fromSettled = Rasch.fit(x, settled);

        // Then: the old items and the abilities as they were; the new item's gradient given them zero
        assertThat(Arrays.copyOf(settled.difficulty(), 3)).containsExactly(before.difficulty());
        assertThat(settled.ability()).containsExactly(before.ability());
        double g = -(settled.difficulty()[3] - mu) * PB;
        for (int m = 0; m < 3; m++) {
            g += Rasch.probability(before.ability()[m], settled.difficulty()[3]) - y[4 * m + 3];
        }
        assertThat(g).isCloseTo(0, within(1e-10));
        // and the same optimum from either start
        for (int m = 0; m < 3; m++) {
            assertThat(fromSettled.ability()[m]).isCloseTo(fromMean.ability()[m], within(1e-10));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(fromSettled.difficulty()[i]).isCloseTo(fromMean.difficulty()[i], within(1e-10));
        }
    }

    @Test
    void newtonSweepsAgreeWithPlainGradientAscentToConvergence() {
        // Given: 3 models × 4 items, one cell missing, one fractional cell (two variants, one right), an
        // all-right model (m0, which did not see i3) and an item nobody got right (i3)
        int[] model = {0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
        int[] item = {0, 1, 2, 0, 1, 2, 3, 0, 2, 3};
        double[] y = {1, 1, 1, 1, 0.5, 0, 0, 0, 1, 0};
        Rasch.Matrix x = new Rasch.Matrix(3, 4, model, item, y);

        // When: the solver, and an independent plain gradient ascent on the whole objective
        Rasch.Fit fit = Rasch.fit(x);
        double[] g = gradientAscent(x);

        // Then: the same optimum
        assertThat(fit.converged()).isTrue();
        for (int m = 0; m < 3; m++) {
            assertThat(fit.ability()[m]).as("θ%d", m).isCloseTo(g[m], within(1e-7));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(fit.difficulty()[i]).as("b%d", i).isCloseTo(g[3 + i], within(1e-7));
        }
        assertThat(fit.meanDifficulty()).isCloseTo(g[7], within(1e-7));
        // and the stationary equations hold: Σ(y − P) over every cell = Σθ/σ_θ² + … (the μ equation)
        double residual = 0;
        for (int c = 0; c < y.length; c++) {
            residual += y[c] - fit.probability(model[c], item[c]);
        }
        double sumTheta = fit.ability()[0] + fit.ability()[1] + fit.ability()[2];
        // summing the θ-equations: Σ(y − P) = Σθ/σ_θ²
        assertThat(residual).isCloseTo(sumTheta * PA, within(1e-9));
    }

    @Test
    void jointNewtonStepsTakeTheLastStretchInAFewStepsToTheSweepsOptimum() {
        // Given: 40 models, 1,000 items of a Rasch truth, 8 models an item, and the fit before 50 new items came
        SplittableRandom random = new SplittableRandom(5);
        int models = 40;
        int items = 1000;
        java.util.List<int[]> cells = new java.util.ArrayList<>();
        double[] difficulty = new double[items];
        for (int i = 0; i < items; i++) {
            difficulty[i] = -2 + 4 * random.nextDouble();
        }
        for (int m = 0; m < models; m++) {
            for (int i = 0; i < items; i++) {
                if (Math.floorMod(i * 7 + m, 5) == 0) {
                    cells.add(new int[] {m, i});
                }
            }
        }
        Rasch.Matrix after = matrix(models, items, cells, cell -> {
            double skill = -1 + 3.0 * cell[0] / (models - 1);
            return random.nextDouble() < Rasch.probability(skill, difficulty[cell[1]]) ? 1 : 0;
        });
        Rasch.Params start = Rasch.fit(after).params();
        for (int i = items - 50; i < items; i++) {
            start.difficulty()[i] = start.meanDifficulty(); // as a warm start places new items
        }

        // When
        Rasch.Fit fit = Rasch.fit(after, start);
        Rasch.Fit sweeps = fitOverCopies(after, start);

        // Then: the optimum of the sweeps alone, in a fraction of their steps
        assertThat(fit.converged()).isTrue();
        assertThat(sweeps.converged()).isTrue();
        for (int m = 0; m < models; m++) {
            assertThat(fit.ability()[m]).as("θ%d", m).isCloseTo(sweeps.ability()[m], within(1e-10));
        }
        for (int i = 0; i < items; i++) {
            assertThat(fit.difficulty()[i]).as("b%d", i).isCloseTo(sweeps.difficulty()[i], within(1e-10));
        }
        assertThat(fit.sweeps()).isLessThan(sweeps.sweeps() / 3);
        System.out.printf(
                "rasch: warm start, sweeps alone %d, with joint Newton steps %d%n", sweeps.sweeps(), fit.sweeps());

        // and the same cells in another order (an item's models then come in no order): the same fit
        int[] order = java.util.stream.IntStream.range(0, after.cells())
                .boxed()
                .sorted(java.util.Comparator.comparingInt(c -> (c * 7919) % after.cells()))
                .mapToInt(Integer::intValue)
                .toArray();
        Rasch.Matrix shuffled = new Rasch.Matrix(
                models,
                items,
                java.util.Arrays.stream(order).map(c -> after.model()[c]).toArray(),
                java.util.Arrays.stream(order).map(c -> after.item()[c]).toArray(),
                java.util.Arrays.stream(order).mapToDouble(c -> after.y()[c]).toArray());
        Rasch.Fit again = Rasch.fit(shuffled, start);
        assertThat(again.sweeps()).isEqualTo(fit.sweeps());
        assertThat(again.ability()).containsExactly(fit.ability(), within(1e-10));
        assertThat(again.difficulty()).containsExactly(fit.difficulty(), within(1e-10));
    }

    @Test
    void aWarmStartGoesByTheLastFitsContractionToTheSameOptimumInNoMoreSteps() {
        // Given: 40 models, 1,000 items, 8 models an item in overlapping bands (the sweeps crawl), its fit, and the
        // same cells with 30 outcomes flipped since
        SplittableRandom random = new SplittableRandom(11);
        int models = 40;
        int items = 1000;
        java.util.List<int[]> cells = new java.util.ArrayList<>();
        for (int m = 0; m < models; m++) {
            for (int i = 0; i < items; i++) {
                if (Math.floorMod(m - i * 3, models) < 8) {
                    cells.add(new int[] {m, i});
                }
            }
        }
        Rasch.Matrix before = matrix(models, items, cells, cell -> random.nextDouble() < 0.6 ? 1 : 0);
        double[] y = before.y().clone();
        for (int k = 0; k < 30; k++) {
            int c = random.nextInt(y.length);
            y[c] = 1 - y[c];
        }
        Rasch.Matrix after = new Rasch.Matrix(models, items, before.model(), before.item(), y);
        Rasch.Fit last = Rasch.fit(before);
        Rasch.Params known = last.params();
        Rasch.Params unknown = new Rasch.Params(known.ability(), known.difficulty(), known.meanDifficulty());

        // When
        Rasch.Fit sooner = Rasch.fit(after, known);
        Rasch.Fit measured = Rasch.fit(after, unknown);

        // Then: the last fit measured a crawl; the fit that knew it went by it (its first sweeps shrank faster) and
        // took no more steps (its joint steps one sweep sooner, here) to the same optimum
        assertThat(last.crawl()).isStrictlyBetween(0.0, 1.0);
        assertThat(known.crawl()).isEqualTo(last.crawl());
        assertThat(sooner.crawl()).isEqualTo(last.crawl());
        assertThat(measured.crawl()).isStrictlyBetween(0.0, 1.0).isNotEqualTo(last.crawl());
        assertThat(sooner.converged()).isTrue();
        assertThat(sooner.sweeps()).isLessThanOrEqualTo(measured.sweeps());
        assertThat(sooner.ability()).containsExactly(measured.ability(), within(1e-10));
        assertThat(sooner.difficulty()).containsExactly(measured.difficulty(), within(1e-10));
        System.out.printf(
                "rasch: crawl %.3f; warm start knowing it %d steps, measuring it again %d%n",
                last.crawl(), sooner.sweeps(), measured.sweeps());
    }

    @Test
    void overJointModelsTheFitIsTheSweepsToTheBit() {
        // Given: more models than the joint steps take, 3 items each
        int models = Rasch.JOINT_MODELS + 1;
        int[] model = new int[3 * models];
        int[] item = new int[3 * models];
        double[] y = new double[3 * models];
        for (int c = 0; c < y.length; c++) {
            model[c] = c / 3;
            item[c] = (c / 3 + c % 3) % 7;
            y[c] = (c * 31 + c / 3) % 3 == 0 ? 1 : 0;
        }
        Rasch.Matrix x = new Rasch.Matrix(models, 7, model, item, y);

        // When
        Rasch.Fit fit = Rasch.fit(x);
        Rasch.Fit copied = fitOverCopies(x, null);

        // Then
        assertThat(fit.ability()).containsExactly(copied.ability());
        assertThat(fit.difficulty()).containsExactly(copied.difficulty());
        assertThat(fit.sweeps()).isEqualTo(copied.sweeps());
    }

    @Test
    void aWarmStartReachesTheSameFitInFewerSweeps() {
        // Given: 12 models × 300 items of a Rasch truth, and the fit before the last 20 cells arrived
        SplittableRandom random = new SplittableRandom(17);
        int models = 12;
        int items = 300;
        int n = models * items;
        int[] model = new int[n];
        int[] item = new int[n];
        double[] y = new double[n];
        double[] difficulty = new double[items];
        for (int i = 0; i < items; i++) {
            difficulty[i] = -2 + 4 * random.nextDouble();
        }
        for (int c = 0; c < n; c++) {
            model[c] = c % models;
            item[c] = c / models;
            double skill = -1 + 3.0 * model[c] / (models - 1);
            y[c] = random.nextDouble() < Rasch.probability(skill, difficulty[item[c]]) ? 1 : 0;
        }
        Rasch.Matrix before = new Rasch.Matrix(
                models,
                items,
                java.util.Arrays.copyOf(model, n - 20),
                java.util.Arrays.copyOf(item, n - 20),
                java.util.Arrays.copyOf(y, n - 20));
        Rasch.Matrix after = new Rasch.Matrix(models, items, model, item, y);

        // When
        Rasch.Fit cold = Rasch.fit(after);
        Rasch.Fit warm = Rasch.fit(after, Rasch.fit(before).params());

        // Then
        assertThat(cold.converged()).isTrue();
        assertThat(warm.converged()).isTrue();
        assertThat(warm.sweeps()).isLessThan(cold.sweeps());
        for (int m = 0; m < models; m++) {
            assertThat(warm.ability()[m]).isCloseTo(cold.ability()[m], within(1e-10));
        }
        System.out.printf("rasch: cold %d sweeps, warm %d sweeps%n", cold.sweeps(), warm.sweeps());
    }

    @Test
    void fitReachesTheOptimumOfTheSweepsOverCellsCopiedPerModelAndPerItem() {
        SplittableRandom random = new SplittableRandom(17);
        int inOrder = 0;
        int fewer = 0;
        for (int round = 0; round < 60; round++) {
            // Given: a random sparse matrix with fractional cells, in (model, item) order or shuffled
            int models = 1 + random.nextInt(12);
            int items = 1 + random.nextInt(40);
            java.util.List<int[]> cells = new java.util.ArrayList<>();
            for (int m = 0; m < models; m++) {
                for (int i = 0; i < items; i++) {
                    if (random.nextInt(3) > 0) {
                        cells.add(new int[] {m, i});
                    }
                }
            }
            boolean shuffled = random.nextBoolean();
            if (shuffled) {
                java.util.Collections.shuffle(cells, new java.util.Random(random.nextLong()));
            } else {
                inOrder++;
            }
            Rasch.Matrix x = matrix(models, items, cells, cell -> random.nextInt(4) / 3.0);
            Rasch.Params start = random.nextBoolean() ? null : Rasch.fit(x).params();
            if (start != null) {
                start.ability()[0] += 0.3;
            }

            // When
            Rasch.Fit fit = Rasch.fit(x, start);

            // Then: the optimum the sweeps alone reach over per-model and per-item copies of the cells (the joint
            // Newton steps take the last stretch: the same optimum, within what the tolerance leaves)
            Rasch.Fit copied = fitOverCopies(x, start);
            assertThat(fit.converged()).isTrue();
            for (int m = 0; m < models; m++) {
                assertThat(fit.ability()[m])
                        .as("round %d, θ%d", round, m)
                        .isCloseTo(copied.ability()[m], within(1e-10));
                assertThat(fit.abilitySe()[m]).as("round %d", round).isCloseTo(copied.abilitySe()[m], within(1e-10));
            }
            for (int i = 0; i < items; i++) {
                assertThat(fit.difficulty()[i])
                        .as("round %d, b%d", round, i)
                        .isCloseTo(copied.difficulty()[i], within(1e-10));
            }
            assertThat(fit.meanDifficulty()).isCloseTo(copied.meanDifficulty(), within(1e-10));
            assertThat(fit.sweeps()).as("round %d", round).isLessThanOrEqualTo(copied.sweeps());
            fewer += fit.sweeps() < copied.sweeps() ? 1 : 0;
        }
        assertThat(fewer).as("fits that took fewer steps than the sweeps alone").isPositive();
        assertThat(inOrder).isBetween(10, 50);
    }

    @Test
    void predictedAccuracyKeepsObservedCellsAndPredictsTheOthers() {
        // Given: θ = 0, difficulties 0 and ln 3 (P = 1/2 and 1/4), the first item observed wrong
        double[] b = {0, Math.log(3)};

        // Then: (0 + 1/4) / 2, and with nothing observed (1/2 + 1/4) / 2
        assertThat(Rasch.predictedAccuracy(0, b, new double[] {0, Double.NaN})).isCloseTo(0.125, within(1e-12));
        assertThat(Rasch.predictedAccuracy(0, b, new double[] {Double.NaN, Double.NaN}))
                .isCloseTo(0.375, within(1e-12));
        assertThat(Rasch.predictedAccuracy(5, b, new double[] {1, 0})).isEqualTo(0.5);
    }

    @Test
    void predictionsOfManyAbilitiesAreTheDefinitionsAndAModelSeenEverywhereGetsItsObservedAccuracy() {
        // Given: 1,000 items, and three models: one evaluated on a tenth of them, one on none, one on all (128 of 160
        // correct would be enough to land on a rounding boundary, so the full one must be exact)
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        double[] b = new double[1_000];
        java.util.Arrays.setAll(b, i -> random.nextGaussian() * 2);
        double[] abilities = {-1.3, 0.4, 2.2};
        int[][] items = {
            java.util.stream.IntStream.range(0, 1_000).filter(i -> i % 10 == 3).toArray(),
            new int[0],
            java.util.stream.IntStream.range(0, 1_000).toArray()
        };
        Rasch.Predictions predict = new Rasch.Predictions(b);

        // When: every ability's sum in one pass, then each model's accuracy from it
        double[] sums = predict.sums(abilities);

        // Then: each is the definition's mean over items (observed share there, P elsewhere), summed item by item
        for (int m = 0; m < abilities.length; m++) {
            double[] y = new double[items[m].length];
            double[] observed = new double[b.length];
            java.util.Arrays.fill(observed, Double.NaN);
            for (int c = 0; c < y.length; c++) {
                y[c] = random.nextDouble() < 0.5 ? 1 : 0.5 * (c % 3);
                observed[items[m][c]] = y[c];
            }
            double definition = 0;
            for (int i = 0; i < b.length; i++) {
                definition += Double.isNaN(observed[i]) ? Rasch.probability(abilities[m], b[i]) : observed[i];
            }
            definition /= b.length;
            double accuracy = predict.accuracy(abilities[m], sums[m], items[m], y, 0, y.length);
            assertThat(accuracy).as("model %d", m).isCloseTo(definition, within(1e-13));
            assertThat(Rasch.predictedAccuracy(abilities[m], b, observed)).isEqualTo(accuracy);
            if (m == 2) {
                assertThat(accuracy).isEqualTo(java.util.Arrays.stream(y).sum() / b.length);
            }
        }
    }

    /** The matrix of {@code cells} (model, item), each cell's y given by {@code y} in cell order. */
    private static Rasch.Matrix matrix(
            int models, int items, java.util.List<int[]> cells, java.util.function.ToDoubleFunction<int[]> y) {
        int[] model = new int[cells.size()];
        int[] item = new int[cells.size()];
        double[] ys = new double[cells.size()];
        for (int c = 0; c < ys.length; c++) {
            model[c] = cells.get(c)[0];
            item[c] = cells.get(c)[1];
            ys[c] = y.applyAsDouble(cells.get(c));
        }
        return new Rasch.Matrix(models, items, model, item, ys);
    }

    /** Plain gradient ascent on ℓ(θ, b, μ) with a fixed step, to convergence: θ0..θ2, b0..b3, μ. */
    private static double[] gradientAscent(Rasch.Matrix x) {
        int mm = x.models();
        int ii = x.items();
        double[] v = new double[mm + ii + 1];
        for (int it = 0; it < 2_000_000; it++) {
            double[] grad = new double[v.length];
            for (int m = 0; m < mm; m++) {
                grad[m] -= v[m] * PA;
            }
            for (int i = 0; i < ii; i++) {
                grad[mm + i] -= (v[mm + i] - v[mm + ii]) * PB;
                grad[mm + ii] += (v[mm + i] - v[mm + ii]) * PB;
            }
            grad[mm + ii] -= v[mm + ii] * PM;
            for (int c = 0; c < x.cells(); c++) {
                double r = x.y()[c] - Rasch.probability(v[x.model()[c]], v[mm + x.item()[c]]);
                grad[x.model()[c]] += r;
                grad[mm + x.item()[c]] -= r;
            }
            double norm = 0;
            for (int k = 0; k < v.length; k++) {
                v[k] += 0.2 * grad[k];
                norm = Math.max(norm, Math.abs(grad[k]));
            }
            if (norm < 1e-12) {
                break;
            }
        }
        return v;
    }

    /**
     * {@link Rasch#fit} as it was written before it read a model's cells from the matrix and summed an item's in one
     * pass: every sweep over copies of the cells grouped per model and per item (each group in cell order).
     */
    private static Rasch.Fit fitOverCopies(Rasch.Matrix x, Rasch.Params start) {
        double[] theta =
                start == null ? new double[x.models()] : start.ability().clone();
        double[] b = start == null ? new double[x.items()] : start.difficulty().clone();
        double mu = start == null ? 0.0 : start.meanDifficulty();
        int[][] byModel = grouped(x.model(), x.models());
        int[][] byItem = grouped(x.item(), x.items());
        double[] expB = new double[b.length];
        double[] expMinusTheta = new double[theta.length];
        int sweeps = 0;
        boolean converged = false;
        while (sweeps < Rasch.MAX_SWEEPS && !converged) {
            sweeps++;
            double moved = 0;
            for (int i = 0; i < b.length; i++) {
                expB[i] = Math.exp(b[i]);
            }
            for (int m = 0; m < theta.length; m++) {
                double g = -theta[m] * PA;
                double h = PA;
                double e = Math.exp(-theta[m]);
                for (int c : byModel[m]) {
                    double p = 1.0 / (1.0 + expB[x.item()[c]] * e);
                    g += x.y()[c] - p;
                    h += p * (1 - p);
                }
                double step = Math.max(-Rasch.MAX_STEP, Math.min(Rasch.MAX_STEP, g / h));
                theta[m] += step;
                expMinusTheta[m] = Math.exp(-theta[m]);
                moved = Math.max(moved, Math.abs(step));
            }
            for (int i = 0; i < b.length; i++) {
                double g = -(b[i] - mu) * PB;
                double h = PB;
                for (int c : byItem[i]) {
                    double p = 1.0 / (1.0 + expB[i] * expMinusTheta[x.model()[c]]);
                    g += p - x.y()[c];
                    h += p * (1 - p);
                }
                double step = Math.max(-Rasch.MAX_STEP, Math.min(Rasch.MAX_STEP, g / h));
                b[i] += step;
                moved = Math.max(moved, Math.abs(step));
            }
            double newMu = sum(b) * PB / (b.length * PB + PM);
            moved = Math.max(moved, Math.abs(newMu - mu));
            mu = newMu;
            double shift = -(sum(theta) * PA + mu * PM) / (theta.length * PA + PM);
            for (int m = 0; m < theta.length; m++) {
                theta[m] += shift;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] += shift;
            }
            mu += shift;
            moved = Math.max(moved, Math.abs(shift));
            converged = moved <= Rasch.TOLERANCE;
        }
        double[] se = new double[theta.length];
        for (int m = 0; m < theta.length; m++) {
            double h = PA;
            for (int c : byModel[m]) {
                double p = Rasch.probability(theta[m], b[x.item()[c]]);
                h += p * (1 - p);
            }
            se[m] = 1.0 / Math.sqrt(h);
        }
        return new Rasch.Fit(theta, b, mu, se, sweeps, converged, Double.NaN);
    }

    /** Per group, its cells in cell order. */
    private static int[][] grouped(int[] group, int groups) {
        int[] sizes = new int[groups];
        for (int g : group) {
            sizes[g]++;
        }
        int[][] out = new int[groups][];
        for (int g = 0; g < groups; g++) {
            out[g] = new int[sizes[g]];
            sizes[g] = 0;
        }
        for (int c = 0; c < group.length; c++) {
            out[group[c]][sizes[group[c]]++] = c;
        }
        return out;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }
}
