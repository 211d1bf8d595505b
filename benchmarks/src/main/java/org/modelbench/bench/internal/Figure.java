package org.modelbench.bench.internal;

import java.util.Locale;
import java.util.Map;

/**
 * The bench's headline figures: their JSON key, how to print them, which way is better and the
 * target the issue tracker set (where there is one). The one catalogue that the table
 * ({@link BenchTable}) and {@code --compare} ({@link BenchComparison}) read.
 */
enum Figure {
    SGEMM("engine SGEMM (as used)", "sgemm_gflops", "GFLOP/s", true, null),
    SGEMM_JAVA("Java SGEMM kernel", "sgemm_java_gflops", "GFLOP/s", true, null),
    OPENBLAS("OpenBLAS SGEMM", "openblas_gflops", "GFLOP/s", true, null),
    SGEMM_VS_OPENBLAS("engine SGEMM / OpenBLAS", "sgemm_vs_openblas", "x", true, 0.85),
    SGEMM_JAVA_VS_OPENBLAS("Java SGEMM / OpenBLAS", "sgemm_java_vs_openblas", "x", true, null),
    TRAIN("seed CNN training", "engine_train_samples_per_s", "samples/s", true, null),
    TORCH_TRAIN("PyTorch training", "torch_train_samples_per_s", "samples/s", true, null),
    TRAIN_VS_TORCH("training / PyTorch", "train_vs_torch", "x", true, 1.5),
    TRAIN_VS_OPENBLAS("training GFLOP/s / OpenBLAS", "engine_train_fraction_of_openblas", "x", true, 0.45),
    INFER("seed CNN inference", "engine_infer_samples_per_s", "samples/s", true, null),
    ORT_INFER("ONNX Runtime inference", "ort_infer_samples_per_s", "samples/s", true, null),
    INFER_VS_ORT("inference / ONNX Runtime", "infer_vs_ort", "x", true, 1.0),
    PEAK_RSS("peak RSS, training", "peak_rss_mb", "MiB", false, 1024.0),
    L2_FLATNESS("L2 MLP slowest/median epoch", "l2_mlp_max_to_median", "x", false, null);

    final String label;
    final String key;
    final String unit;
    final boolean higherIsBetter;
    /** The bound to meet ({@code >=} when higher is better, else {@code <=}), or {@code null}. */
    final Double target;

    Figure(String label, String key, String unit, boolean higherIsBetter, Double target) {
        this.label = label;
        this.key = key;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.target = target;
    }

    /** This figure in a bench result, or {@code null} when absent or not a number. */
    Double in(Map<String, Object> result) {
        return result.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    /** Whether {@code value} meets the target ({@code null} without a target or value). */
    Boolean meets(Double value) {
        if (target == null || value == null) {
            return null;
        }
        return higherIsBetter ? value >= target : value <= target;
    }

    String format(Double value) {
        if (value == null) {
            return "n/a";
        }
        if (unit.equals("x")) {
            return String.format(Locale.ROOT, "%.2fx", value);
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, unit);
    }

    String formatTarget() {
        if (target == null) {
            return "";
        }
        String v = unit.equals("x") ? String.format(Locale.ROOT, "%.2fx", target)
                : String.format(Locale.ROOT, "%.0f %s", target, unit);
        return (higherIsBetter ? ">= " : "<= ") + v;
    }
}
