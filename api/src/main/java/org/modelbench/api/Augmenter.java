package org.modelbench.api;

/**
 * A random transformation of training batches (data augmentation), applied afresh to every batch of
 * every epoch by trainers that {@linkplain Trainer#appliesAugmentation() say they do}.
 *
 * <p>Deterministic: the same batch and seed give bit-identical output. Trainers take the seed of
 * epoch {@code e} (1-based) and batch {@code b} (0-based) from {@link RunContext#augmentationSeed}, so
 * the same run seed gives the same augmented batches whatever the thread count.
 */
@FunctionalInterface
public interface Augmenter {

    /**
     * A transformed copy of {@code batch}; {@code batch} itself is left unchanged.
     *
     * @param batch {@code [N, ...sampleShape]} (images: {@code [N, C, H, W]}), preprocessed model inputs
     * @param seed  all randomness derives from it
     * @return the same shape as {@code batch}
     */
    Tensor augment(Tensor batch, long seed);
}
