package org.modelbench.engine.config;

/**
 * How the learning rate changes per epoch {@code e} (counted from 0), from the base rate {@code r}:
 * <ul>
 *   <li>{@code constant}: {@code r}</li>
 *   <li>{@code step}: {@code r * gamma^floor(e / stepEpochs)}</li>
 *   <li>{@code exponential}: {@code r * gamma^e}</li>
 *   <li>{@code cosine}: {@code min + (r - min) * (1 + cos(pi * e / epochs)) / 2}</li>
 * </ul>
 *
 * @param type            default {@code constant}
 * @param stepEpochs      epochs per step, default 10
 * @param gamma           decay factor in {@code (0, 1]}, default 0.1 (step) or 0.95 (exponential)
 * @param minLearningRate the cosine floor, default 0
 */
public record ScheduleConfig(Type type, Integer stepEpochs, Float gamma, Float minLearningRate) {

    /** Schedule types. */
    public enum Type { CONSTANT, STEP, EXPONENTIAL, COSINE }

    public ScheduleConfig {
        type = type == null ? Type.CONSTANT : type;
        stepEpochs = LayerConfigs.atLeast(stepEpochs, "stepEpochs", 1, 10);
        gamma = LayerConfigs.positive(gamma, "gamma", type == Type.EXPONENTIAL ? 0.95f : 0.1f);
        if (gamma > 1) {
            throw new org.modelbench.api.ConfigException("gamma", "expected a number in (0, 1], got " + gamma);
        }
        minLearningRate = LayerConfigs.nonNegative(minLearningRate, "minLearningRate", 0f);
    }

    /** A constant learning rate. */
    public static ScheduleConfig constant() {
        return new ScheduleConfig(null, null, null, null);
    }

    /** The learning rate of epoch {@code epoch} (from 0) out of {@code epochs}. */
    public double rate(double base, int epoch, int epochs) {
        return switch (type) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(gamma, Math.floorDiv(epoch, stepEpochs));
            case EXPONENTIAL -> base * Math.pow(gamma, epoch);
            case COSINE -> minLearningRate + (base - minLearningRate) * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
        };
    }
}
