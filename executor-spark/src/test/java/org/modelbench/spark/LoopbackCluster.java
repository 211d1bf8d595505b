package org.modelbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The loopback standalone cluster of {@code scripts/spark-standalone.sh}: one master and two workers
 * (one core each) on 127.0.0.1, started and stopped by a test. Its executors get the test JVM's class
 * path ({@code spark.executor.extraClassPath}): they run on this machine.
 *
 * @param state the cluster's folder (pid files, logs, work folders)
 * @param url   the master URL
 */
record LoopbackCluster(Path state, String url) implements AutoCloseable {
    static final Path SCRIPT = Path.of("..", "scripts", "spark-standalone.sh").toAbsolutePath().normalize();

    static LoopbackCluster start(Path state) throws IOException, InterruptedException {
        String out = script(state, "start").strip();
        String url = out.lines().reduce((a, b) -> b).orElse("");
        if (!url.matches("spark://127\\.0\\.0\\.1:\\d+")) {
            script(state, "stop");
            throw new IllegalStateException("the cluster did not start: " + out);
        }
        return new LoopbackCluster(state, url);
    }

    /** The JVM of executor {@code id} of this cluster (a child of one of its workers), if it runs. */
    Optional<ProcessHandle> executor(String id) throws IOException {
        List<ProcessHandle> children = new java.util.ArrayList<>();
        for (int worker = 1; worker <= 2; worker++) {
            Path pidFile = state.resolve("worker-" + worker + ".pid");
            if (java.nio.file.Files.isRegularFile(pidFile)) {
                ProcessHandle.of(Long.parseLong(java.nio.file.Files.readString(pidFile).strip()))
                        .ifPresent(w -> w.children().forEach(children::add));
            }
        }
        for (ProcessHandle child : children) {
            String line;
            try {
                line = new String(java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(child.pid()),
                        "cmdline")), StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue; // it has ended meanwhile
            }
            if (line.contains("CoarseGrainedExecutorBackend") && line.contains("\0--executor-id\0" + id + "\0")) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        script(state, "stop");
    }

    private static String script(Path state, String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", SCRIPT.toString(), command)).redirectErrorStream(true);
        builder.environment().put("SPARK_STANDALONE_DIR", state.toString());
        builder.environment().put("SPARK_WORKER_CORES", "1");
        builder.environment().put("SPARK_WORKER_MEMORY", "1g");
        // the executors multiply with this JVM's OpenBLAS core (the tests compare with local runs in this JVM):
        // the script starts its workers without OPENBLAS_CORETYPE unless MODELBENCH_OPENBLAS_CORETYPE pins one
        String core = System.getenv("OPENBLAS_CORETYPE");
        if (core != null && !core.isEmpty()) {
            builder.environment().put("MODELBENCH_OPENBLAS_CORETYPE", core);
        }
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("spark-standalone.sh " + command + " timed out: " + out);
        }
        assertEquals(0, p.exitValue(), "spark-standalone.sh " + command + ": " + out);
        return out;
    }
}
