package org.modelbench.bench.internal;

import java.util.Optional;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.engine.config.OptimizerConfig;
import org.modelbench.engine.config.TrainingSettings;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.NetworkTrainer;

/** The native engine on the seed CNN: training (Adam, cross-entropy, one epoch per fit) and inference. */
final class EngineBench {
    private final Network network;
    private final SeedCnnWorkload workload;
    private final NetworkTrainer trainer;
    private final RunContext runContext;
    private final int threads;

    EngineBench(Network network, SeedCnnWorkload workload, int batch, int threads) {
        this.network = network;
        this.workload = workload;
        this.trainer = new NetworkTrainer(new TrainingSettings(1, batch, OptimizerConfig.of(OptimizerConfig.Type.ADAM),
                null, null, null));
        this.runContext = RunContext.of(42).withThreads(threads);
        this.threads = threads;
    }

    /** One epoch over the workload with {@link NetworkTrainer}: the samples trained. */
    long trainEpoch() {
        trainer.fit(network, workload.data(), Optional.empty(), runContext);
        return workload.data().size();
    }

    /** One inference pass over {@code batch} ({@link Network#predict}): the samples run. */
    long infer(Tensor batch) {
        network.predict(batch, threads);
        return batch.batchSize();
    }
}
