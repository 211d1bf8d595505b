package org.modelbench.engine.config;

/**
 * Max or average pooling over windows along the length of each channel of {@code [channels, length]}
 * samples. Average pooling ignores padded cells (it divides by the number of real cells in the
 * window). The output is {@code [channels, outLength]} with
 * {@code outLength = floor((length + padLeft + padRight - pool) / stride) + 1}
 * ({@code ceil(length / stride)} for {@code same}).
 *
 * @param pool    window, default 2
 * @param stride  default: the window
 * @param padding as for {@link Conv1DConfig}; default {@code valid}
 */
public record Pool1DConfig(Integer pool, Integer stride, Object padding) {
    public Pool1DConfig {
        pool = LayerConfigs.atLeast(pool, "pool", 1, 2);
        stride = LayerConfigs.atLeast(stride, "stride", 1, pool);
        padding = Padding.parseSequence(padding, "padding").toSequenceSpec();
    }

    /** A window of {@code p} with stride {@code s} and no padding. */
    public static Pool1DConfig of(int p, int s) {
        return new Pool1DConfig(p, s, null);
    }

    /** The padding rule (left and right cells when explicit). */
    public Padding paddingRule() {
        return Padding.parseSequence(padding, "padding");
    }
}
