package org.modelbench.app.manifest;

import java.util.List;
import java.util.Locale;
import org.modelbench.api.ConfigException;

/**
 * The adversarial-robustness evaluation of every trained model, run on the first {@code samples}
 * test rows after training (the {@code robustness} metric).
 *
 * <p>Epsilons are L-infinity radii in pixel space: raw values divided by 255, valid range [0, 1].
 * They are converted to each model's input space through its fitted preprocessing (a model trained
 * on {@code rescale: 255} sees them as they are; with {@code standardize} a pixel step of epsilon is
 * a step of {@code epsilon * 255 / (rescale * std[c])}); adversarial pixels are clipped to [0, 1].
 * FGSM takes one step of epsilon along the sign of the loss gradient; PGD starts at a seeded random
 * point of the epsilon ball and takes {@code pgdSteps} steps of {@code epsilon / 4}, projecting back
 * onto the ball after each. A random-sign noise baseline (each pixel moved by +-epsilon) is always
 * reported too. Models without gradients are attacked by transfer: the examples are crafted on the
 * same seed's {@code surrogate} model and labelled "transfer from" it.
 *
 * @param epsilons  the radii, each in [0, 1], ascending; default [0, 0.05, 0.1, 0.2, 0.3]
 * @param attacks   {@code fgsm} and/or {@code pgd}; default both
 * @param samples   test rows attacked, {@code >= 1} (capped at the test size); default 500
 * @param pgdSteps  PGD iterations, in [1, 100]; default 10
 * @param surrogate the id of a differentiable model of this manifest, for models without gradients;
 *                  default none (then such models are an error)
 */
public record Robustness(List<Double> epsilons, List<Attack> attacks, Integer samples, Integer pgdSteps,
                         String surrogate) {

    /** The attack kinds. */
    public enum Attack {
        FGSM, PGD;

        /** The manifest spelling. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The default radii. */
    public static final List<Double> DEFAULT_EPSILONS = List.of(0.0, 0.05, 0.1, 0.2, 0.3);

    /** All defaults. */
    public static final Robustness DEFAULT = new Robustness(null, null, null, null, null);

    public Robustness {
        epsilons = epsilons == null ? DEFAULT_EPSILONS : List.copyOf(epsilons);
        if (epsilons.isEmpty()) {
            throw new ConfigException("epsilons", "expected a non-empty list of numbers in [0, 1]");
        }
        for (int i = 0; i < epsilons.size(); i++) {
            double e = epsilons.get(i);
            if (!(e >= 0 && e <= 1) || (i > 0 && e <= epsilons.get(i - 1))) {
                throw new ConfigException("epsilons[" + i + "]", "expected ascending numbers in [0, 1], got " + e);
            }
        }
        attacks = attacks == null ? List.of(Attack.FGSM, Attack.PGD) : List.copyOf(attacks);
        if (attacks.isEmpty() || attacks.stream().distinct().count() != attacks.size()) {
            throw new ConfigException("attacks", "expected fgsm and/or pgd, each once, got " + attacks);
        }
        samples = samples == null ? 500 : samples;
        if (samples < 1) {
            throw new ConfigException("samples", "expected an integer >= 1, got " + samples);
        }
        pgdSteps = pgdSteps == null ? 10 : pgdSteps;
        if (pgdSteps < 1 || pgdSteps > 100) {
            throw new ConfigException("pgdSteps", "expected an integer in [1, 100], got " + pgdSteps);
        }
    }
}
