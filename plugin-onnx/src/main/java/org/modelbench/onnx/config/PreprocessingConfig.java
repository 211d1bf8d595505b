package org.modelbench.onnx.config;

import java.util.List;
import java.util.Locale;
import org.modelbench.api.ConfigException;

/**
 * How dataset images become model inputs, applied in this order: {@code resize} (bilinear, to
 * {@code [height, width]}), {@code greyToRgb} (one channel repeated three times), multiply by
 * {@code scale}, subtract {@code mean} and divide by {@code std} per channel, then lay out as the
 * model expects ({@code nchw} or {@code nhwc}; the transposition happens when the model is fed).
 *
 * @param resize    {@code [height, width]}, or null to keep the size
 * @param greyToRgb repeat a single channel three times, default false
 * @param scale     multiplier, default 1
 * @param mean      per-channel (or one) value to subtract, default none
 * @param std       per-channel (or one) divisor, default none
 * @param layout    {@code nchw} (default) or {@code nhwc}: the layout of the model's input
 */
public record PreprocessingConfig(List<Integer> resize, Boolean greyToRgb, Float scale, List<Float> mean,
                                  List<Float> std, String layout) {
    public PreprocessingConfig {
        if (resize != null && (resize.size() != 2 || resize.get(0) < 1 || resize.get(1) < 1)) {
            throw new ConfigException("resize", "expected [height, width] with both >= 1, got " + resize);
        }
        greyToRgb = greyToRgb != null && greyToRgb;
        scale = scale == null ? 1f : scale;
        if (!Float.isFinite(scale)) {
            throw new ConfigException("scale", "expected a finite number, got " + scale);
        }
        mean = mean == null ? List.of() : List.copyOf(mean);
        std = std == null ? List.of() : List.copyOf(std);
        for (Float s : std) {
            if (!(s > 0)) {
                throw new ConfigException("std", "expected values > 0, got " + std);
            }
        }
        layout = layout == null ? "nchw" : layout.toLowerCase(Locale.ROOT);
        if (!layout.equals("nchw") && !layout.equals("nhwc")) {
            throw new ConfigException("layout", "expected nchw or nhwc, got " + layout);
        }
    }

    /** No preprocessing, NCHW. */
    public static PreprocessingConfig none() {
        return new PreprocessingConfig(null, null, null, null, null, null);
    }

    public boolean nhwc() {
        return layout.equals("nhwc");
    }
}
