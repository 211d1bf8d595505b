package org.modelbench.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training run may use besides its data and configuration.
 *
 * @param seed          the root seed; every random choice of the run derives from it
 * @param threads       how many threads the run may use, {@code >= 1}; results must not depend on it
 * @param listeners     receivers of {@link TrainingEvent}s, called on the training thread
 * @param workDirectory a folder the run may use for caches (e.g. frozen-base features); it exists
 * @param augmenter     the augmentation to apply to every training batch, or {@code null} for none;
 *                      only trainers whose {@link Trainer#appliesAugmentation()} is true use it
 * @param sharedCache   a folder shared by every trial of the run (and by trials in other JVMs of the
 *                      same run when they see the same file system), which outlives the trial: for
 *                      content-addressed caches only, whose entries any trial may read, write or
 *                      recompute with the same bits; {@code null} for none
 */
public record RunContext(long seed, int threads, List<TrainingListener> listeners, Path workDirectory,
                         Augmenter augmenter, Path sharedCache) {

    public RunContext {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        listeners = List.copyOf(listeners);
    }

    /** A context without augmentation and without a shared cache. */
    public RunContext(long seed, int threads, List<TrainingListener> listeners, Path workDirectory) {
        this(seed, threads, listeners, workDirectory, null, null);
    }

    /** A context without a shared cache. */
    public RunContext(long seed, int threads, List<TrainingListener> listeners, Path workDirectory,
                      Augmenter augmenter) {
        this(seed, threads, listeners, workDirectory, augmenter, null);
    }

    /** A context with no listeners, all available processors and the system temporary folder. */
    public static RunContext of(long seed) {
        return new RunContext(seed, Runtime.getRuntime().availableProcessors(), List.of(),
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** This context with another thread count. */
    public RunContext withThreads(int newThreads) {
        return new RunContext(seed, newThreads, listeners, workDirectory, augmenter, sharedCache);
    }

    /** This context with one more listener. */
    public RunContext withListener(TrainingListener listener) {
        List<TrainingListener> all = new java.util.ArrayList<>(listeners);
        all.add(listener);
        return new RunContext(seed, threads, all, workDirectory, augmenter, sharedCache);
    }

    /** This context with {@code newAugmenter} ({@code null} for none). */
    public RunContext withAugmenter(Augmenter newAugmenter) {
        return new RunContext(seed, threads, listeners, workDirectory, newAugmenter, sharedCache);
    }

    /** This context with {@code folder} as the run's shared cache ({@code null} for none). */
    public RunContext withSharedCache(Path folder) {
        return new RunContext(seed, threads, listeners, workDirectory, augmenter, folder);
    }

    /**
     * The seed with which a trainer augments batch {@code batch} (0-based) of epoch {@code epoch}
     * (1-based): a function of the root seed, the epoch and the batch alone.
     */
    public long augmentationSeed(int epoch, int batch) {
        return mix(derivedSeed("augment") + epoch * 0x9E3779B97F4A7C15L + batch * 0xC2B2AE3D27D4EB4FL);
    }

    /** Sends {@code event} to every listener, in order. */
    public void emit(TrainingEvent event) {
        for (TrainingListener listener : listeners) {
            listener.onEvent(event);
        }
    }

    /**
     * A seed for one named purpose (e.g. {@code "init"}, {@code "shuffle"}), derived from the root
     * seed with a SplitMix64 mix so that purposes get independent streams.
     */
    public long derivedSeed(String purpose) {
        return mix(seed ^ mix(purpose.hashCode() * 0x9E3779B97F4A7C15L));
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
