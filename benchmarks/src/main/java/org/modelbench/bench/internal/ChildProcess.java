package org.modelbench.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A reference contender run as a child process (PyTorch, the OpenBLAS probe): exit code and output. */
record ChildProcess(int exitCode, String output) {

    /** Runs {@code cmd} with {@code env} added to this process's environment; stdout and stderr merged. */
    static ChildProcess run(List<String> cmd, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
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
