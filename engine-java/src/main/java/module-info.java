/**
 * The native Java neural-network engine: layers with forward and backward passes, optimisers,
 * the model families {@code logreg}, {@code mlp}, {@code cnn}, {@code seed-cnn}, {@code cnn1d}, {@code lenet5},
 * {@code alexnet} and {@code vgg16}, and a code-free saved-model format (JSON architecture plus
 * safetensors weights). Other modules build and train networks through
 * {@code org.modelbench.engine.graph}.
 */
module org.modelbench.engine {
    requires transitive org.modelbench.api;
    requires com.fasterxml.jackson.databind;
    // optional: the Vector API SGEMM when the JVM resolves it (the launcher adds it), else scalar
    requires static jdk.incubator.vector;

    exports org.modelbench.engine.graph;
    exports org.modelbench.engine.config;
    // the stable kernel API (Sgemm, Parallel): the ONNX plugin's interpreter, the benchmarks
    exports org.modelbench.engine.kernels;
    opens org.modelbench.engine.config to org.modelbench.api;

    provides org.modelbench.api.spi.ModelFamilyProvider with
            org.modelbench.engine.internal.Families.LogReg,
            org.modelbench.engine.internal.Families.Mlp,
            org.modelbench.engine.internal.Families.Cnn,
            org.modelbench.engine.internal.Families.SeedCnn,
            org.modelbench.engine.internal.Families.Cnn1d,
            org.modelbench.engine.internal.Families.Lenet5,
            org.modelbench.engine.internal.Families.AlexNet,
            org.modelbench.engine.internal.Families.Vgg16;
    provides org.modelbench.api.spi.LayerProvider with
            org.modelbench.engine.internal.LayerProviders.Dense,
            org.modelbench.engine.internal.LayerProviders.Conv2D,
            org.modelbench.engine.internal.LayerProviders.MaxPool2D,
            org.modelbench.engine.internal.LayerProviders.AvgPool2D,
            org.modelbench.engine.internal.LayerProviders.Conv1D,
            org.modelbench.engine.internal.LayerProviders.MaxPool1D,
            org.modelbench.engine.internal.LayerProviders.AvgPool1D,
            org.modelbench.engine.internal.LayerProviders.GlobalAvgPool,
            org.modelbench.engine.internal.LayerProviders.Flatten,
            org.modelbench.engine.internal.LayerProviders.Dropout,
            org.modelbench.engine.internal.LayerProviders.Relu,
            org.modelbench.engine.internal.LayerProviders.LeakyRelu,
            org.modelbench.engine.internal.LayerProviders.Sigmoid,
            org.modelbench.engine.internal.LayerProviders.Tanh,
            org.modelbench.engine.internal.LayerProviders.Softmax,
            org.modelbench.engine.internal.LayerProviders.BatchNorm,
            org.modelbench.engine.internal.LayerProviders.Lrn,
            org.modelbench.engine.internal.LayerProviders.Add,
            org.modelbench.engine.internal.LayerProviders.Concat;
}
