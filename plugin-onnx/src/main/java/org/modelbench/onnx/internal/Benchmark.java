package org.modelbench.onnx.internal;

import java.util.List;
import java.util.Map;

/** ONNX Runtime against the native import: inference samples/s on the same model and inputs, in one run. */
final class Benchmark {

    record Result(int batch, double ortSamplesPerSecond, long ortBatches, double nativeSamplesPerSecond,
                  long nativeBatches, double maxRelativeError) {
    }

    private static final int ROUNDS = 3;
    /** The least warm-up of the native import, in seconds and in runs. */
    private static final double WARM_UP_SECONDS = 3;
    private static final int WARM_UP_RUNS = 5;

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
            // Warm-up until the JIT has compiled the interpreter's Vector API kernels (before that
            // they run as slow Java fallbacks: measured under load, for the first 15 s of a ResNet-18
            // run), then rounds that alternate the two, so both see the same machine load on average.
            warmUp(Math.max(WARM_UP_SECONDS, seconds), () -> graph.run(feeds, outputs, threads));
            double[] o = new double[2];
            double[] n = new double[2];
            for (int round = 0; round < ROUNDS; round++) {
                add(o, time(seconds / ROUNDS, () -> ort.run(feeds, outputs)));
                add(n, time(seconds / ROUNDS, () -> graph.run(feeds, outputs, threads)));
            }
            return new Result(samples, o[1] * samples / o[0], (long) o[1], n[1] * samples / n[0], (long) n[1], error);
        }
    }

    /**
     * Runs {@code body} for at least {@code seconds} and {@value #WARM_UP_RUNS} runs, then until a run
     * is no faster than the best of the three before it (steady state), for {@code 4 * seconds} at most.
     */
    private static void warmUp(double seconds, Runnable body) {
        long start = System.nanoTime();
        java.util.ArrayDeque<Long> recent = new java.util.ArrayDeque<>();
        for (int runs = 0; ; runs++) {
            long t0 = System.nanoTime();
            body.run();
            long took = System.nanoTime() - t0;
            double elapsed = (System.nanoTime() - start) / 1e9;
            boolean steady = recent.size() == 3 && took >= recent.stream().mapToLong(Long::longValue).min().getAsLong();
            if (elapsed >= 4 * seconds || runs + 1 >= WARM_UP_RUNS && elapsed >= seconds && steady) {
                return;
            }
            recent.addLast(took);
            if (recent.size() > 3) {
                recent.removeFirst();
            }
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
