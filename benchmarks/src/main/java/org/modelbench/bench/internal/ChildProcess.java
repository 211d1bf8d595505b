package org.modelbench.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A reference contender run as a child process (PyTorch, the OpenBLAS probe): exit code and output. */
record ChildProcess(int exitCode, String output) {

    /**
     * Variables that pin OpenBLAS to a kernel or cache size other than the one it detects for this CPU.
     * A reference runs without them, at its best on this machine: on an AVX-512 EPYC,
     * {@code OPENBLAS_CORETYPE=Haswell} halves OpenBLAS's SGEMM (196 against 390 GFLOP/s, 2 threads).
     */
    static final List<String> PINNING_VARIABLES = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    /**
     * Runs {@code cmd} with {@code env} added to this process's environment and the
     * {@link #PINNING_VARIABLES} removed from it; stdout and stderr merged.
     */
    static ChildProcess run(List<String> cmd, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        PINNING_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new ChildProcess(-1, "timed out after " + timeoutSeconds + " s");
        }
        return new ChildProcess(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The last line of the output (where the contenders print their JSON). */
    String lastLine() {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
