package org.modelbench.app.run;

import java.util.List;
import java.util.Map;

/**
 * A model's accuracy under attack, part of {@code metrics.json}.
 *
 * @param method   {@code white-box} (the model's own gradients) or {@code transfer from <model id>}
 * @param samples  the test rows attacked
 * @param epsilons the L-infinity radii in pixel space [0, 1]
 * @param accuracy per kind ({@code noise}, {@code fgsm}, {@code pgd}): the accuracy at each epsilon
 */
public record RobustnessResult(String method, int samples, List<Double> epsilons, Map<String, List<Double>> accuracy) {

    /** The noise baseline's key in {@link #accuracy}. */
    public static final String NOISE = "noise";

    public RobustnessResult {
        epsilons = List.copyOf(epsilons);
        accuracy = Map.copyOf(accuracy);
    }

    /** At each epsilon, the lowest accuracy over the attacks (noise excluded). */
    public double[] strongest() {
        double[] out = new double[epsilons.size()];
        java.util.Arrays.fill(out, Double.POSITIVE_INFINITY);
        accuracy.forEach((kind, values) -> {
            if (!kind.equals(NOISE)) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Math.min(out[i], values.get(i));
                }
            }
        });
        return out;
    }

    /** The {@code robustness} metric: the mean over the epsilons of {@link #strongest()}. */
    public double score() {
        return java.util.Arrays.stream(strongest()).average().orElse(Double.NaN);
    }
}
