package org.modelbench.onnx.internal;

import java.util.List;
import java.util.Map;

/** ONNX Runtime against the native import: inference samples/s on the same model and inputs, in one run. */
final class Benchmark {

    record Result(int batch, double ortSamplesPerSecond, long ortBatches, double nativeSamplesPerSecond,
                  long nativeBatches, double maxRelativeError) {
    }

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
            double[] o = time(seconds, () -> ort.run(feeds, outputs));
            double[] n = time(seconds, () -> graph.run(feeds, outputs, threads));
            return new Result(samples, o[1] * samples / o[0], (long) o[1], n[1] * samples / n[0], (long) n[1], error);
        }
    }

    /** Runs {@code body} repeatedly for about {@code seconds} (at least 3 times) after one warm-up: {elapsed s, runs}. */
    private static double[] time(double seconds, Runnable body) {
        body.run();
        long start = System.nanoTime();
        int runs = 0;
        while (runs < 3 || (System.nanoTime() - start) / 1e9 < seconds) {
            body.run();
            runs++;
        }
        return new double[] {(System.nanoTime() - start) / 1e9, runs};
    }
}
