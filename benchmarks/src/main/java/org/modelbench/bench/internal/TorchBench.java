package org.modelbench.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PyTorch on the same workload, through {@code torch_seed_cnn.py} (kept in the repository under
 * {@code benchmarks/python/}, shipped in the jar) run by a separate Python process with the same
 * thread count.
 */
final class TorchBench {
    static final String SCRIPT = "torch_seed_cnn.py";

    /** Training and inference samples/s, or why PyTorch was skipped ({@code skipped != null}). */
    record Result(Double trainSamplesPerSecond, Double inferSamplesPerSecond, String version, String skipped) {
        static Result skipped(String why) {
            return new Result(null, null, null, why);
        }
    }

    private TorchBench() {
    }

    static Result run(Path python, Path mnistDirectory, int threads, int batch, int inferBatch, int samples,
                      double seconds) {
        String missing = unavailable(python, threads);
        if (missing != null) {
            return Result.skipped(missing);
        }
        try {
            List<String> args = new ArrayList<>(List.of("--threads", Integer.toString(threads), "--batch",
                    Integer.toString(batch), "--infer-batch", Integer.toString(inferBatch), "--samples",
                    Integer.toString(samples), "--seconds", Double.toString(seconds)));
            if (mnistDirectory != null) {
                args.add("--mnist");
                args.add(mnistDirectory.toString());
            }
            ChildProcess o = runScript(python, SCRIPT, args, threads, (long) (60 + 40 * seconds));
            if (o.exitCode() != 0) {
                return Result.skipped("the PyTorch script failed (exit " + o.exitCode() + "): " + o.lastLine());
            }
            JsonNode json = new ObjectMapper().readTree(o.lastLine());
            return new Result(json.get("train_samples_per_s").asDouble(), json.get("infer_samples_per_s").asDouble(),
                    json.get("torch_version").asText(), null);
        } catch (IOException e) {
            return Result.skipped("could not run " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.skipped("interrupted");
        }
    }

    /** Why PyTorch cannot run with {@code python}, or {@code null} when it can. */
    static String unavailable(Path python, int threads) {
        if (!Files.isExecutable(python)) {
            return python + " not found";
        }
        try {
            if (exec(List.of(python.toString(), "-c", "import torch"), threads, 120).exitCode() != 0) {
                return "torch is not installed for " + python;
            }
            return null;
        } catch (IOException e) {
            return "could not run " + python + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Runs one of the Python scripts shipped in this jar (copied to a temporary file) with {@code args}. */
    static ChildProcess runScript(Path python, String script, List<String> args, int threads, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile("modelbench-", "-" + script);
        try {
            try (InputStream in = TorchBench.class.getResourceAsStream(script)) {
                if (in == null) {
                    throw new IOException(script + " missing from the benchmarks jar");
                }
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> cmd = new ArrayList<>(List.of(python.toString(), file.toString()));
            cmd.addAll(args);
            return exec(cmd, threads, timeoutSeconds);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static ChildProcess exec(List<String> cmd, int threads, long timeoutSeconds)
            throws IOException, InterruptedException {
        String t = Integer.toString(threads);
        return ChildProcess.run(cmd, Map.of("OMP_NUM_THREADS", t, "MKL_NUM_THREADS", t, "OPENBLAS_NUM_THREADS", t),
                timeoutSeconds);
    }
}
