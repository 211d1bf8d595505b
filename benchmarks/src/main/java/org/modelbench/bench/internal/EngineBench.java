package org.modelbench.bench.internal;

import java.util.Optional;
import org.modelbench.api.LayerContext;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.OptimizerConfig;
import org.modelbench.engine.config.TrainingSettings;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.NetworkTrainer;

/** The native engine on the seed CNN: training (Adam, cross-entropy, one epoch per fit) and inference. */
final class EngineBench {
    private EngineBench() {
    }

    /** Training samples per second: whole epochs over the workload with {@link NetworkTrainer}. */
    static double trainSamplesPerSecond(Network network, SeedCnnWorkload workload, int batch, int threads,
                                        double seconds) {
        NetworkTrainer trainer = new NetworkTrainer(new TrainingSettings(1, batch,
                OptimizerConfig.of(OptimizerConfig.Type.ADAM), null, null, null));
        RunContext context = RunContext.of(42).withThreads(threads);
        return Timing.rate(seconds, 1, () -> {
            trainer.fit(network, workload.data(), Optional.empty(), context);
            return workload.data().size();
        });
    }

    /** Inference samples per second on the first {@code batch} samples, one forward pass per call. */
    static double inferSamplesPerSecond(Network network, Tensor batch, int threads, double seconds) {
        LayerContext context = new LayerContext(false, 0, threads);
        return Timing.rate(seconds, 3, () -> {
            network.forward(batch, context);
            return batch.batchSize();
        });
    }
}
