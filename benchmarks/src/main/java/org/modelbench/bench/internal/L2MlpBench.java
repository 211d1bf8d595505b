package org.modelbench.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.modelbench.api.Parameter;
import org.modelbench.api.RunContext;
import org.modelbench.api.TrainingEvent;
import org.modelbench.engine.config.OptimizerConfig;
import org.modelbench.engine.config.TrainingSettings;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.NetworkTrainer;

/**
 * The denormal guard: an MLP (784-512-512-10, ReLU) under strong L2 with plain SGD, so that weights
 * without data gradient (MNIST's always-blank border pixels, and soon most others) decay
 * geometrically through the subnormal range within a few epochs (factor {@code 1 - 2 lr l2} = 0.6 per
 * step). CPUs handle subnormal floats many times slower and the JVM cannot set flush-to-zero, so the
 * engine's optimiser flushes them; time per epoch must stay flat. Reports each epoch's seconds,
 * the last-to-first ratio and the slowest epoch over the median (epoch 2 on, after warm-up),
 * and the weights left subnormal (0 expected).
 */
final class L2MlpBench {
    static final float L2 = 2f;
    static final float LEARNING_RATE = 0.1f;

    private L2MlpBench() {
    }

    static Map<String, Object> run(SeedCnnWorkload workload, int epochs, int batch, int threads) {
        Network.Builder b = Network.builder("l2-mlp", SeedCnnWorkload.SAMPLE, 7);
        b.add(Map.of("type", "flatten"), "layers[0]");
        b.add(Map.of("type", "dense", "units", 512, "activation", "relu", "l2", L2), "layers[1]");
        b.add(Map.of("type", "dense", "units", 512, "activation", "relu", "l2", L2), "layers[2]");
        b.add(Map.of("type", "dense", "units", SeedCnnWorkload.CLASSES, "activation", "softmax", "l2", L2), "layers[3]");
        Network net = b.build();
        List<Double> seconds = new ArrayList<>();
        RunContext context = RunContext.of(42).withThreads(threads).withListener(e -> {
            if (e instanceof TrainingEvent.EpochFinished f) {
                seconds.add(f.elapsed().toNanos() / 1e9);
            }
        });
        new NetworkTrainer(new TrainingSettings(epochs, batch, OptimizerConfig.of(OptimizerConfig.Type.SGD, LEARNING_RATE),
                null, null, null)).fit(net, workload.data(), Optional.empty(), context);
        long subnormal = 0;
        long zero = 0;
        long total = 0;
        for (Parameter p : net.parameters()) {
            for (float w : p.value().data()) {
                subnormal += w != 0 && Math.abs(w) < Float.MIN_NORMAL ? 1 : 0;
                zero += w == 0 ? 1 : 0;
                total++;
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("l2_mlp_epoch_seconds", seconds);
        int from = Math.min(1, seconds.size() - 1);
        r.put("l2_mlp_last_to_first", seconds.get(seconds.size() - 1) / seconds.get(from));
        double[] later = seconds.subList(from, seconds.size()).stream().mapToDouble(Double::doubleValue).sorted()
                .toArray();
        r.put("l2_mlp_max_to_median", later[later.length - 1] / later[later.length / 2]);
        r.put("l2_mlp_subnormal_weights", subnormal);
        r.put("l2_mlp_zero_weights_fraction", (double) zero / total);
        return r;
    }
}
