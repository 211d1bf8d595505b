package org.modelbench.api;

/** Receives progress of a training run (for progress bars, learning curves, logs). */
@FunctionalInterface
public interface TrainingListener {
    /** Called on the training thread; must return quickly and must not throw. */
    void onEvent(TrainingEvent event);
}
