package org.modelbench.engine.internal;

import java.util.SplittableRandom;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.Initializer;

/** Deterministic weight initialisation. */
public final class Init {
    private Init() {
    }

    /** Fills {@code t} by {@code rule} with the given fans, from {@code seed} alone. */
    public static Tensor fill(Tensor t, Initializer rule, int fanIn, int fanOut, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = t.data();
        switch (rule) {
            case GLOROT_UNIFORM -> uniform(w, Math.sqrt(6.0 / (fanIn + fanOut)), random);
            case HE_UNIFORM -> uniform(w, Math.sqrt(6.0 / fanIn), random);
            case HE_NORMAL -> {
                double sd = Math.sqrt(2.0 / fanIn) / 0.87962566103423978; // truncated at 2 sd
                for (int i = 0; i < w.length; i++) {
                    double v;
                    do {
                        v = gaussian(random);
                    } while (Math.abs(v) > 2);
                    w[i] = (float) (v * sd);
                }
            }
        }
        return t;
    }

    private static void uniform(float[] w, double limit, SplittableRandom random) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u;
        double v;
        double s;
        do {
            u = random.nextDouble() * 2 - 1;
            v = random.nextDouble() * 2 - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
