package org.modelbench.engine.config;

/**
 * The optimiser and its hyperparameters; missing values take Keras' defaults for the chosen type:
 * <ul>
 *   <li>{@code sgd}: learningRate 0.01, momentum 0, nesterov false</li>
 *   <li>{@code adam}: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7</li>
 *   <li>{@code rmsprop}: learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7</li>
 *   <li>{@code adadelta}: learningRate 1.0 (the value of Keras 2's {@code mnist_cnn} example; tf.keras
 *       2.x lowered it to 0.001, which barely trains), rho 0.95, epsilon 1e-7</li>
 * </ul>
 *
 * @param type         the optimiser, default {@code adam}
 * @param learningRate the base step size, {@code > 0}
 * @param momentum     sgd/rmsprop momentum in {@code [0, 1)}
 * @param nesterov     sgd with Nesterov momentum
 * @param beta1        adam's first-moment decay
 * @param beta2        adam's second-moment decay
 * @param rho          rmsprop/adadelta decay
 * @param epsilon      the numerical-stability term
 */
public record OptimizerConfig(Type type, Float learningRate, Float momentum, Boolean nesterov, Float beta1,
                              Float beta2, Float rho, Float epsilon) {

    /** Optimiser types. */
    public enum Type { SGD, ADAM, RMSPROP, ADADELTA }

    public OptimizerConfig {
        type = type == null ? Type.ADAM : type;
        float defaultRate = switch (type) {
            case SGD -> 0.01f;
            case ADAM, RMSPROP -> 0.001f;
            case ADADELTA -> 1.0f;
        };
        learningRate = LayerConfigs.positive(learningRate, "learningRate", defaultRate);
        momentum = LayerConfigs.fraction(momentum, "momentum", 0f);
        nesterov = nesterov != null && nesterov;
        beta1 = LayerConfigs.fraction(beta1, "beta1", 0.9f);
        beta2 = LayerConfigs.fraction(beta2, "beta2", 0.999f);
        rho = LayerConfigs.fraction(rho, "rho", type == Type.ADADELTA ? 0.95f : 0.9f);
        epsilon = LayerConfigs.positive(epsilon, "epsilon", 1e-7f);
    }

    /** The optimiser {@code type} with all defaults. */
    public static OptimizerConfig of(Type type) {
        return new OptimizerConfig(type, null, null, null, null, null, null, null);
    }

    /** The optimiser {@code type} with another learning rate. */
    public static OptimizerConfig of(Type type, float learningRate) {
        return new OptimizerConfig(type, learningRate, null, null, null, null, null, null);
    }
}
