package org.modelbench.app.explain;

import java.util.SplittableRandom;
import org.modelbench.api.DifferentiableModel;
import org.modelbench.api.Tensor;

/**
 * L-infinity attacks on a {@link DifferentiableModel}, computed in pixel space (values in [0, 1]):
 * each returns adversarial pixels within {@code epsilon} of the originals and clipped to [0, 1].
 */
public final class Attacks {
    private final DifferentiableModel model;
    private final PixelSpace space;

    /**
     * @param model the model whose loss gradient guides the attack
     * @param space the model's pixel space
     */
    public Attacks(DifferentiableModel model, PixelSpace space) {
        this.model = model;
        this.space = space;
    }

    /** Fast gradient sign method (Goodfellow et al. 2015): {@code p + epsilon * sign(grad)}. */
    public Tensor fgsm(Tensor pixels, int[] labels, double epsilon) {
        Tensor gradient = model.lossGradient(space.toModel(pixels), labels);
        float[] p = pixels.data();
        float[] g = gradient.data();
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = clip(p[i] + (float) epsilon * Math.signum(g[i]));
        }
        return Tensor.of(pixels.shape(), out);
    }

    /**
     * Projected gradient descent (Madry et al. 2018): a random start in the epsilon ball drawn from
     * {@code seed}, then {@code steps} signed steps of {@code stepSize}, each projected back onto the
     * ball and [0, 1].
     */
    public Tensor pgd(Tensor pixels, int[] labels, double epsilon, int steps, double stepSize, long seed) {
        float[] p = pixels.data();
        float e = (float) epsilon;
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            x[i] = clip(p[i] + (float) ((random.nextDouble() * 2 - 1) * epsilon));
        }
        for (int step = 0; step < steps; step++) {
            float[] g = model.lossGradient(space.toModel(Tensor.of(pixels.shape(), x)), labels).data();
            for (int i = 0; i < p.length; i++) {
                float moved = x[i] + (float) stepSize * Math.signum(g[i]);
                x[i] = clip(Math.max(p[i] - e, Math.min(p[i] + e, moved)));
            }
        }
        return Tensor.of(pixels.shape(), x);
    }

    /** The baseline: every pixel moved by {@code +epsilon} or {@code -epsilon} at random (from {@code seed}), clipped. */
    public static Tensor randomSignNoise(Tensor pixels, double epsilon, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] p = pixels.data();
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = clip(p[i] + (float) (random.nextBoolean() ? epsilon : -epsilon));
        }
        return Tensor.of(pixels.shape(), out);
    }

    private static float clip(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
