package org.modelbench.app.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Dataset;
import org.modelbench.api.DifferentiableModel;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.app.manifest.Robustness;
import org.modelbench.app.run.RobustnessResult;

/**
 * Accuracy of a model on the first test rows under the random-sign noise baseline and the
 * configured attacks at each epsilon (see {@link Robustness} for the definitions). Examples are
 * crafted on a source model (the target itself for white-box attacks, a surrogate for transfer) and
 * scored on the target; the two may have different preprocessing, so everything passes through
 * pixel space. Deterministic for a seed.
 */
public final class RobustnessEvaluation {
    private static final int BATCH = 100;

    private RobustnessEvaluation() {
    }

    /**
     * One side of an evaluation: a model and its pixel space.
     *
     * @param model the model
     * @param space its pixel space
     */
    public record Side(Model model, PixelSpace space) {
    }

    /**
     * @param target   the model scored
     * @param source   the differentiable model the attacks use ({@code target} for white-box)
     * @param method   {@code white-box} or {@code transfer from <id>}
     * @param test     the target's preprocessed test rows
     * @param settings epsilons, attacks, sample count, PGD steps
     * @param seed     noise and PGD random starts derive from it
     */
    public static RobustnessResult evaluate(Side target, Side source, String method, Dataset test, Robustness settings,
                                            long seed) {
        DifferentiableModel attacker = (DifferentiableModel) source.model();
        Attacks attacks = new Attacks(attacker, source.space());
        int n = Math.min(settings.samples(), test.size());
        List<Double> epsilons = settings.epsilons();
        Map<String, long[]> hits = new LinkedHashMap<>();
        hits.put(RobustnessResult.NOISE, new long[epsilons.size()]);
        for (Robustness.Attack a : settings.attacks()) {
            hits.put(a.id(), new long[epsilons.size()]);
        }
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            Tensor pixels = target.space().toPixels(test.features().slice(from, to));
            int[] labels = java.util.Arrays.copyOfRange(test.labels(), from, to);
            for (int e = 0; e < epsilons.size(); e++) {
                double eps = epsilons.get(e);
                long batchSeed = RunContext.mix(seed + 1_000_003L * e + from);
                hits.get(RobustnessResult.NOISE)[e] += correct(target, Attacks.randomSignNoise(pixels, eps, batchSeed),
                        labels);
                for (Robustness.Attack a : settings.attacks()) {
                    Tensor adversarial = eps == 0 ? pixels : switch (a) {
                        case FGSM -> attacks.fgsm(pixels, labels, eps);
                        case PGD -> attacks.pgd(pixels, labels, eps, settings.pgdSteps(), eps / 4,
                                RunContext.mix(batchSeed + 17));
                    };
                    hits.get(a.id())[e] += correct(target, adversarial, labels);
                }
            }
        }
        Map<String, List<Double>> accuracy = new LinkedHashMap<>();
        hits.forEach((kind, h) -> {
            List<Double> values = new ArrayList<>();
            for (long count : h) {
                values.add((double) count / n);
            }
            accuracy.put(kind, values);
        });
        return new RobustnessResult(method, n, epsilons, accuracy);
    }

    private static long correct(Side target, Tensor pixels, int[] labels) {
        int[] predicted = target.model().predict(target.space().toModel(pixels));
        long hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                hits++;
            }
        }
        return hits;
    }
}
