package org.modelbench.onnx.internal;

import java.util.List;
import java.util.Map;

/** ONNX Runtime against the native import: inference samples/s on the same model and inputs, in one run. */
final class Benchmark {

    record Result(int batch, double ortSamplesPerSecond, long ortBatches, double nativeSamplesPerSecond,
                  long nativeBatches, double maxRelativeError) {
    }

    private static final int ROUNDS = 3;

    private Benchmark() {
    }

    static Result run(OnnxModelFile model, int batch, double seconds, int threads) {
        Map<String, Value> feeds = OnnxCli.randomFeeds(model, batch, 42);
        int samples = feeds.values().iterator().next().dim(0);
        NativeGraph graph = OnnxImporter.importModel(model);
        List<String> outputs = graph.outputs();
        try (OrtRunner ort = new OrtRunner(model, threads)) {
            Map<String, Value> reference = ort.run(feeds, outputs);
            Map<String, Value> mine = graph.run(feeds, outputs, threads);
            double error = 0;
            for (String o : outputs) {
                error = Math.max(error, Parity.relativeError(mine.get(o), reference.get(o)));
            }
            // Warm-up (the JIT compiles the native kernels), then rounds that alternate the two, so
            // both see the same machine load on average.
            time(Math.max(1, seconds / 3), () -> graph.run(feeds, outputs, threads));
            double[] o = new double[2];
            double[] n = new double[2];
            for (int round = 0; round < ROUNDS; round++) {
                add(o, time(seconds / ROUNDS, () -> ort.run(feeds, outputs)));
                add(n, time(seconds / ROUNDS, () -> graph.run(feeds, outputs, threads)));
            }
            return new Result(samples, o[1] * samples / o[0], (long) o[1], n[1] * samples / n[0], (long) n[1], error);
        }
    }

    private static void add(double[] total, double[] more) {
        total[0] += more[0];
        total[1] += more[1];
    }

    /** Runs {@code body} repeatedly for about {@code seconds} (at least twice) after one untimed run: {elapsed s, runs}. */
    private static double[] time(double seconds, Runnable body) {
        body.run();
        long start = System.nanoTime();
        int runs = 0;
        while (runs < 2 || (System.nanoTime() - start) / 1e9 < seconds) {
            body.run();
            runs++;
        }
        return new double[] {(System.nanoTime() - start) / 1e9, runs};
    }
}
