package org.modelbench.engine.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Parameter;
import org.modelbench.engine.config.OptimizerConfig;
import org.modelbench.engine.kernels.Parallel;

/**
 * One optimiser run with its per-parameter state (fresh for each training call). {@link #step}
 * adds each trainable parameter's L2 gradient {@code 2 * l2 * w}, applies the update rule (Keras'
 * formulas), flushes subnormal weights and state to zero (they slow CPU arithmetic many-fold) and
 * clears every gradient.
 */
public final class Optimizer {
    private static final int BLOCK = 1 << 14;
    private final OptimizerConfig config;
    private final Map<Parameter, float[][]> state = new HashMap<>();
    private long steps;

    public Optimizer(OptimizerConfig config) {
        this.config = config;
    }

    /** Applies one update with learning rate {@code lr} to every trainable parameter, then zeroes all gradients. */
    public void step(List<Parameter> parameters, float lr, int threads) {
        steps++;
        for (Parameter p : parameters) {
            if (p.trainable()) {
                update(p, lr, threads); // clears the gradient block by block, in the same parallel pass
            } else {
                java.util.Arrays.fill(p.gradient().data(), 0f);
            }
        }
    }

    private float[][] state(Parameter p, int slots) {
        return state.computeIfAbsent(p, k -> new float[slots][k.size()]);
    }

    private void update(Parameter p, float lr, int threads) {
        float[] w = p.value().data();
        float[] g = p.gradient().data();
        float l2x2 = 2 * p.l2();
        int n = w.length;
        OptimizerConfig c = config;
        float[][] s;
        switch (c.type()) {
            case SGD -> s = c.momentum() > 0 ? state(p, 1) : null;
            case ADAM, ADADELTA -> s = state(p, 2);
            case RMSPROP -> s = state(p, c.momentum() > 0 ? 2 : 1);
            default -> throw new IllegalStateException();
        }
        double b1t = 1 - Math.pow(c.beta1(), steps);
        double b2t = 1 - Math.pow(c.beta2(), steps);
        float adamRate = (float) (lr * Math.sqrt(b2t) / b1t);
        Parallel.forEach((n + BLOCK - 1) / BLOCK, threads, block -> {
            int end = Math.min(n, (block + 1) * BLOCK);
            if (c.type() == OptimizerConfig.Type.ADAM) {
                Elementwise.adam(w, g, s[0], s[1], block * BLOCK, end, l2x2, c.beta1(), c.beta2(), adamRate,
                        c.epsilon());
                java.util.Arrays.fill(g, block * BLOCK, end, 0f);
                return;
            }
            for (int i = block * BLOCK; i < end; i++) {
                float gi = g[i] + l2x2 * w[i];
                float wi = w[i];
                switch (c.type()) {
                    case SGD -> {
                        if (s == null) {
                            wi -= lr * gi;
                        } else {
                            float v = c.momentum() * s[0][i] - lr * gi;
                            s[0][i] = flush(v);
                            wi += c.nesterov() ? c.momentum() * v - lr * gi : v;
                        }
                    }
                    case RMSPROP -> {
                        float ms = c.rho() * s[0][i] + (1 - c.rho()) * gi * gi;
                        s[0][i] = flush(ms);
                        float delta = lr * gi / ((float) Math.sqrt(ms) + c.epsilon());
                        if (s.length > 1) {
                            delta += c.momentum() * s[1][i];
                            s[1][i] = flush(delta);
                        }
                        wi -= delta;
                    }
                    case ADADELTA -> {
                        float acc = c.rho() * s[0][i] + (1 - c.rho()) * gi * gi;
                        float upd = gi * (float) Math.sqrt(s[1][i] + c.epsilon()) / (float) Math.sqrt(acc + c.epsilon());
                        s[0][i] = flush(acc);
                        s[1][i] = flush(c.rho() * s[1][i] + (1 - c.rho()) * upd * upd);
                        wi -= lr * upd;
                    }
                    default -> throw new IllegalStateException();
                }
                w[i] = flush(wi);
            }
            java.util.Arrays.fill(g, block * BLOCK, end, 0f);
        });
    }

    private static float flush(float v) {
        return Elementwise.flush(v);
    }
}
