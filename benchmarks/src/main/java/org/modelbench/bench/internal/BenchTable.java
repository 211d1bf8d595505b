package org.modelbench.bench.internal;

import java.io.PrintWriter;
import java.util.Map;

/** The bench result as a table read at a glance: one row per {@link Figure}, its target and whether it is met. */
final class BenchTable {
    private BenchTable() {
    }

    static void print(Map<String, Object> result, PrintWriter out) {
        out.printf("%n%-30s %16s  %-12s %s%n", "figure", "value", "target", "");
        for (Figure f : Figure.values()) {
            Double v = f.in(result);
            Boolean ok = f.meets(v);
            out.printf("%-30s %16s  %-12s %s%n", f.label, f.format(v), f.formatTarget(),
                    ok == null ? "" : ok ? "met" : "NOT MET");
        }
        out.printf("%-30s %s%n", "SGEMM kernel (engine)", result.get("sgemm_kernel_detail"));
        if (Boolean.TRUE.equals(result.get("sgemm_native"))) {
            out.printf("%-30s %s%n", "Java SGEMM kernel", result.get("sgemm_java_kernel"));
        } else if (result.get("sgemm_native_status") != null) {
            out.printf("%-30s %s%n", "native BLAS path", result.get("sgemm_native_status"));
        }
        out.printf("%-30s %s%n", "OpenBLAS", result.get("openblas_config") != null
                ? result.get("openblas_config") + ", core " + result.get("openblas_core")
                        + (result.get("openblas_coretype_env") != null ? " (this shell's OPENBLAS_CORETYPE="
                        + result.get("openblas_coretype_env") + " is cleared for the references)" : "")
                : "skipped (" + result.get("openblas_skipped") + ")");
        out.printf("%-30s %s (figures are same-run ratios; absolute timings move with the load)%n", "load average",
                result.get("load_average"));
        out.flush();
    }
}
