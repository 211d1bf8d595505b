package org.modelbench.engine.config;

import java.util.List;

/**
 * Max or average pooling over windows of each channel. Average pooling ignores padded cells (it
 * divides by the number of real cells in the window). Output size as for {@link Conv2DConfig}.
 *
 * @param pool    window {@code p} or {@code [ph, pw]}, default 2
 * @param stride  default: the window size
 * @param padding see {@link Padding}; default {@code valid}
 */
public record Pool2DConfig(Object pool, Object stride, Object padding) {
    public Pool2DConfig {
        IntPair p = IntPair.parse(pool, "pool", 1, new IntPair(2, 2));
        pool = List.of(p.h(), p.w());
        IntPair s = IntPair.parse(stride, "stride", 1, p);
        stride = List.of(s.h(), s.w());
        padding = Padding.parse(padding, "padding").toSpec();
    }

    /** A window of {@code p x p} with stride {@code s} and no padding. */
    public static Pool2DConfig of(int p, int s) {
        return new Pool2DConfig(p, s, null);
    }

    public IntPair poolSize() {
        return IntPair.parse(pool, "pool", 1, null);
    }

    public IntPair strides() {
        return IntPair.parse(stride, "stride", 1, null);
    }

    public Padding paddingRule() {
        return Padding.parse(padding, "padding");
    }
}
